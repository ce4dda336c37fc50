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

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ktreport.catalog import CSV_EXTENSIONS, SPREADSHEET_EXTENSIONS
from ktreport.core.problems import Problem

# Limits that protect memory and time; a file beyond them is reported, never read whole.
MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MB on disk
MAX_ROWS = 50_000  # data rows below the header
MAX_COLUMNS = 200  # used columns
MAX_CELL_CHARS = 10_000  # characters in one cell
# The header must be within the first rows (title rows above it are allowed).
HEADER_SEARCH_ROWS = 30
# Rows read at most (header search + data + a margin for blank rows); beyond: "too many rows".
GRID_ROW_LIMIT = MAX_ROWS + HEADER_SEARCH_ROWS + 1000


# Values a spreadsheet shows when a formula fails.
SPREADSHEET_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}
)

_SAVE_AS_CSV = (
    "save the table again as 'CSV UTF-8 (comma delimited)' or as an Excel workbook (.xlsx)"
)
_FOLD_EXTRA = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ð": "d", "ı": "i", "þ": "th"}
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Spelling variants of column names that are not a matter of case or punctuation.
HEADER_VARIANTS = {"organization": "organisation", "e_mail": "email", "telephone": "phone"}


def clean_cell(text: str) -> str:
    """A cell as the pipeline sees it: NFC-normalised, without surrounding white space."""
    return unicodedata.normalize("NFC", text).strip()


@lru_cache(maxsize=65536)  # partner files repeat the same values (enums, skills) a lot
def fold(text: str) -> str:
    """Text for matching: no accents, no case, punctuation and runs of spaces -> one space."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", plain.casefold()).strip()


def header_key(text: str) -> str:
    """A column name as the contract spells it: "Case ID", "CASE-ID", "case_id" -> "case_id"."""
    key = fold(text).replace(" ", "_")
    return HEADER_VARIANTS.get(key, key)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class RawRow:
    number: int  # the row number the partner sees (1 = first row of the file or sheet)
    cells: dict[str, str]  # contract column name (or header as typed) -> cell text


@dataclass
class RawTable:
    """A partner table as read: the header row, the named columns and the non-blank rows."""

    display: str  # the file as problems name it
    header_row: int | None = None
    # Contract column name -> the header as the partner wrote it.
    headers: dict[str, str] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encoding: str = ""  # CSV only: the encoding detected
    delimiter: str = ""  # CSV only
    sheet: str = ""  # spreadsheets only: the sheet read
    # Column name -> index in the grid (private to reading).
    positions: dict[str, int] = field(default_factory=dict)
    # True when reading stopped at the row limit before the end of the file.
    truncated: bool = False

    @property
    def readable(self) -> bool:
        """True when a header row was found (rows may still be empty)."""
        return self.header_row is not None


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
    grid = _read_grid(path, display, sheet_name, table, columns)
    if grid is None:
        return table
    if len(grid) > GRID_ROW_LIMIT:
        table.truncated = True
        del grid[GRID_ROW_LIMIT:]
    if not any(any(cell for cell in row) for row in grid):
        table.problems.append(
            _file_problem(
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


def _file_problem(display: str, message: str, hint: str = "", severity="error") -> Problem:
    return Problem(display, None, None, message, hint, severity)


# --------------------------------------------------------------------------- grids


def _read_grid(path: Path, display: str, sheet_name: str, table: RawTable, columns=()):
    """The file as a list of rows of cell text (row 1 first), or None after a problem."""
    try:
        size = path.stat().st_size
    except OSError as error:
        table.problems.append(
            _file_problem(display, f"the file cannot be opened ({error.strerror})")
        )
        return None
    if size > MAX_FILE_BYTES:
        table.problems.append(
            _file_problem(
                display,
                f"the file is {size / 1024 / 1024:.1f} MB; files larger than "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB are not read",
                "remove images, formatting and unused sheets, or split the data",
            )
        )
        return None
    suffix = path.suffix.lower()
    if suffix in CSV_EXTENSIONS:
        return _read_csv(path, display, table, columns)
    if suffix in SPREADSHEET_EXTENSIONS:
        return _read_workbook(path, display, sheet_name, table)
    table.problems.append(
        _file_problem(
            display,
            f"files of type '{path.suffix or path.name}' cannot be read",
            "save the table as .csv, .xlsx or .ods",
        )
    )
    return None


def _decode(data: bytes, display: str, table: RawTable) -> str | None:
    """Bytes -> text: BOM first, then valid UTF-8, then Windows-1252, then Latin-1."""
    if data.startswith(b"PK\x03\x04"):
        table.problems.append(
            _file_problem(
                display,
                "this is a spreadsheet workbook (.xlsx or .ods), not a CSV file",
                "rename it with the extension of the program that saved it (.xlsx or .ods)",
            )
        )
        return None
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        table.problems.append(
            _file_problem(
                display,
                "this is an old Excel workbook (.xls), not a CSV file",
                "rename it to .xls, or better save it as .xlsx",
            )
        )
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # errors="replace": a damaged UTF-16 file (odd length, lone surrogate) is still read.
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            text, encoding = data[3:].decode("cp1252", errors="replace"), "cp1252"
    else:
        text = encoding = None
        for candidate in ("utf-8", "cp1252", "latin-1"):
            try:
                text, encoding = data.decode(candidate), candidate
                break
            except UnicodeDecodeError:
                continue
    assert text is not None  # latin-1 decodes any bytes
    control = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\r\n")
    if "\x00" in text or control > max(2, len(text[:65536]) // 100):
        table.problems.append(
            _file_problem(
                display,
                "the file does not contain text: it is not a CSV table",
                _SAVE_AS_CSV,
            )
        )
        return None
    table.encoding = encoding
    return text


def _read_csv(path: Path, display: str, table: RawTable, columns=()):
    text = _decode(path.read_bytes(), display, table)
    if text is None:
        return None
    delimiter = _detect_delimiter(text[:200_000], columns)
    if delimiter == "\t":
        table.problems.append(
            _file_problem(
                display,
                "the columns are separated by tabs; a CSV file must use ',' or ';'",
                _SAVE_AS_CSV,
            )
        )
        return None
    table.delimiter = delimiter
    grid = []
    try:
        for row in _csv_rows(text, delimiter, GRID_ROW_LIMIT + 1):
            grid.append([clean_cell(cell) for cell in row])
    except csv.Error as error:
        table.problems.append(
            _file_problem(
                display,
                f"the CSV file is malformed near row {len(grid) + 1} ({error})",
                'check for a quote character (") that is opened but never closed, '
                "or " + _SAVE_AS_CSV,
            )
        )
        return None
    return grid


def _detect_delimiter(sample: str, columns) -> str:
    """The delimiter under which some early row reads as the most known column names.

    Counting separators is not enough: ';' also separates the skills inside a cell.
    Without any known name, the delimiter giving the most columns on most rows wins.
    """
    known = set(columns)
    best, best_rank = ",", (-1, -1)
    for delimiter in (",", ";", "\t"):
        try:
            rows = list(_csv_rows(sample, delimiter, HEADER_SEARCH_ROWS))
        except csv.Error:
            continue
        score = max((len({header_key(c) for c in row} & known) for row in rows), default=0)
        widths = sorted(len(row) for row in rows if any(row))
        typical = widths[len(widths) // 2] if widths else 0
        rank = (score, typical)
        if rank > best_rank:
            best, best_rank = delimiter, rank
    return best


def _csv_rows(text: str, delimiter: str, limit: int):
    csv.field_size_limit(MAX_FILE_BYTES + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    for count, row in enumerate(reader):
        if count >= limit:
            return
        yield row


def _cell_text(value) -> str:
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


def _read_workbook(path: Path, display: str, sheet_name: str, table: RawTable):
    try:
        import python_calamine
    except ImportError:  # pragma: no cover - the dependency is pinned
        table.problems.append(_file_problem(display, "spreadsheets cannot be read here"))
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
                _file_problem(
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
            if len(grid) > GRID_ROW_LIMIT:
                break
            grid.append([_cell_text(value) for value in row])
        merged = _merged_ranges(sheet)
    except Exception as error:  # calamine raises several kinds for damaged files
        kind = type(error).__name__
        table.problems.append(
            _file_problem(
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
            _file_problem(
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
            _file_problem(
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
