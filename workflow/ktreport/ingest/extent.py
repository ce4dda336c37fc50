"""Stage 1, the size of a workbook, measured before any library reads it (issue 17).

python-calamine allocates one cell for every position between A1 and the farthest cell
that holds something: one space typed in XFD1048576 asks for 512 GB and aborts the process
(no exception to catch). So the parts of an .xlsx/.xlsm/.ods (zip files of XML) are
measured first, with the standard library: each sheet's unpacked size and compression
ratio, then the sheet XML streamed through expat to find the farthest cell with content
(in .ods: rows and cells counted with their ``number-rows-repeated`` /
``number-columns-repeated``). A workbook beyond the limits is a file-level problem naming
the sheet. What cannot be measured here (an .xls, a zip or XML this module does not
understand) is ``measured=False``: the caller reads it in a child process with a memory
limit (``isolated``), where a library abort is a problem too.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from ktreport.core.problems import Problem
from ktreport.ingest.rawtable import (
    GRID_ROW_LIMIT,
    MAX_COLUMNS,
    MAX_ROWS,
    column_letter,
    file_problem,
)

# Cells between A1 and the farthest cell with content: as many as the largest table the
# reader uses at all (every row it reads times every column it reads).
MAX_SHEET_CELLS = GRID_ROW_LIMIT * MAX_COLUMNS
# Unpacked XML of the sheets (and shared strings) together: about 32 bytes a cell of that
# table (a dense 50 000 x 200 sheet written by Excel is about 27 bytes a cell).
MAX_UNPACKED_BYTES = 32 * MAX_SHEET_CELLS
# Spreadsheet XML packs 5 to 30 times; a part that packs far more is mostly filler (a
# sheet of 4 GB of spaces in 4 MB), refused before it is unpacked.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024  # parts smaller than this unpack fast whatever their ratio
# Workbook-level parts (the sheet list and its links) are small; larger ones are damaged.
MAX_INDEX_BYTES = 4 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024

_TOO_FAR_HINT = (
    "delete the empty rows below your data and the empty columns to its right (select them, "
    "right-click, Delete: they still hold a space, a value or a formula), or copy the data "
    "into a new file"
)
_TOO_BIG_HINT = (
    "remove images, formatting and unused sheets, or copy the data into a new file and save that"
)
_DAMAGED_HINT = "open it in Excel or LibreOffice, copy the data into a new file and save that"


@dataclass
class Extent:
    """What measuring a workbook found."""

    problems: list[Problem] = field(default_factory=list)
    measured: bool = False  # every sheet was measured and is within the limits
    unpacked_bytes: int = 0  # the sheets' XML (and shared strings), unpacked


class _Refused(Exception):
    """The XML declares a DTD or entities: refused (no entity is ever expanded)."""


def measure_workbook(path: Path, display: str) -> Extent:
    """Measure ``path`` (an .xlsx, .xlsm or .ods) without reading its cells."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".ods"):
        return Extent()
    try:
        with zipfile.ZipFile(path) as archive:
            if suffix == ".ods":
                parts = {"content.xml": ""} if "content.xml" in archive.namelist() else {}
            else:
                parts = _xlsx_sheet_parts(archive)
            if not parts:
                return Extent()
            return _measure_parts(archive, parts, display, ods=suffix == ".ods")
    except _Refused:
        return Extent([file_problem(display, _damaged("it declares XML entities"), _DAMAGED_HINT)])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, expat.ExpatError):
        return Extent()  # not understood here: read in a child, which reports the damage
    except (ValueError, KeyError, NotImplementedError, RuntimeError):
        return Extent()  # e.g. an encrypted part or an unknown compression method


def _damaged(why: str) -> str:
    return f"the workbook is damaged or not a real spreadsheet ({why})"


def _measure_parts(archive: zipfile.ZipFile, parts: dict[str, str], display: str, ods: bool):
    """Sizes and ratios of ``parts`` (zip name -> sheet name), then their farthest cells."""
    infos = {name: archive.getinfo(name) for name in parts}
    total = sum(info.file_size for info in infos.values())
    for name, info in infos.items():
        sheet = parts[name] or posixpath.basename(name)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_CHECKED_FROM and ratio > MAX_COMPRESSION_RATIO:
            message = _damaged(
                f"the part '{sheet}' unpacks from {_mb(info.compress_size)} to "
                f"{_mb(info.file_size)}, {ratio:,.0f} times its size"
            )
            return Extent([file_problem(display, message, _DAMAGED_HINT)])
    if total > MAX_UNPACKED_BYTES:
        message = (
            f"the sheets unpack to {_mb(total)} of XML; at most {_mb(MAX_UNPACKED_BYTES)} are "
            f"read (about {_n(MAX_ROWS)} rows of {MAX_COLUMNS} columns)"
        )
        return Extent([file_problem(display, message, _TOO_BIG_HINT)])
    problems = []
    for name, sheet in parts.items():
        if not ods and not sheet:
            continue  # shared strings: measured by size only
        with archive.open(name) as stream:
            extents = _ods_extents(stream) if ods else {sheet: _xlsx_extent(stream)}
        for sheet_name, (rows, columns) in extents.items():
            if rows * columns > MAX_SHEET_CELLS:
                problems.append(_too_far(display, sheet_name, rows, columns))
    return Extent(problems, measured=not problems, unpacked_bytes=total)


def _too_far(display: str, sheet: str, rows: int, columns: int) -> Problem:
    message = (
        f"the sheet '{sheet}' reaches cell {column_letter(columns - 1)}{rows}: something is "
        f"typed that far, so the sheet spans {_n(rows)} rows by {_n(columns)} columns, too "
        f"large to read (at most {_n(MAX_ROWS)} rows by {MAX_COLUMNS} columns are read)"
    )
    return file_problem(display, message, _TOO_FAR_HINT)


def _n(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB".replace(",", " ")


# --------------------------------------------------------------------------- xlsx


def _small_xml(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_INDEX_BYTES:
        raise zipfile.BadZipFile(f"{name} is too large")
    return archive.read(name)


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Zip name of every worksheet -> its sheet name (and the shared strings -> '')."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        return {}
    sheets: list[tuple[str, str]] = []  # (name, relationship id)
    targets: dict[str, str] = {}

    def on_workbook(tag, attrs):
        if _local(tag) == "sheet":
            rel = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            sheets.append((attrs.get("name", ""), rel))

    def on_rels(tag, attrs):
        if _local(tag) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    _parse(_small_xml(archive, "xl/workbook.xml"), on_workbook)
    if "xl/_rels/workbook.xml.rels" in names:
        _parse(_small_xml(archive, "xl/_rels/workbook.xml.rels"), on_rels)
    parts: dict[str, str] = {}
    for sheet, rel in sheets:
        target = targets.get(rel, "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        member = posixpath.normpath(member)
        if member in names:
            parts[member] = sheet
    for member in sorted(names):  # sheets the list does not name are measured too
        if re.fullmatch(r"xl/worksheets/[^/]+\.xml", member) and member not in parts:
            parts[member] = posixpath.basename(member)
    if "xl/sharedStrings.xml" in names:
        parts["xl/sharedStrings.xml"] = ""
    return parts


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _parse(data: bytes, on_start) -> None:
    parser = _parser()
    parser.StartElementHandler = on_start
    parser.Parse(data, True)


def _parser():
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse(*args):
        raise _Refused

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def _feed(parser, stream) -> None:
    """Stream a zip part through ``parser``, at most ``MAX_UNPACKED_BYTES`` of it."""
    read = 0
    while chunk := stream.read(CHUNK_BYTES):
        read += len(chunk)
        if read > MAX_UNPACKED_BYTES:
            raise zipfile.BadZipFile("the part unpacks to more than its declared size")
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,9})")


def _xlsx_extent(stream) -> tuple[int, int]:
    """(farthest row, farthest column) of a worksheet's cells with a value, 1-based."""
    state = {"row": 0, "col": 0, "cell": None, "max_row": 0, "max_col": 0}

    def start(tag, attrs):
        local = _local(tag)
        if local == "row":
            given = attrs.get("r", "")
            state["row"] = int(given) if given.isdigit() else state["row"] + 1
            state["col"] = 0
        elif local == "c":
            match = _REF.fullmatch(attrs.get("r", ""))
            if match:
                state["col"] = _column_number(match.group(1))
                row = int(match.group(2))
            else:
                state["col"] += 1
                row = state["row"]
            state["cell"] = (row, state["col"])
        elif local in ("v", "is") and state["cell"]:
            row, col = state["cell"]
            state["max_row"] = max(state["max_row"], row)
            state["max_col"] = max(state["max_col"], col)

    def end(tag):
        if _local(tag) == "c":
            state["cell"] = None

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    _feed(parser, stream)
    return state["max_row"], state["max_col"]


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


# --------------------------------------------------------------------------- ods


def _ods_extents(stream) -> dict[str, tuple[int, int]]:
    """Every table of an .ods content.xml -> (farthest row, farthest column) with content,
    counting repeated rows and cells."""
    extents: dict[str, tuple[int, int]] = {}
    state = {"table": "", "row": 0, "reps": 1, "col": 0, "cell": None, "content": False}
    state.update(max_row=0, max_col=0, row_used=False)

    def start(tag, attrs):
        local = _local(tag)
        if local == "table":
            state.update(table=_attr(attrs, "name") or "", row=0, max_row=0, max_col=0)
        elif local == "table-row":
            state.update(reps=_count(attrs, "number-rows-repeated"), col=0, row_used=False)
        elif local in ("table-cell", "covered-table-cell"):
            reps = _count(attrs, "number-columns-repeated")
            state["cell"] = (state["col"], reps)
            state["content"] = _attr(attrs, "value-type") is not None
            state["col"] += reps
        elif state["cell"] is not None and local in ("p", "h"):
            state["content"] = True

    def end(tag):
        local = _local(tag)
        if local in ("table-cell", "covered-table-cell") and state["cell"] is not None:
            if state["content"]:
                first, reps = state["cell"]
                state["max_col"] = max(state["max_col"], first + reps)
                state["row_used"] = True
            state["cell"] = None
        elif local == "table-row":
            if state["row_used"]:
                state["max_row"] = max(state["max_row"], state["row"] + state["reps"])
            state["row"] += state["reps"]
        elif local == "table":
            extents[state["table"]] = (state["max_row"], state["max_col"])

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    _feed(parser, stream)
    return extents


def _attr(attrs: dict[str, str], local: str) -> str | None:
    return next((value for key, value in attrs.items() if _local(key) == local), None)


def _count(attrs: dict[str, str], local: str) -> int:
    text = _attr(attrs, local) or "1"
    return max(int(text), 1) if text.isdigit() else 1
