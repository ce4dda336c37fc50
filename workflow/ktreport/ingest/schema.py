"""Stage 1, the schema check: every file of one partner table in one frame, checked by pandera.

The pandera schema is generated from the contract (required values, allowed values, ranges,
identifiers unique across all partners, web addresses) and run with ``lazy=True``, so that
every failure becomes a ``Problem`` in the partner's coordinates (file, spreadsheet row,
column), naming the other rows of a duplicate. A cell already reported as not understood
is not reported again.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import Any

from ktreport import contract
from ktreport.contract import Table
from ktreport.core.problems import Problem
from ktreport.ingest import countries
from ktreport.ingest.cells import URL_PATTERN
from ktreport.ingest.results import PartnerFile

# pandas and pandera are imported inside the functions: the per-file jobs import this
# package (``ktreport.ingest``) and must not pay for them.


def _frame(table: Table, parts: list[PartnerFile]):
    """One frame of every part's rows (typed, no personal data) and the (file, row) of each."""
    import pandas as pd

    names = [c.name for c in table.columns if not c.is_personal]
    records, where, bad = [], [], []
    for part in parts:
        for row in part.rows:
            records.append({name: row.get(name) for name in names})
            where.append((part.report.path, row["_row"]))
            bad.append(set(row.get("_bad", ())))
    frame = pd.DataFrame.from_records(records, columns=names)
    for column in table.columns:
        if column.is_personal:
            continue
        if column.kind == "number":
            frame[column.name] = pd.array(frame[column.name].tolist(), dtype="Float64")
        elif column.kind == "integer":
            frame[column.name] = pd.array(frame[column.name].tolist(), dtype="Int64")
        else:
            frame[column.name] = frame[column.name].astype(object)
    return frame, where, bad


def _pandera():
    """``pandera.pandas``, imported without hypothesis. Where hypothesis is installed (the
    test tools), pandera imports it for its data-synthesis strategies: 0.4 s of the 1.8 s
    of a ``ktreport validate``. The schemas here never synthesise data, so the import of
    hypothesis fails for pandera alone (``HAS_HYPOTHESIS`` false) and works again after."""
    if "pandera.pandas" in sys.modules or "hypothesis" in sys.modules:
        import pandera.pandas as pa

        return pa
    sys.modules["hypothesis"] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        # Where pandera decides once whether it has hypothesis (its checks import the
        # strategies later, when a schema first validates).
        import pandera.pandas as pa
        import pandera.strategies.base_strategies  # noqa: F401
    finally:
        if sys.modules.get("hypothesis", 0) is None:
            del sys.modules["hypothesis"]
    return pa


def load_engines() -> None:
    """Import pandas and pandera now (0.8 s), as the schema check will."""
    import pandas  # noqa: F401

    _pandera()


def _schema(table: Table):
    """The pandera schema of a partner table, generated from the contract."""
    pa = _pandera()

    columns = {}
    for column in table.columns:
        if column.is_personal:
            continue
        checks = []
        if column.kind == "enum":
            checks.append(pa.Check.isin(column.allowed, name="allowed"))
        elif column.kind == "country":
            checks.append(pa.Check.isin(countries.all_codes(), name="allowed"))
        elif column.kind in ("number", "integer"):
            if column.minimum is not None:
                lower = pa.Check.gt if column.minimum_exclusive else pa.Check.ge
                checks.append(lower(column.minimum, name="range"))
            if column.maximum is not None:
                checks.append(pa.Check.le(column.maximum, name="range"))
        elif column.kind == "url":
            checks.append(pa.Check.str_matches(URL_PATTERN, name="url"))
        columns[column.name] = pa.Column(
            None,
            checks=checks,
            nullable=not column.required,
            unique=column.name == table.id_column,
            required=True,
        )
    unique = ["interview_id", "skill"] if table is contract.RATINGS else None
    return pa.DataFrameSchema(columns, name=table.name, unique=unique, strict=False)


def schema_problems(table: Table, parts: list[PartnerFile]) -> list[Problem]:
    pa = _pandera()

    frame, where, bad = _frame(table, parts)
    if frame.empty:
        return []
    try:
        _schema(table).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases.to_dict("records")
    # Where each id occurs, to name the other occurrences of a duplicate.
    occurrences: dict[tuple[str, Any], list[int]] = defaultdict(list)
    for failure in failures:
        if failure["check"] in ("field_uniqueness", "multiple_fields_uniqueness"):
            index = int(failure["index"])
            key = (failure["check"], _duplicate_key(frame, table, index))
            if index not in occurrences[key]:
                occurrences[key].append(index)
    problems = []
    for failure in failures:
        if failure["index"] is None or failure["column"] is None:
            continue  # whole-frame failures cannot happen: every column is built above
        index = int(failure["index"])
        name = failure["column"]
        if name in bad[index]:
            continue  # the cell was already reported as not understood
        file, row = where[index]
        column = table.column(name)
        problem = _failure_problem(
            table, column, failure, frame, index, file, row, where, occurrences
        )
        if problem is not None:
            problems.append(problem)
    return problems


def _duplicate_key(frame, table: Table, index: int):
    if table is contract.RATINGS:
        return (frame.at[index, "interview_id"], frame.at[index, "skill"])
    return frame.at[index, table.id_column]


def _failure_problem(table, column, failure, frame, index, file, row, where, occurrences):
    check = str(failure["check"])
    value = failure["failure_case"]
    shown = "" if value is None or value != value else str(value)
    if check == "not_nullable":
        return Problem(
            file,
            row,
            column.name,
            f"'{column.name}' is required but the cell is empty",
            f"fill it in: {column.description}",
        )
    if check in ("field_uniqueness", "multiple_fields_uniqueness"):
        if check == "multiple_fields_uniqueness" and column.name != "skill":
            return None  # one problem per duplicated rating, on its skill cell
        key = _duplicate_key(frame, table, index)
        others = [where[i] for i in occurrences[(check, key)] if i != index]
        elsewhere = "; ".join(
            f"row {other_row}" if other_file == file else f"{other_file} row {other_row}"
            for other_file, other_row in others
        )
        if check == "field_uniqueness":
            return Problem(
                file,
                row,
                column.name,
                f"'{shown}' is used more than once (also in {elsewhere})",
                f"each {column.name} must be unique across all partners: give one of them "
                f"another id, e.g. starting with your partner id",
                value=shown,
            )
        interview, skill = key
        return Problem(
            file,
            row,
            column.name,
            f"'{interview}' rates the skill '{skill}' more than once (also in {elsewhere})",
            "keep one rating per interview and skill",
            value=str(skill),
        )
    if check.startswith("range") or check.startswith(("greater", "less", "in_range")):
        return Problem(
            file,
            row,
            column.name,
            f"'{_plain(value)}' is not {column.allowed_text()}",
            "",
            value=_plain(value),
        )
    if check.startswith("allowed") or check.startswith("isin"):
        allowed = column.allowed_text() or "an accepted value"
        return Problem(file, row, column.name, f"'{shown}' is not one of {allowed}", value=shown)
    if check.startswith(("url", "str_matches")):
        return Problem(file, row, column.name, f"'{shown}' is not a web address", value=shown)
    return Problem(file, row, column.name, f"'{shown}' fails the check {check}", value=shown)


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
