"""Stage 1, reading CSV: a partner's CSV file -> its grid of trimmed cell text.

Partners save CSV with whatever tool they have: separated by ``,`` or ``;``, in UTF-8 (with
or without BOM), UTF-16 or the Windows code page. What cannot be read becomes a problem on
the ``RawTable``; standard library only.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from pathlib import Path

from ktreport.core.faults import is_environment_fault
from ktreport.core.problems import Problem
from ktreport.ingest.rawtable import (
    HEADER_SEARCH_ROWS,
    MAX_FILE_BYTES,
    RawTable,
    column_letter,
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
    # A few control characters (a NUL in a cell) are reported at their cell by the checks;
    # many mean the file is not text at all (a binary file, UTF-16 without its BOM).
    control = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\r\n")
    if control > max(2, len(text[:65536]) // 100):
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
    data = _read_regular_file(path, display, table)
    if data is None:
        return None
    text = _decode(data, display, table)
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
    try:
        rows, open_quotes = _records(text, delimiter, row_limit + 1)
    except csv.Error as error:
        table.problems.append(
            file_problem(
                display,
                f"the CSV file is malformed ({error})",
                'check for a quote character (") that is opened but never closed, '
                "or " + _SAVE_AS_CSV,
            )
        )
        return None
    grid = [[clean_cell(cell) for cell in row] for row in rows]
    open_quotes += _rows_in_a_cell(rows, delimiter)
    for row_index, field, lines_below in sorted(open_quotes):
        table.problems.append(
            _open_quote_problem(grid, columns, display, row_index, field, lines_below)
        )
    return grid


def _read_regular_file(path: Path, display: str, table: RawTable) -> bytes | None:
    """The file's bytes; None (and a problem) for anything that is not a regular file.

    Nothing else is opened: a named pipe would block the read for ever, a device may act on
    being opened. ``O_NONBLOCK`` and the second look after opening close the window in which
    the file could be swapped for one.
    """
    what = ""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            what = "it is not a regular file"
        else:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as stream:
                if stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                    return stream.read()
                what = "it is not a regular file"
    except OSError as error:
        if is_environment_fault(error):
            raise  # not the partner's data: this machine's (permission denied): core.faults
        what = f"it cannot be opened ({error.strerror})"
    table.problems.append(
        file_problem(display, f"the file is not read: {what}", "put a real file in its place")
    )
    return None


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


# ----------------------------------------------------------------------------- quotes left open
# A '"' that opens a cell and is never closed makes the csv module read the rest of the file
# into that cell, without complaint. Such a quote is always in the last record read (it takes
# everything after it), and in that record's last cell: it is found there, reported, and the
# reading starts again on the next line, the rest of the quote's line being that cell's text.


def _records(text: str, delimiter: str, limit: int) -> tuple[list[list[str]], list[tuple]]:
    """At most ``limit`` records, and (row index, field index, lines below) per quote left open."""
    rows: list[list[str]] = []
    open_quotes: list[tuple[int, int, int]] = []
    start = 0
    while True:
        chunk, last_start, complete = _parse(
            text[start:] if start else text, delimiter, limit - len(rows)
        )
        rows.extend(chunk)
        if not (complete and chunk):
            return rows, open_quotes
        record = text[start + last_start :]
        opened = _unclosed_quote(record, delimiter)
        if opened is None:
            return rows, open_quotes
        field, quote = opened
        line_end = _LINE_BREAK.search(record, quote)
        end = len(record) if line_end is None else line_end.end()
        cell = record[quote + 1 : end].rstrip("\r\n")
        rows[-1] = rows[-1][:field] + [cell]
        below = record[end:]
        open_quotes.append(
            (len(rows) - 1, field, sum(1 for line in _LINE_BREAK.split(below) if line.strip()))
        )
        if not below:
            return rows, open_quotes
        start += last_start + end


def _parse(text: str, delimiter: str, limit: int) -> tuple[list[list[str]], int, bool]:
    """Records of ``text``; the offset where the last one starts; whether the text was read to
    its end (not stopped at ``limit``)."""
    csv.field_size_limit(MAX_FILE_BYTES + 1)
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter, strict=False)
    rows: list[list[str]] = []
    if limit <= 0:
        return rows, 0, False
    # The reader takes a line from the stream only as a record needs it: the stream's
    # position before a record is where that record starts.
    tell, before, last_start = stream.tell, 0, 0
    for row in reader:
        rows.append(row)
        last_start, before = before, tell()
        if len(rows) >= limit:
            return rows, last_start, before >= len(text)
    return rows, last_start, True


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _unclosed_quote(record: str, delimiter: str) -> tuple[int, int] | None:
    """(field index, offset of its '"') when a field of ``record`` opens a quote never closed.

    Reads as the csv module does (not strict): a '"' opens a quoted field only as its first
    character; inside, '""' is a quote and a single '"' closes it; what follows the closing
    quote up to the delimiter is part of the field.
    """
    stop = re.compile("[" + re.escape(delimiter) + "\r\n]")
    field, index, size = 0, 0, len(record)
    while index < size:
        if record[index] == '"':
            opening, search = index, index + 1
            while True:
                closing = record.find('"', search)
                if closing < 0:
                    return field, opening
                if record.startswith('"', closing + 1):
                    search = closing + 2
                    continue
                break
            index = closing + 1
        found = stop.search(record, index)
        if found is None or found.group() != delimiter:
            return None
        field, index = field + 1, found.end()
    return None


def _rows_in_a_cell(rows: list[list[str]], delimiter: str) -> list[tuple[int, int, int]]:
    """(row index, field index, -lines) of each cell holding lines that look like rows.

    A '"' that opens a cell is closed by the next lone '"', however far below: the lines in
    between are read into the cell. A line of a cell with as many delimiters as a row has
    is taken for a row read into it.
    """
    widest = max((len(row) for row in rows[:HEADER_SEARCH_ROWS]), default=0)
    if widest < 4:
        return []
    found = []
    for row_index, row in enumerate(rows):
        for field, cell in enumerate(row):
            if "\n" not in cell and "\r" not in cell:
                continue
            inner = _LINE_BREAK.split(cell)[1:]
            lines = sum(1 for line in inner if line.count(delimiter) >= widest - 1)
            if lines:
                found.append((row_index, field, -lines))
    return found


def _open_quote_problem(
    grid, columns, display: str, row_index: int, field: int, below: int
) -> Problem:
    if below < 0:
        return Problem(
            display,
            row_index + 1,
            _column_name(grid, columns, field),
            f'a " opens this cell and is closed only further down: {-below} '
            f"line{'s' if below != -1 else ''} that look like rows are read into this cell",
            "close the quote at the end of the cell's text, or delete it, and check the next "
            '" below it',
        )
    if below:
        lost = (
            f"the {below} line{'s' if below != 1 else ''} below it would all be read into this cell"
        )
    else:
        lost = "the cell runs to the end of the file"
    return Problem(
        display,
        row_index + 1,
        _column_name(grid, columns, field),
        f'a " opens this cell and is never closed: {lost}',
        "close the quote at the end of the cell's text, or delete it; until then the lines "
        "below are checked as rows of their own",
    )


def _column_name(grid, columns, field: int) -> str:
    """The contract name of column ``field`` (as the header row names it), else its letter."""
    known = set(columns)
    best, best_score = None, 0
    for row in grid[:HEADER_SEARCH_ROWS]:
        score = len({header_key(cell) for cell in row if cell} & known)
        if score > best_score:
            best, best_score = row, score
    if best is not None and field < len(best) and best[field]:
        key = header_key(best[field])
        return key if key in known else best[field]
    return column_letter(field)
