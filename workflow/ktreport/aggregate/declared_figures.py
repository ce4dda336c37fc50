"""Stage 2, aggregation: the key figures read off the aggregate tables, as declared.

Interprets ``key_figures_data``: ``PER_ROW`` for every row of a table, ``RANKED`` for the
first rows of a table in an order. A template's fields are the row's columns, plus
``Category`` (the category capitalised), ``group`` / ``Group`` (the respondent group's
label), for a ranking ``ordinal``, ``rank_text``, ``nth`` and the declaration's
``fields``, and for the composition tables ``stem`` and ``what`` (made here).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ktreport import contract
from ktreport.aggregate.declarations import ORDINALS, Figure, Ranked, key_figure
from ktreport.aggregate.key_figures_data import PER_ROW, RANKED
from ktreport.contract import label
from ktreport.core.frames import ranked

Tables = Mapping[str, pd.DataFrame]


def _fields(row: pd.Series) -> dict[str, object]:
    """The template fields of a row: its columns, ``Category``, ``group`` and ``Group``."""
    fields = row.to_dict()
    if "category" in fields:
        fields["Category"] = str(fields["category"]).capitalize()
    if "respondent_group" in fields:
        group = label(str(fields["respondent_group"]))
        fields["group"], fields["Group"] = group, group[:1].upper() + group[1:]
    return fields


def _value(raw: object, unit: str) -> object:
    """A cell as the value of a figure of ``unit``."""
    if unit == "label":
        return str(raw)
    if unit in ("share", "score"):
        return float(raw)
    return raw  # a count: key_figure makes it an int


def _row_figures(figures: tuple[Figure, ...], row: pd.Series, fields: dict) -> dict[str, dict]:
    """The ``figures`` of one row, their templates filled with ``fields``."""
    return {
        spec.name.format_map(fields): key_figure(
            _value(row[spec.value], spec.unit),
            spec.definition.format_map(fields),
            spec.unit,
            None if spec.n is None else row[spec.n],
            None if spec.denominator is None else row[spec.denominator],
        )
        for spec in figures
    }


def _per_row(sources: Tables) -> dict[str, dict]:
    """The figures of ``PER_ROW``: every row of each table."""
    kf: dict[str, dict] = {}
    for declaration in PER_ROW:
        for _, row in sources[declaration.table].iterrows():
            kf.update(_row_figures(declaration.figures, row, _fields(row)))
    return kf


def _positions(declaration: Ranked, ordered: pd.DataFrame) -> dict[str, dict]:
    """The figures of the rows at ``declaration.positions`` of the ``ordered`` rows."""
    kf: dict[str, dict] = {}
    for ordinal in declaration.positions:
        index = ORDINALS.index(ordinal)
        if index >= len(ordered):
            break
        row = ordered.iloc[index]
        fields = _fields(row)
        fields["ordinal"] = ordinal
        fields["rank_text"] = "most" if ordinal == "top" else f"{ordinal} most"
        fields["nth"] = "" if ordinal == "top" else f"{ordinal} "
        fields.update({key: text.format_map(fields) for key, text in declaration.fields.items()})
        kf.update(_row_figures(declaration.figures, row, fields))
    return kf


def _top_rows(sources: Tables) -> dict[str, dict]:
    """The figures of ``RANKED``: the first rows of each table (of each split) in order."""
    kf: dict[str, dict] = {}
    for declaration in RANKED:
        frame = sources[declaration.table]
        if declaration.where is not None:
            frame = frame[declaration.where(frame)]
        split = list(declaration.split)
        parts = [part for _, part in frame.groupby(split, sort=False)] if split else [frame]
        for part in parts:
            ordered = ranked(part, declaration.by, declaration.ascending, tie=declaration.tie)
            kf.update(_positions(declaration, ordered))
    return kf


def _interview_stems(composition: pd.DataFrame) -> pd.DataFrame:
    """The composition of the interviews with the fields ``stem`` and ``what``."""

    def stem_what(variable: str, value: str, text: str) -> tuple[str, str]:
        if variable == "respondent_group":
            return f"group_{value}", f"interviewees in the group {text}"
        if variable == "region":
            return f"interviews_region_{value.lower()}", f"interviews in {text}"
        if variable == "gender" and value:
            return f"gender_{value}", f"interviewees of gender {text}"
        return "gender_not_stated", "interviewees whose gender is not stated"

    rows = composition[["variable", "value", "label"]].itertuples(index=False)
    pairs = [stem_what(*row) for row in rows]
    return composition.assign(stem=[s for s, _ in pairs], what=[w for _, w in pairs])


def _case_stems(composition: pd.DataFrame) -> pd.DataFrame:
    """The composition of the case studies with the fields ``stem`` and ``what``."""
    slug = {c: f"duration_{i + 1}" for i, (c, _) in enumerate(contract.DURATION_CLASSES)}
    slug[contract.DURATION_UNKNOWN] = "duration_not_stated"

    def stem(variable: str, value: str) -> str:
        if variable == "duration_class":
            return f"case_studies_{slug[value]}"
        if variable in ("certification", "best_practice"):
            return f"case_studies_{variable}_{value.replace(' ', '_')}"
        return f"case_studies_{variable}_{value.lower()}"

    rows = list(composition[["variable", "value", "label"]].itertuples(index=False))
    return composition.assign(
        stem=[stem(variable, value) for variable, value, _ in rows],
        what=[f"case studies with {v.replace('_', ' ')} '{text}'" for v, _, text in rows],
    )


def declared_figures(aggregates: Tables) -> dict[str, dict]:
    """Every key figure ``key_figures_data`` declares, of the aggregate tables."""
    sources = {
        **aggregates,
        "interviews_composition": _interview_stems(aggregates["interviews_composition"]),
        "case_studies_composition": _case_stems(aggregates["case_studies_composition"]),
    }
    return {**_per_row(sources), **_top_rows(sources)}
