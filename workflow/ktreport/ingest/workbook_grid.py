"""Stage 1, reading workbooks: a partner's .xlsx, .xls or .ods sheet -> its grid of cell text.

Read with python-calamine: cached formula values, date cells as dates, hidden sheets skipped,
merged cells filled, every cell the text the partner reads. What cannot be read becomes a
problem on the ``RawTable``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ktreport.ingest.rawtable import MAX_COLUMNS, RawTable, file_problem
from ktreport.ingest.spelling import clean_cell, header_key


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


def read_workbook_grid(path: Path, display: str, sheet_name: str, table: RawTable, row_limit: int):
    """The sheet named like ``sheet_name`` (else the first visible one) as rows of cell
    text, at most ``row_limit`` + 1 rows; None after a problem."""
    try:
        import python_calamine
    except ImportError:  # pragma: no cover - the dependency is pinned
        table.problems.append(file_problem(display, "spreadsheets cannot be read here"))
        return None
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        visible = [
            sheet.name
            for sheet in workbook.sheets_metadata
            if str(sheet.visible).endswith("Visible")
            and not str(sheet.visible).endswith(("Hidden", "VeryHidden"))
            and str(sheet.typ).endswith("WorkSheet")
        ]
        if not visible:
            table.problems.append(
                file_problem(
                    display,
                    "the workbook has no visible sheet",
                    "unhide the sheet with the table (right-click a sheet tab -> Unhide)",
                )
            )
            return None
        wanted = header_key(sheet_name) if sheet_name else ""
        chosen = next((name for name in visible if header_key(name) == wanted), visible[0])
        sheet = workbook.get_sheet_by_name(chosen)
        table.sheet = chosen
        grid = []
        for row in sheet.iter_rows():
            if len(grid) > row_limit:
                break
            grid.append([cell_text(value) for value in row])
        merged = _merged_ranges(sheet)
    except Exception as error:  # calamine raises several kinds for damaged files
        kind = type(error).__name__
        table.problems.append(
            file_problem(
                display,
                f"the workbook cannot be read ({kind}: it is damaged, protected by a password "
                f"or not really a {path.suffix.lower()} file)",
                "open it in Excel or LibreOffice and save it again as .xlsx without a password",
            )
        )
        return None
    for (top, left), (bottom, right) in merged:
        if top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        for r in range(top, min(bottom, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(left, right + 1):
                if c >= len(row):
                    row.extend([""] * (c + 1 - len(row)))
                row[c] = value
    return grid


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
