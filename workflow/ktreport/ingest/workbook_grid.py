"""Stage 1, reading workbooks: a partner's .xlsx, .xls or .ods sheet -> its grid of cell text.

Read with python-calamine (``calamine_sheet``): cached formula values, date cells as dates,
hidden sheets skipped, merged cells filled, every cell the text the partner reads. What
cannot be read becomes a problem on the ``RawTable``: a workbook too large, or whose cells
reach too far, is found by ``extent`` before calamine allocates anything; what ``extent``
cannot vouch for, or what is large, is read in a child process with a memory limit
(``isolated``).
"""

from __future__ import annotations

from pathlib import Path

from ktreport.ingest import isolated
from ktreport.ingest.calamine_sheet import SheetRead, cell_text, load_sheet
from ktreport.ingest.extent import measure_workbook
from ktreport.ingest.rawtable import RawTable, file_problem
from ktreport.ingest.spelling import header_key

__all__ = ["SheetRead", "cell_text", "load_sheet", "read_workbook_grid"]


def read_workbook_grid(path: Path, display: str, sheet_name: str, table: RawTable, row_limit: int):
    """The sheet named like ``sheet_name`` (else the first visible one) as rows of cell
    text, at most ``row_limit`` + 1 rows; None after a problem.

    The workbook is measured first (``extent``); a small one that was measured is read
    here, any other in a child process with a memory limit (``isolated``)."""
    extent = measure_workbook(path, display)
    if extent.problems:
        table.problems.extend(extent.problems)
        return None
    wanted = header_key(sheet_name) if sheet_name else ""
    if extent.measured and extent.unpacked_bytes <= isolated.IN_PROCESS_BYTES:
        read = load_sheet(str(path), wanted, row_limit)
    else:
        read = isolated.load_sheet_in_child(path, wanted, row_limit)
        if read is None:
            table.problems.append(file_problem(display, *isolated.FAILED))
            return None
    if read.failure:
        table.problems.append(_failure_problem(read.failure, path, display))
        return None
    table.sheet = read.sheet
    grid = read.grid
    for (top, left), (bottom, right) in read.merged:
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


def _failure_problem(failure: str, path: Path, display: str):
    if failure == "no calamine":  # pragma: no cover - the dependency is pinned
        return file_problem(display, "spreadsheets cannot be read here")
    if failure == "no visible sheet":
        return file_problem(
            display,
            "the workbook has no visible sheet",
            "unhide the sheet with the table (right-click a sheet tab -> Unhide)",
        )
    if failure == "MemoryError":  # a large sheet, not a damaged one
        return file_problem(display, *isolated.FAILED)
    return file_problem(
        display,
        f"the workbook cannot be read ({failure}: it is damaged, protected by a password "
        f"or not really a {path.suffix.lower()} file)",
        "open it in Excel or LibreOffice and save it again as .xlsx without a password",
    )
