"""Stage 1, reading: a partner's CSV or spreadsheet -> its header and rows of trimmed text.

Partners save their tables with whatever tool they have, so this module accepts what those
tools really produce: CSV separated by ``,`` or ``;`` in UTF-8 (with or without BOM) or the
Windows code page; .xlsx, .xls and .ods workbooks (read with python-calamine: cached formula
values, date cells, hidden sheets skipped, merged cells filled); title rows above the header;
numbers stored as text; trailing empty rows and columns. Every cell becomes trimmed,
NFC-normalised text, and every row keeps the number the partner sees in the spreadsheet.

Nothing here raises on bad input: what cannot be read becomes a ``Problem``.
Only the standard library and python-calamine are imported, so a per-file job starts quickly.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ktreport.catalog import CSV_EXTENSIONS, SPREADSHEET_EXTENSIONS
from ktreport.core.problems import Problem
from ktreport.ingest import suggestions
from ktreport.ingest.csv_grid import read_csv_grid
from ktreport.ingest.rawtable import (
    GRID_ROW_LIMIT,
    HEADER_SEARCH_ROWS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    SPREADSHEET_ERRORS,
    RawRow,
    RawTable,
    column_letter,
    file_problem,
)
from ktreport.ingest.spelling import HEADER_VARIANTS, clean_cell, fold, header_key
from ktreport.ingest.workbook_grid import read_workbook_grid

# The public face of reading: the limits, the table types and the spelling helpers are
# named here too (the data dictionary and the guard read them as ``readers.*``).
__all__ = [
    "GRID_ROW_LIMIT",
    "HEADER_SEARCH_ROWS",
    "HEADER_VARIANTS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "SPREADSHEET_ERRORS",
    "RawRow",
    "RawTable",
    "clean_cell",
    "column_letter",
    "fold",
    "header_key",
    "read_table",
]


def read_table(
    path: Path,
    display: str,
    columns: Sequence[str],
    required: Sequence[str],
    sheet_name: str = "",
) -> RawTable:
    """Read ``path`` into a ``RawTable`` whose cells are keyed by contract column names.

    ``columns`` are the names the contract knows, ``required`` those that must be present
    (they locate the header row), ``sheet_name`` the sheet to prefer in a workbook.
    """
    table = RawTable(display=display)
    suggestions.new_file()  # the cells parsed next are this file's: its own suggestion budget
    grid = _read_grid(path, display, sheet_name, table, columns)
    if grid is None:
        return table
    if len(grid) > GRID_ROW_LIMIT:
        table.truncated = True
        del grid[GRID_ROW_LIMIT:]
    if not any(any(cell for cell in row) for row in grid):
        table.problems.append(
            file_problem(
                display,
                "the file is empty",
                "add the column names in the first row and one row per record below them, "
                "or delete the file",
            )
        )
        return table
    _locate_header(grid, columns, required, table)
    if table.header_row is None:
        return table
    _collect_rows(grid, columns, table)
    return table


# --------------------------------------------------------------------------- grids


def _read_grid(path: Path, display: str, sheet_name: str, table: RawTable, columns=()):
    """The file as a list of rows of cell text (row 1 first), or None after a problem."""
    try:
        size = path.stat().st_size
    except OSError as error:
        table.problems.append(
            file_problem(display, f"the file cannot be opened ({error.strerror})")
        )
        return None
    if size > MAX_FILE_BYTES:
        table.problems.append(
            file_problem(
                display,
                f"the file is {size / 1024 / 1024:.1f} MB; files larger than "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB are not read",
                "remove images, formatting and unused sheets, or split the data",
            )
        )
        return None
    suffix = path.suffix.lower()
    if suffix in CSV_EXTENSIONS:
        return read_csv_grid(path, display, table, columns, GRID_ROW_LIMIT)
    if suffix in SPREADSHEET_EXTENSIONS:
        return read_workbook_grid(path, display, sheet_name, table, GRID_ROW_LIMIT)
    table.problems.append(
        file_problem(
            display,
            f"files of type '{path.suffix or path.name}' cannot be read",
            "save the table as .csv, .xlsx or .ods",
        )
    )
    return None


# --------------------------------------------------------------------------- header and rows


def _locate_header(grid, columns, required, table: RawTable) -> None:
    known = set(columns)
    need = set(required)
    best_row, best_score = None, 0
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        keys = {header_key(cell) for cell in row if cell}
        score = len(keys & known)
        if need and need <= keys:
            best_row, best_score = index, score
            break
        if score > best_score:
            best_row, best_score = index, score
    if best_row is None or best_score < min(2, len(need) or 1):
        examples = ", ".join(list(required)[:4] or list(columns)[:4])
        table.problems.append(
            file_problem(
                table.display,
                f"no row with the column names was found in the first {HEADER_SEARCH_ROWS} "
                f"rows (expected names such as {examples})",
                "put the column names in one row above the data, as in docs/data-dictionary.md",
            )
        )
        return
    table.header_row = best_row + 1
    header = grid[best_row]
    used_set = {i for i, cell in enumerate(header) if cell}
    for row in grid[best_row + 1 :]:
        used_set.update(i for i, cell in enumerate(row) if cell)
    used = sorted(used_set)
    if used and used[-1] + 1 > MAX_COLUMNS:
        table.problems.append(
            Problem(
                table.display,
                table.header_row,
                None,
                f"the table has {used[-1] + 1} columns; at most {MAX_COLUMNS} are read",
                "delete the columns that are not part of the table",
            )
        )
        table.header_row = None
        return
    for index in used:
        written = header[index] if index < len(header) else ""
        if not written:
            table.problems.append(
                Problem(
                    table.display,
                    table.header_row,
                    column_letter(index),
                    f"column {column_letter(index)} has values but no column name; it is ignored",
                    "write the column name in the header row, or delete the column",
                    severity="warning",
                )
            )
            continue
        key = header_key(written)
        name = key if key in known else written
        if name in table.positions:
            first = table.positions[name]
            table.problems.append(
                Problem(
                    table.display,
                    table.header_row,
                    name,
                    f"the column '{written}' appears twice (columns {column_letter(first)} "
                    f"and {column_letter(index)}); only column {column_letter(first)} is read",
                    "delete or rename one of the two columns",
                )
            )
            continue
        table.positions[name] = index
        if key in known:
            table.headers[key] = written
        else:
            table.unknown_columns.append(written)


def _collect_rows(grid, columns, table: RawTable) -> None:
    start = table.header_row  # index of the first data row in the grid
    non_blank = sum(1 for row in grid[start:] if any(row))
    if table.truncated or non_blank > MAX_ROWS:
        table.problems.append(
            file_problem(
                table.display,
                f"the table has more than {MAX_ROWS:,} rows; larger tables are not read".replace(
                    ",", " "
                ),
                "split the data into several files, or delete the empty rows at the end "
                "of the sheet that still hold spaces or formatting",
            )
        )
        return
    for offset, row in enumerate(grid[start:]):
        if not any(row):
            continue
        number = start + offset + 1
        cells = {}
        for name, index in table.positions.items():
            value = row[index] if index < len(row) else ""
            if len(value) > MAX_CELL_CHARS:
                table.problems.append(
                    Problem(
                        table.display,
                        number,
                        name,
                        f"the cell holds {len(value):,} characters; at most "
                        f"{MAX_CELL_CHARS:,} are allowed".replace(",", " "),
                        "shorten the text",
                    )
                )
                value = value[:MAX_CELL_CHARS]
            cells[name] = value
        table.rows.append(RawRow(number=number, cells=cells))
