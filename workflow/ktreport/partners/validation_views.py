"""Partners' validation report, its view: what the page shows, from the validator's result.

Files sorted by path with their problems (each counted once, personal values hidden) and a
preview of how each row was understood, cells marked with their worst problem; partners in
id order; the totals of the banner. Plain data for the page template (``validation_page``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ktreport.contract import PARTNER_TABLES
from ktreport.core.problems import Problem, sort_problems
from ktreport.core.style import is_missing, plural_word

HIDDEN = "(personal data, not shown)"
NOT_UNDERSTOOD = "?"
BLANK = "(blank)"
NO_PARTNER = "(consortium files)"
# Every personal column of every table: hidden even in a file whose table is unknown.
PERSONAL_COLUMNS = frozenset(
    name for table in PARTNER_TABLES.values() for name in table.personal_columns
)


@dataclass
class ProblemView:
    file: str
    severity: str
    row: str
    column: str
    value: str
    message: str
    hint: str

    @property
    def has_cell(self) -> bool:
        """The problem is about one cell (so an empty value means a blank cell)."""
        return self.row.isdigit() and self.column != "whole row"


@dataclass
class CellView:
    typed: str
    understood: str | None  # None: shown as typed (nothing to explain)
    unknown: bool  # the pipeline could not understand the value
    severity: str  # "", "warning" or "error": the worst problem of the cell


@dataclass
class RowView:
    number: int
    severity: str  # the worst row-level problem (no column)
    cells: list[CellView]


@dataclass
class FileView:
    anchor: str
    path: str
    table: str
    partner: str
    n_rows: int
    errors: int
    warnings: int
    problems: list[ProblemView]
    columns: list[str] = field(default_factory=list)
    rows: list[RowView] = field(default_factory=list)
    has_preview: bool = False

    @property
    def ready(self) -> bool:
        return self.errors == 0

    @property
    def count_text(self) -> str:
        """ "2 errors and 1 warning", "1 warning": only what there is."""
        parts = [count(self.errors, "error")] if self.errors else []
        if self.warnings:
            parts.append(count(self.warnings, "warning"))
        return " and ".join(parts)


@dataclass
class PartnerView:
    partner: str
    files: list[FileView]

    @property
    def n_rows(self) -> int:
        return sum(f.n_rows for f in self.files)

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    @property
    def ready(self) -> bool:
        return self.errors == 0


@dataclass
class PageView:
    """The whole page: partners, files, the problems across files and the banner's totals."""

    partners: list[PartnerView]
    files: list[FileView]
    general: list[ProblemView]
    result_ok: bool = True

    @property
    def n_files(self) -> int:
        return len(self.files)

    @property
    def n_rows(self) -> int:
        return sum(f.n_rows for f in self.files)

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files) + sum(p.severity == "error" for p in self.general)

    @property
    def warnings(self) -> int:
        general = sum(p.severity == "warning" for p in self.general)
        return sum(f.warnings for f in self.files) + general

    @property
    def ready(self) -> bool:
        return self.errors == 0 and self.result_ok


def count(n: int, word: str) -> str:
    """ "1 file", "3 rows": digits as in the page's tables (no thousands separator, unlike
    ``core.style.plural``: the banner's row count exceeds 999 for large data)."""
    return f"{n} {plural_word(n, word)}"


def page_view(result: Any) -> PageView:
    """The page of a validation result (``.files``, ``.problems``, ``.ok``)."""
    files, general = _file_views(result)
    return PageView(_partner_views(files), files, general, bool(getattr(result, "ok", True)))


# ----------------------------------------------------------------------------- view models
def _file_views(result: Any) -> tuple[list[FileView], list[ProblemView]]:
    reports = sorted(getattr(result, "files", []) or [], key=lambda f: _path_key(f.path))
    by_path: dict[str, list[Problem]] = {}
    for report in reports:
        by_path.setdefault(_path_key(report.path), []).extend(report.problems or [])
    general: list[Problem] = []
    for problem in getattr(result, "problems", []) or []:
        key = _path_key(problem.file)
        if key in by_path:
            by_path[key].append(problem)
        else:
            general.append(problem)
    views: list[FileView] = []
    anchors: set[str] = set()
    for report in reports:
        key = _path_key(report.path)
        # A problem can be both in the file's list and in the result's: count it once.
        problems = sort_problems(dict.fromkeys(by_path[key]))
        personal = _personal_columns(report.table)
        view = FileView(
            anchor=_anchor(key, anchors),
            path=key,
            table=str(report.table or ""),
            partner=str(report.partner_id or NO_PARTNER),
            n_rows=int(report.n_rows or 0),
            errors=sum(p.severity == "error" for p in problems),
            warnings=sum(p.severity == "warning" for p in problems),
            problems=[_problem_view(p, personal) for p in problems],
        )
        preview = getattr(report, "preview", None)
        if preview:
            view.has_preview = True
            view.columns = _preview_columns(report.table, preview, personal)
            view.rows = _preview_rows(preview, view.columns, problems)
        views.append(view)
    general_views = [
        _problem_view(p, PERSONAL_COLUMNS) for p in sort_problems(dict.fromkeys(general))
    ]
    return views, general_views


def _partner_views(files: Sequence[FileView]) -> list[PartnerView]:
    grouped: dict[str, list[FileView]] = {}
    for view in files:
        grouped.setdefault(view.partner, []).append(view)
    # Partner ids in order; files that belong to no partner (reference tables) last.
    order = sorted(grouped, key=lambda p: (p == NO_PARTNER, p))
    return [PartnerView(p, grouped[p]) for p in order]


def _problem_view(problem: Problem, personal: Iterable[str]) -> ProblemView:
    value, message, hint = problem.value or "", problem.message, problem.hint
    if problem.column in personal and value:
        message = message.replace(value, HIDDEN)
        hint = hint.replace(value, HIDDEN)
        value = HIDDEN
    if problem.row is None:
        row, column = "whole file", problem.column or ""
    else:
        row, column = str(problem.row), problem.column or "whole row"
    return ProblemView(
        file=_path_key(problem.file),
        severity=problem.severity,
        row=row,
        column=column,
        value=value,
        message=message,
        hint=hint,
    )


def _preview_columns(table: Any, preview: Sequence, personal: Iterable[str]) -> list[str]:
    """The contract's columns in contract order; personal columns never shown."""
    seen = {column for _, cells in preview for column in cells}
    contract = PARTNER_TABLES.get(str(table))
    if contract is not None:
        return [c for c in contract.column_names if c in seen and c not in personal]
    # Unknown table: what the reader found, sorted, still without personal columns.
    return sorted(c for c in seen if c not in personal)


def _preview_rows(
    preview: Sequence, columns: Sequence[str], problems: Sequence[Problem]
) -> list[RowView]:
    rank = {"": 0, "warning": 1, "error": 2}
    cell_severity: dict[tuple[int | None, str | None], str] = {}
    for problem in problems:
        key = (problem.row, problem.column)
        if rank[problem.severity] > rank[cell_severity.get(key, "")]:
            cell_severity[key] = problem.severity
    rows = []
    for number, cells in sorted(preview, key=lambda item: item[0]):
        views = []
        for column in columns:
            typed, understood = cells.get(column, ("", None))
            views.append(_cell_view(typed, understood, cell_severity.get((number, column), "")))
        rows.append(RowView(int(number), cell_severity.get((number, None), ""), views))
    return rows


def _cell_view(typed: Any, understood: Any, severity: str) -> CellView:
    typed_text = "" if is_missing(typed) else str(typed)
    if is_missing(understood) or understood == "":
        if typed_text.strip():
            return CellView(typed_text, NOT_UNDERSTOOD, True, severity)
        return CellView(typed_text, None, False, severity)
    shown = _show(understood)
    if not typed_text.strip():
        return CellView(BLANK, shown, False, severity)
    if shown == typed_text.strip():
        return CellView(typed_text, None, False, severity)
    # "?" alone or as one item of a list ("?; licensing") marks what was not understood.
    unknown = any(part.strip() == NOT_UNDERSTOOD for part in shown.split(";"))
    return CellView(typed_text, shown, unknown, severity)


def _show(value: Any) -> str:
    """A parsed value as a partner reads it."""
    if is_missing(value):
        return NOT_UNDERSTOOD
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(_show(v) for v in value)
    return str(value)


def _personal_columns(table: Any) -> frozenset[str]:
    contract = PARTNER_TABLES.get(str(table))
    own = frozenset(contract.personal_columns) if contract is not None else frozenset()
    return own | PERSONAL_COLUMNS


def _path_key(path: Any) -> str:
    return PurePath(str(path)).as_posix()


def _anchor(path: str, taken: set[str]) -> str:
    base = "file-" + (re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "x")
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor
