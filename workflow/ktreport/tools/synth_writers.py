"""Outside the pipeline, its inputs: SAMPLE and synthetic data written as partners' files.

One file per partner and table in the partner's format (.csv, .xlsx or .ods) with its
habits (delimiter, BOM, line ends, decimal comma, spaced headers, personal columns first).
Spreadsheets carry fixed document and zip-entry dates and are stored uncompressed, so the
same dataset gives the same bytes on every run and machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import shutil
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ktreport.contract import (
    CASE_STUDIES,
    INTERVIEWS,
    PARTNER_TABLES,
    RATINGS,
    RAW_EXTENSIONS,
    Table,
)
from ktreport.tools.synth_cells import (
    case_study_cells,
    interview_cells,
    rating_cells,
    read_taxonomy,
)
from ktreport.tools.synth_data import FIXED_DATETIME, FileStyle, Programme
from ktreport.tools.synth_people import Interview, Rating


@dataclass(frozen=True)
class Dataset:
    """Everything one writer writes, before formatting."""

    case_studies: dict[str, list[tuple[str, Programme]]]  # partner -> (case_id, programme)
    interviews: dict[str, list[Interview]]
    ratings: dict[str, list[Rating]]
    styles: dict[str, FileStyle]
    label: str


def write_dataset(raw_dir: Path, dataset: Dataset, rng: random.Random) -> None:
    taxonomy = read_taxonomy()
    for table_name in PARTNER_TABLES:
        folder = raw_dir / table_name
        folder.mkdir(parents=True, exist_ok=True)
        for old in sorted(folder.iterdir()):
            if old.is_file() and old.suffix.lower() in RAW_EXTENSIONS:
                old.unlink()
    for partner, rows in dataset.case_studies.items():
        style = dataset.styles[partner]
        cells = [case_study_cells(cid, p, style, taxonomy, rng) for cid, p in rows]
        _write_table(raw_dir, partner, CASE_STUDIES, cells, style, dataset.label)
    for partner, interviews in dataset.interviews.items():
        style = dataset.styles[partner]
        cells = [interview_cells(iv, i, style, taxonomy, rng) for i, iv in enumerate(interviews)]
        _write_table(raw_dir, partner, INTERVIEWS, cells, style, dataset.label)
    for partner, ratings in dataset.ratings.items():
        style = dataset.styles[partner]
        cells = [rating_cells(r, style, taxonomy, rng) for r in ratings]
        _write_table(raw_dir, partner, RATINGS, cells, style, dataset.label)


def _header(column: str, style: FileStyle) -> str:
    if not style.spaced_headers:
        return column
    words = column.split("_")
    return " ".join(
        w.upper() if w in ("id", "url") else (w.capitalize() if i == 0 else w)
        for i, w in enumerate(words)
    )


def _write_table(
    raw_dir: Path,
    partner: str,
    table: Table,
    rows: list[dict[str, object]],
    style: FileStyle,
    label: str,
) -> None:
    columns = [c for c in table.column_names if c not in style.omit]
    if style.personal_first:
        personal = [c for c in columns if c in table.personal_columns]
        columns = personal + [c for c in columns if c not in personal]
    header = [_header(c, style) for c in columns]
    grid = [[row[c] for c in columns] for row in rows]
    if style.ext != ".csv" and style.date_format is not None:  # dates typed as text
        grid = [
            [v.strftime(style.date_format) if isinstance(v, dt.date) else v for v in row]
            for row in grid
        ]
    path = raw_dir / table.name / f"{partner}{style.ext}"
    if style.ext == ".csv":
        _write_csv(path, header, grid, style)
    elif style.ext == ".xlsx":
        _write_xlsx(path, table.name, header, grid, label)
    else:
        _write_ods(path, table.name, header, grid, label)


def _csv_text(value: object, style: FileStyle) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime(style.date_format or "%Y-%m-%d")
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
        return text.replace(".", ",") if style.decimal_comma else text
    return str(value)


def _write_csv(path: Path, header: list[str], grid: list[list[object]], style: FileStyle) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer, delimiter=style.delimiter, lineterminator="\r\n" if style.crlf else "\n"
    )
    writer.writerow(header)
    writer.writerows([[_csv_text(v, style) for v in row] for row in grid])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig" if style.bom else "utf-8"))


def write_csv_rows(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(sorted(rows))
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def _label_text(label: str) -> list[str]:
    return [
        label,
        "Sample or synthetic data of the KT SoftSkills project, not real study data.",
        "All personal data (names, e-mails, organisations, phones) are fake.",
        "Programme names come from public sources; other values may be estimates.",
        "See data/raw/README.md.",
    ]


def _write_xlsx(
    path: Path, sheet: str, header: list[str], grid: list[list[object]], label: str
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    data = workbook.active
    data.title = sheet
    data.append(header)
    for cell in data[1]:
        cell.font = Font(bold=True)
    for row in grid:
        data.append(["" if v is None else v for v in row])
    for row in data.iter_rows(min_row=2):
        for cell in row:
            if cell.value == "":
                cell.value = None
            elif isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    for index, name in enumerate(header, 1):
        width = max([len(name)] + [len(str(r[index - 1] or "")) for r in grid])
        data.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    data.freeze_panes = "A2"
    about = workbook.create_sheet("about")
    for line in _label_text(label):
        about.append([line])
    about.column_dimensions["A"].width = 80
    props = workbook.properties
    props.title = label
    props.subject = label
    props.description = _label_text(label)[1]
    props.creator = "KT SoftSkills consortium"
    props.lastModifiedBy = "KT SoftSkills consortium"
    props.created = FIXED_DATETIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    # openpyxl stamps the save time as the modified date: put the fixed date back.
    stamp = FIXED_DATETIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def fix_modified(name: str, content: bytes) -> bytes:
        if name != "docProps/core.xml":
            return content
        return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", content)

    path.write_bytes(_frozen_zip(buffer.getvalue(), fix_modified))


def _write_ods(
    path: Path, sheet: str, header: list[str], grid: list[list[object]], label: str
) -> None:
    from odf import dc, meta
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table as OdsTable
    from odf.table import TableCell, TableRow
    from odf.text import P

    def cell(value: object) -> TableCell:
        if value is None or value == "":
            return TableCell()
        if isinstance(value, dt.date):
            element = TableCell(valuetype="date", datevalue=value.isoformat())
            text = value.strftime("%d.%m.%Y")
        elif isinstance(value, (int, float)):
            element = TableCell(valuetype="float", value=str(value))
            text = str(value)
        else:
            element = TableCell(valuetype="string")
            text = str(value)
        element.addElement(P(text=text))
        return element

    # odfpy keeps the namespaces it has seen in a class attribute shared by every element of
    # the process, and declares all of them in each file it writes: start from none, so the
    # bytes depend on this document only, not on what the process wrote or read before.
    from odf.element import Element

    Element.namespaces.clear()
    document = OpenDocumentSpreadsheet()
    stamp = FIXED_DATETIME.strftime("%Y-%m-%dT%H:%M:%S")
    document.meta.addElement(dc.Title(text=label))
    document.meta.addElement(dc.Description(text=_label_text(label)[1]))
    document.meta.addElement(meta.CreationDate(text=stamp))
    document.meta.addElement(dc.Date(text=stamp))
    for name, rows in ((sheet, [header, *grid]), ("about", [[t] for t in _label_text(label)])):
        table = OdsTable(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row:
                table_row.addElement(cell(value))
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    path.write_bytes(_frozen_zip(buffer.getvalue()))


def _frozen_zip(data: bytes, rewrite: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """The same zip archive with fixed entry dates and attributes, stored uncompressed: the
    same bytes on every run and every machine (deflate output depends on the zlib build)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if rewrite is not None:
                content = rewrite(info.filename, content)
            frozen = zipfile.ZipInfo(info.filename, date_time=FIXED_DATETIME.timetuple()[:6])
            frozen.compress_type = zipfile.ZIP_STORED
            frozen.create_system = 3
            frozen.external_attr = 0o644 << 16
            target.writestr(frozen, content)
    return output.getvalue()


def copy_reference(source: Path, target: Path) -> None:
    if target.exists() and target.resolve() == source.resolve():
        return
    shutil.copyfile(source, target)
