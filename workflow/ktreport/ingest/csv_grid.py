"""Stage 1, reading CSV: a partner's CSV file -> its grid of trimmed cell text.

Partners save CSV with whatever tool they have: separated by ``,`` or ``;``, in UTF-8 (with
or without BOM), UTF-16 or the Windows code page. What cannot be read becomes a problem on
the ``RawTable``; standard library only.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ktreport.ingest.rawtable import (
    HEADER_SEARCH_ROWS,
    MAX_FILE_BYTES,
    RawTable,
    file_problem,
)
from ktreport.ingest.spelling import clean_cell, header_key

_SAVE_AS_CSV = (
    "save the table again as 'CSV UTF-8 (comma delimited)' or as an Excel workbook (.xlsx)"
)


def _decode(data: bytes, display: str, table: RawTable) -> str | None:
    """Bytes -> text: BOM first, then valid UTF-8, then Windows-1252, then Latin-1."""
    if data.startswith(b"PK\x03\x04"):
        table.problems.append(
            file_problem(
                display,
                "this is a spreadsheet workbook (.xlsx or .ods), not a CSV file",
                "rename it with the extension of the program that saved it (.xlsx or .ods)",
            )
        )
        return None
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        table.problems.append(
            file_problem(
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
            file_problem(
                display,
                "the file does not contain text: it is not a CSV table",
                _SAVE_AS_CSV,
            )
        )
        return None
    table.encoding = encoding
    return text


def read_csv_grid(path: Path, display: str, table: RawTable, columns=(), row_limit: int = 0):
    """The CSV file as rows of cell text, at most ``row_limit`` + 1 rows; None after a problem."""
    text = _decode(path.read_bytes(), display, table)
    if text is None:
        return None
    delimiter = _detect_delimiter(text[:200_000], columns)
    if delimiter == "\t":
        table.problems.append(
            file_problem(
                display,
                "the columns are separated by tabs; a CSV file must use ',' or ';'",
                _SAVE_AS_CSV,
            )
        )
        return None
    table.delimiter = delimiter
    grid = []
    try:
        for row in _csv_rows(text, delimiter, row_limit + 1):
            grid.append([clean_cell(cell) for cell in row])
    except csv.Error as error:
        table.problems.append(
            file_problem(
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
