"""Stage 1, one sheet through python-calamine: cell values -> the text the partner reads.

Cached formula values, date cells as dates, hidden sheets skipped, merged ranges listed.
``workbook_grid`` calls ``load_sheet`` in its own process for a small workbook that
``extent`` measured, and ``isolated`` calls it in a child process for any other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ktreport.ingest.rawtable import MAX_COLUMNS
from ktreport.ingest.spelling import clean_cell, header_key

MAX_SHARED_TEXTS = 100_000


def cell_text(value) -> str:
    """A spreadsheet cell -> text the way the partner reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return clean_cell(str(value))


@dataclass
class SheetRead:
    """One sheet as python-calamine gives it (picklable: a child process returns it)."""

    sheet: str = ""
    grid: list[list[str]] = field(default_factory=list)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    failure: str = ""  # "" (read), "no visible sheet", "no calamine" or the error's kind


def load_sheet(path: str, wanted: str, row_limit: int) -> SheetRead:
    """Read the sheet whose ``header_key`` is ``wanted`` (else the first visible one) with
    python-calamine, in this process; at most ``row_limit`` + 1 rows."""
    try:
        import python_calamine
    except ImportError:  # pragma: no cover - the dependency is pinned
        return SheetRead(failure="no calamine")
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(path)
        visible = [
            sheet.name
            for sheet in workbook.sheets_metadata
            if str(sheet.visible).endswith("Visible")
            and not str(sheet.visible).endswith(("Hidden", "VeryHidden"))
            and str(sheet.typ).endswith("WorkSheet")
        ]
        if not visible:
            return SheetRead(failure="no visible sheet")
        chosen = next((name for name in visible if header_key(name) == wanted), visible[0])
        sheet = workbook.get_sheet_by_name(chosen)
        grid = []
        shared: dict[str, str] = {}
        for row in sheet.iter_rows():
            if len(grid) > row_limit:
                break
            texts = [cell_text(value) for value in row]
            grid.append([shared.get(text) or _share(text, shared) for text in texts])
        merged = _merged_ranges(sheet)
    except Exception as error:  # calamine raises several kinds for damaged files
        return SheetRead(failure=type(error).__name__)
    return SheetRead(sheet=chosen, grid=grid, merged=merged)


def _share(text: str, shared: dict[str, str]) -> str:
    """One object for a text that many cells repeat (yes/no, a group, a number): a dense
    sheet of 10 million cells holds a few thousand texts, not 10 million copies (and the
    pickle to the parent keeps them shared). At most ``MAX_SHARED_TEXTS`` are remembered."""
    if text and len(shared) < MAX_SHARED_TEXTS:
        shared[text] = text
    return text


def _merged_ranges(sheet) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    try:
        ranges = sheet.merged_cell_ranges
    except Exception:  # not every format reports merged cells (.ods does not)
        return []
    # Column spans are capped: a merged range over a whole row must not allocate 16 384 cells.
    return sorted(
        ((top, left), (bottom, min(right, left + MAX_COLUMNS)))
        for (top, left), (bottom, right) in ranges or []
    )
