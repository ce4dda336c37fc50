"""Stage 2, aggregation: small-cell protection of the aggregate tables, and the rule both
the tables and the key figures use (``complementary``). The rules are described in
``disclosure``, which is the module to import (it re-exports this one's public names).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ktreport import contract
from ktreport.core.style import fewer_than

if TYPE_CHECKING:  # pandas is imported where a table is protected: the figures import
    import pandas as pd  # the words of the protection and must not pay for pandas

SMALL, COMPLEMENTARY = "small", "complementary"
FLAG_COLUMN = "suppressed"


def small(value: object, min_cell: int) -> bool:
    """1 … min_cell − 1 (zero and missing are not small)."""
    if value is None or isinstance(value, (str, bool)):
        return False
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return not math.isnan(number) and 0 < number < min_cell


def complementary(values: Sequence[float], hidden: Sequence[bool], min_cell: int) -> set[int]:
    """The parts (indices) to hide besides ``hidden`` so that no hidden part of a published
    total can be recovered by subtraction: at least two hidden, adding up to ``min_cell``
    or more (smallest non-zero parts first, then the earlier one)."""
    hide = [bool(h) for h in hidden]
    extra: set[int] = set()
    while any(hide):
        shown = [i for i, h in enumerate(hide) if h]
        if len(shown) >= 2 and sum(values[i] for i in shown) >= min_cell:
            break
        candidates = [i for i, h in enumerate(hide) if not h and values[i] > 0]
        if not candidates:
            break
        pick = min(candidates, key=lambda i: (values[i], i))
        hide[pick] = True
        extra.add(pick)
    return extra


@dataclass(frozen=True)
class TableRule:
    """How one table counts respondents.

    ``counts``: columns of counts of the sample's composition (suppressed when small);
    ``answers``: columns of answers (suppressed when the base is small); ``derived``:
    column → the count columns it is computed from (a share, a mean, a gap); ``base``:
    the column of each row's respondent base (its denominator), a number, or None;
    ``lines``: partitions whose parts add up to a published total: ``("rows", by,
    column)`` the rows of each ``by`` group in ``column`` (``by`` () for all rows),
    ``("columns", parts, total)`` the ``parts`` columns of each row."""

    counts: tuple[str, ...] = ()
    derived: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    base: str | int | None = None
    lines: tuple[tuple, ...] = ()
    answers: tuple[str, ...] = ()


def protect_table(
    frame: pd.DataFrame,
    count_columns: Iterable[str],
    base_column_or_value: str | int | None,
    min_cell: int,
    *,
    derived: Mapping[str, Iterable[str]] | None = None,
    lines: Iterable[tuple] = (),
    answers: Iterable[str] = (),
) -> pd.DataFrame:
    """``frame`` with its small respondent cells empty and the column ``suppressed``
    (``column=reason;…``, "" when none). ``count_columns`` count the sample's
    composition (a cell of 1 … ``min_cell`` − 1 is hidden); ``answers`` are hidden only
    with a small base;
    ``base_column_or_value`` is each row's respondent base (a column, a number, or None);
    ``derived`` maps a column to the counts it is computed from; ``lines`` as in
    ``TableRule``. ``min_cell`` 1 changes no value."""
    import pandas as pd

    counts = [c for c in count_columns if c in frame.columns]
    derived_map = {c: tuple(d) for c, d in (derived or {}).items() if c in frame.columns}
    hidden: dict[tuple[int, str], str] = {}
    base = (
        frame[base_column_or_value]
        if isinstance(base_column_or_value, str)
        else pd.Series(base_column_or_value, index=frame.index)
    )
    for i in range(len(frame)):
        row_base = base.iloc[i]
        for column in counts:
            if small(row_base, min_cell) or small(frame[column].iloc[i], min_cell):
                hidden[(i, column)] = SMALL
        for column in answers:
            if column in frame.columns and small(row_base, min_cell):
                hidden[(i, column)] = SMALL
        if isinstance(base_column_or_value, str) and small(row_base, min_cell):
            hidden[(i, base_column_or_value)] = SMALL  # the base is a small count too
    for _ in range(len(frame) + len(counts) + 1):  # lines meet: repeat until stable
        before = len(hidden)
        for line in lines:
            for cells in _line_cells(frame, line, hidden):
                _hide_complementary(frame, cells, hidden, min_cell)
        if len(hidden) == before:
            break
    for i in range(len(frame)):
        for column, sources in derived_map.items():
            reasons = [hidden[(i, s)] for s in sources if (i, s) in hidden]
            if reasons or small(base.iloc[i], min_cell):
                hidden[(i, column)] = reasons[0] if reasons else SMALL
    out = frame.copy()
    for column in {column for _, column in hidden}:
        if pd.api.types.is_integer_dtype(out[column]):
            out[column] = out[column].astype("Int64")  # an empty cell, the rest integers
        elif not _numeric(out[column]):
            out[column] = out[column].astype("object")
    for i, column in hidden:
        out.iloc[i, out.columns.get_loc(column)] = pd.NA if _numeric(out[column]) else None
    flags = [
        ";".join(f"{c}={hidden[(i, c)]}" for c in out.columns if (i, c) in hidden)
        for i in range(len(out))
    ]
    out[FLAG_COLUMN] = pd.Series(flags, index=out.index, dtype="object")
    return out


def _numeric(series: pd.Series) -> bool:
    import pandas as pd

    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _line_cells(frame: pd.DataFrame, line: tuple, hidden: Mapping) -> list[list[tuple[int, str]]]:
    """The (row, column) cells of each partition of ``line`` whose total is published (a
    row whose total is hidden allows no subtraction)."""
    import pandas as pd

    kind = line[0]
    if kind == "rows":
        _, by, column = line
        positions = pd.Series(range(len(frame)), index=frame.index)
        if not by:
            return [[(i, column) for i in range(len(frame))]]
        groups = positions.groupby([frame[b] for b in by], sort=True)
        return [[(int(i), column) for i in part] for _, part in groups]
    _, parts, total = line
    return [[(i, c) for c in parts] for i in range(len(frame)) if (i, total) not in hidden]


def _hide_complementary(
    frame: pd.DataFrame, cells: list[tuple[int, str]], hidden: dict, min_cell: int
) -> None:
    import pandas as pd

    values = [float(frame[c].iloc[i]) if not pd.isna(frame[c].iloc[i]) else 0.0 for i, c in cells]
    for k in complementary(values, [cell in hidden for cell in cells], min_cell):
        hidden[cells[k]] = COMPLEMENTARY


def suppressed_cells(row: Mapping) -> dict[str, str]:
    """Column → reason of the suppressed cells of one protected row."""
    flags = row.get(FLAG_COLUMN)
    if not isinstance(flags, str) or not flags:
        return {}
    return dict(pair.split("=", 1) for pair in flags.split(";"))


# The aggregate tables that count respondents, and how (the others count programmes or
# skills, or list the quotes: not protected here).
_SHARE = {"share": ("n",)}
_GROUP_COLUMNS = (*contract.RESPONDENT_GROUPS, "total")
_SKILLS = ("n", "share")
_GAPS = ("n_required", "n_possessed", "share_required", "share_possessed", "gap")
TABLE_RULES: dict[str, TableRule] = {
    "interviews_composition": TableRule(
        ("n",), _SHARE, "denominator", (("rows", ("variable",), "n"),)
    ),
    "interviews_by_group_country": TableRule(
        ("n",), lines=(("rows", ("respondent_group",), "n"), ("rows", ("country",), "n"))
    ),
    "interviews_by_country": TableRule(("n",), _SHARE, "denominator", (("rows", (), "n"),)),
    "interview_sample_table": TableRule(
        _GROUP_COLUMNS,
        lines=(
            ("columns", contract.RESPONDENT_GROUPS, "total"),
            *(("rows", (), column) for column in _GROUP_COLUMNS),
        ),
    ),
    "interview_skills_overall": TableRule(base="denominator", answers=_SKILLS),
    "interview_skills_by_group": TableRule(base="denominator", answers=_SKILLS),
    "interview_skills_by_category": TableRule(
        base="denominator", answers=("n", "n_mentions", "share", "share_mentions")
    ),
    "skill_gap_overall": TableRule(base="denominator", answers=_GAPS),
    "skill_gap_by_group": TableRule(base="denominator", answers=_GAPS),
    "supply_demand": TableRule(
        base="denominator_demand", answers=("n_demand", "share_demand", "difference")
    ),
    "ratings_by_skill": TableRule(
        base="n",
        answers=("n", "mean_importance", "mean_proficiency", "mean_discrepancy", "mwds"),
    ),
    "formats_overall": TableRule(base="denominator", answers=_SKILLS),
    "formats_by_group": TableRule(base="denominator", answers=_SKILLS),
}


POOLED_COLUMN = "pooled"


def unnamed_countries(quotes: pd.DataFrame, cells: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """The quotes, the country left out (empty) where the quote's respondent group has
    fewer than ``min_cell`` interviewees in it: "— KT expert, Austria" would name the
    one Austrian expert, who agreed to be quoted anonymously."""
    if min_cell <= 1:
        return quotes
    sizes = {(g, c): n for g, c, n in cells[["respondent_group", "country", "n"]].itertuples(False)}
    out = quotes.copy()
    keys = zip(out["respondent_group"], out["country"], strict=True)
    few = [small(sizes.get(key, 0), min_cell) for key in keys]
    out["country"] = out["country"].astype("object").where([not f for f in few], None)
    out["country_name"] = out["country_name"].astype("object").where([not f for f in few], None)
    return out


def pool_small_rows(frame: pd.DataFrame, counts: Sequence[str], min_cell: int) -> pd.DataFrame:
    """The country table with the countries of fewer than ``min_cell`` interviewees in all
    (column ``total``) as one last row, "Other countries", their counts added up; the
    column ``pooled`` marks it. Rows of 1 … 4 each say little and would fill a page."""
    import pandas as pd

    if min_cell <= 1:
        return frame
    out = frame.assign(**{POOLED_COLUMN: False})
    few = out["total"].map(lambda value: small(value, min_cell))
    if few.sum() < 2:
        return out  # one small country alone is protected cell by cell
    pooled = {column: int(out.loc[few, column].sum()) for column in counts}
    row = {
        **{column: "" for column in out.columns},
        **pooled,
        "country_name": f"Other countries ({int(few.sum())}, {fewer_than(min_cell)} each)",
        POOLED_COLUMN: True,
    }
    kept = out[~few].reset_index(drop=True)
    return pd.concat([kept, pd.DataFrame([row])], ignore_index=True).astype(
        {column: "int64" for column in counts}
    )


def protect_aggregates(
    aggregates: Mapping[str, pd.DataFrame], min_cell: int
) -> dict[str, pd.DataFrame]:
    """Every aggregate table of ``TABLE_RULES`` protected (``protect_table``), the small
    countries of the country table pooled first (``pool_small_rows``); the others as
    they are."""
    out = dict(aggregates)
    if {"quotes", "interviews_by_group_country"} <= set(out):
        out["quotes"] = unnamed_countries(
            out["quotes"], out["interviews_by_group_country"], min_cell
        )
    if "interview_sample_table" in out:
        out["interview_sample_table"] = pool_small_rows(
            out["interview_sample_table"], _GROUP_COLUMNS, min_cell
        )
    for name, rule in TABLE_RULES.items():
        if name in out:
            out[name] = protect_table(
                out[name],
                rule.counts,
                rule.base,
                min_cell,
                derived=rule.derived,
                lines=rule.lines,
                answers=rule.answers,
            )
    return out
