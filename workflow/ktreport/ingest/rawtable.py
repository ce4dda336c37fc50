"""Stage 1, reading: a partner table as read (``RawTable``) and the limits of reading.

The CSV and workbook readers (``csv_grid``, ``workbook_grid``) and ``readers`` share these;
``readers`` re-exports them, as the one public face of reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def file_problem(display: str, message: str, hint: str = "", severity="error") -> Problem:
    return Problem(display, None, None, message, hint, severity)
