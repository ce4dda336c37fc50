"""Partner spreadsheet templates (.xlsx), generated from the data contract and the taxonomy.

Every sheet, header, hint, dropdown and range check below is derived from ``contract`` and
the skills taxonomy CSV, so the template cannot accept a column, value or range that the
validator would not (it may be stricter: the dropdowns offer only the canonical values).

The workbook holds one sheet per partner table named exactly like the table (the readers
pick the sheet by that name), a protected ``skills`` sheet, a ``help`` sheet and, only when
some list of allowed values is too long for an inline dropdown, a hidden ``lists`` sheet.
The bytes depend only on the inputs: the document dates and the zip entry dates are fixed.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ktreport import __version__
from ktreport.contract import PARTNER_TABLES, TAXONOMY_COLUMNS, Column, Table, label

# Data validations and column formats cover these spreadsheet rows (row 1 is the header).
FIRST_DATA_ROW = 2
LAST_DATA_ROW = 1000
# Excel refuses an inline list ("a,b,c") longer than this; longer lists go to the `lists` sheet.
INLINE_LIST_LIMIT = 255
# Excel's limits for the texts of a data validation (longer texts make the file unreadable).
PROMPT_TITLE_LIMIT = 32
PROMPT_LIMIT = 255
ERROR_LIMIT = 225
# Document and zip-entry dates: fixed so that two writes give the same bytes.
TEMPLATE_DATE = dt.datetime(2024, 1, 1)
ZIP_DATE = (2024, 1, 1, 0, 0, 0)

REQUIRED_MARK = " *"
SKILLS_SHEET = "skills"
HELP_SHEET = "help"
LISTS_SHEET = "lists"
SKILLS_SHEET_COLUMNS = ("skill_id", "label", "category", "cluster", "synonyms")
SKILL_IDS_NAME = "skill_ids"
AUTHOR = "ktreport"

# Header styles: required columns dark with white bold text, optional ones light, personal
# ones in a warm tone that says "handle with care".
REQUIRED_FILL = PatternFill("solid", fgColor="1F4E79")
OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
PERSONAL_FILL = PatternFill("solid", fgColor="FCE4D6")
# The font is named: without a name LibreOffice falls back to a serif face for bold text.
FONT_NAME = "Calibri"
REQUIRED_FONT = Font(name=FONT_NAME, bold=True, color="FFFFFF")
OPTIONAL_FONT = Font(name=FONT_NAME, bold=True, color="1F4E79")
PERSONAL_FONT = Font(name=FONT_NAME, bold=True, italic=True, color="843C0C")
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14, color="1F4E79")
SECTION_FONT = Font(name=FONT_NAME, bold=True, size=12, color="1F4E79")
BOLD = Font(name=FONT_NAME, bold=True)
THIN = Side(style="thin", color="9BC2E6")
HEADER_BORDER = Border(bottom=Side(style="medium", color="1F4E79"))
WRAP_TOP = Alignment(wrap_text=True, vertical="top")

# Width (in characters) of a column of each kind; the header name may widen it.
KIND_WIDTHS = {
    "id": 14,
    "text": 34,
    "multi": 30,
    "skills": 42,
    "skill": 24,
    "country": 16,
    "number": 12,
    "integer": 12,
    "date": 13,
    "boolean": 10,
    "url": 34,
    "personal": 24,
}
# Free-text columns where partners write sentences.
LONG_TEXT_WIDTH = 50
LONG_TEXT_COLUMNS = ("notes", "quote")
# Short values, centred so that a right-aligned number does not touch the next column's text.
CENTRED_KINDS = ("number", "integer", "date", "boolean")
# Columns shown as text so that Excel does not turn "1-2" into a date or drop leading zeros.
TEXT_FORMAT_KINDS = ("id", "text", "multi", "skills", "skill", "country", "url", "personal")


class TemplateError(ValueError):
    """A template cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class Partner:
    partner_id: str
    name: str
    country: str


@dataclass(frozen=True)
class Skill:
    skill_id: str
    label: str
    category: str
    cluster: str
    synonyms: str


# ---------------------------------------------------------------------------- reference data
def read_partners(partners_path: Path) -> list[Partner]:
    """The consortium's partners (``partners.csv``: partner_id, name, country)."""
    rows = _read_csv(partners_path, ("partner_id", "name", "country"))
    return [Partner(r["partner_id"], r["name"], r["country"]) for r in rows if r["partner_id"]]


def read_skills(taxonomy_path: Path) -> list[Skill]:
    """The skills of the taxonomy CSV, in file order (the taxonomy's own grouping)."""
    rows = _read_csv(taxonomy_path, TAXONOMY_COLUMNS)
    return [
        Skill(r["skill_id"], r["label"], r["category"], r["cluster"], r["synonyms"])
        for r in rows
        if r["skill_id"]
    ]


def _read_csv(path: Path, columns: Sequence[str]) -> list[dict[str, str]]:
    path = Path(path)
    if not path.is_file():
        raise TemplateError(f"{path}: file not found. Run the command from the project folder.")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            raise TemplateError(
                f"{path}: column(s) {', '.join(missing)} missing in the header row; "
                f"expected {', '.join(columns)}."
            )
        return [{c: (row.get(c) or "").strip() for c in columns} for row in reader]


def find_partner(partner_id: str, partners: Sequence[Partner]) -> Partner:
    """The partner with this id (case does not matter); unknown ids get a suggestion."""
    by_id = {p.partner_id.casefold(): p for p in partners}
    found = by_id.get(partner_id.strip().casefold())
    if found is not None:
        return found
    known = sorted(p.partner_id for p in partners)
    close = difflib.get_close_matches(partner_id.upper(), [k.upper() for k in known], n=1)
    suggestion = ""
    if close:
        suggestion = f"Did you mean {next(k for k in known if k.upper() == close[0])}? "
    raise TemplateError(
        f"Unknown partner id '{partner_id}'. {suggestion}"
        f"Known partner ids: {', '.join(known)} (from partners.csv)."
    )


def default_output(partner_id: str, directory: Path, raw_dir: Path) -> Path:
    """``<PARTNER_ID>_template.xlsx`` in ``directory``, refused inside ``raw_dir``.

    The raw data folder is only ever written when the user names a file there explicitly.
    """
    out = Path(directory) / f"{partner_id}_template.xlsx"
    raw = Path(raw_dir).resolve()
    target = out.resolve()
    if target == raw or raw in target.parents:
        raise TemplateError(
            f"Not writing the template into the raw data folder {raw}: run the command "
            "from another folder, or name the file with --out if you really want it there."
        )
    return out


# ------------------------------------------------------------------------------ the workbook
def write_template(partner_id: str, out: Path, taxonomy_path: Path, partners_path: Path) -> Path:
    """Write the spreadsheet template of one partner to ``out`` and return ``out``.

    Raises ``TemplateError`` (a message for people) for an unknown partner id or unreadable
    reference files.
    """
    partner = find_partner(partner_id, read_partners(partners_path))
    skills = read_skills(taxonomy_path)
    if not skills:
        raise TemplateError(f"{taxonomy_path}: the skills taxonomy has no skills.")
    workbook = build_workbook(partner, tuple(PARTNER_TABLES.values()), skills)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(workbook_bytes(workbook))
    return out


def build_workbook(partner: Partner, tables: Sequence[Table], skills: Sequence[Skill]) -> Workbook:
    """The template workbook: ``help``, the table sheets, ``skills`` and maybe ``lists``."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    lists = _ListSheet(workbook)
    # `help` comes first and is open when the file is opened: a partner reads it first.
    _help_sheet(workbook.create_sheet(HELP_SHEET), partner, tables)
    for table in tables:
        _table_sheet(workbook.create_sheet(table.name), table, lists)
    _skills_sheet(workbook.create_sheet(SKILLS_SHEET), skills)
    lists.finish()
    for sheet in workbook.worksheets:
        _page_setup(sheet)
    workbook.active = 0
    properties = workbook.properties
    properties.creator = AUTHOR
    properties.lastModifiedBy = AUTHOR
    properties.title = f"KT SoftSkills data template for {partner.partner_id}"
    properties.subject = partner.name
    properties.keywords = f"partner_id={partner.partner_id}; ktreport {__version__}"
    properties.created = TEMPLATE_DATE
    properties.modified = TEMPLATE_DATE
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """The .xlsx bytes with fixed dates (openpyxl's ``save`` stamps the current time)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()


def _page_setup(sheet: Worksheet) -> None:
    """Printed or exported to PDF: A4 landscape, all columns on one page width."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.title != HELP_SHEET:
        sheet.print_title_rows = "1:1"


# ----------------------------------------------------------------------------- table sheets
def _table_sheet(sheet: Worksheet, table: Table, lists: _ListSheet) -> None:
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=header_text(column))
        if column.is_personal:
            cell.fill, cell.font = PERSONAL_FILL, PERSONAL_FONT
        elif column.required:
            cell.fill, cell.font = REQUIRED_FILL, REQUIRED_FONT
        else:
            cell.fill, cell.font = OPTIONAL_FILL, OPTIONAL_FONT
        cell.border = HEADER_BORDER
        cell.alignment = Alignment(vertical="center")
        text = header_comment(column)
        cell.comment = Comment(text, AUTHOR, width=340, height=_comment_height(text))
        dimension = sheet.column_dimensions[letter]
        dimension.width = column_width(column)
        if column.kind in TEXT_FORMAT_KINDS:
            dimension.number_format = "@"
        elif column.kind == "date":
            dimension.number_format = "yyyy-mm-dd"
        if column.kind in CENTRED_KINDS:
            dimension.alignment = Alignment(horizontal="center")
        validation = data_validation(column, lists)
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW}")
        sheet.add_data_validation(validation)
    sheet.row_dimensions[1].height = 22
    # The header stays visible while scrolling down, the id column while scrolling right.
    sheet.freeze_panes = "B2"
    sheet.sheet_properties.tabColor = "1F4E79"


def header_text(column: Column) -> str:
    """The header cell: the column name, with `` *`` when required.

    The readers match headers ignoring case and punctuation, so "case_id *" is "case_id";
    the star marks required columns even when printed in black and white.
    """
    return f"{column.name}{REQUIRED_MARK}" if column.required else column.name


def header_comment(column: Column) -> str:
    """The note on a header cell: status, meaning, allowed values and an example."""
    if column.is_personal:
        status = "optional, personal data"
    else:
        status = "REQUIRED" if column.required else "optional"
    lines = [f"{column.name} ({status})", column.description]
    allowed = allowed_description(column)
    if allowed:
        lines.append(allowed)
    if column.default is not None and not column.required:
        lines.append(f"Left blank, it counts as: {_show_default(column.default)}.")
    if column.example:
        lines.append(f"Example: {column.example}")
    if column.is_personal:
        lines.append("Stays in your file only: removed when the data is cleaned, never published.")
    return "\n".join(lines)


def allowed_description(column: Column) -> str:
    """What a partner may type in the column, in words."""
    if column.kind == "enum":
        return "Allowed values (pick from the list): " + _with_labels(column.allowed) + "."
    if column.kind == "multi":
        return "One or more of, separated by ';': " + _with_labels(column.allowed) + "."
    if column.kind == "boolean":
        return "Allowed values: yes or no (pick from the list)."
    if column.kind == "skills":
        return (
            "Skill ids, labels or synonyms from the 'skills' sheet, separated by ';'."
            " Skills not in the taxonomy are reported."
        )
    if column.kind == "skill":
        return "One skill id from the 'skills' sheet (pick from the list)."
    if column.kind in ("number", "integer"):
        return f"Allowed: {column.allowed_text()}." if column.allowed_text() else ""
    if column.kind == "date":
        return "Type the date as 2023-03-31 (year-month-day)."
    if column.kind == "country":
        return "A country name (English or local) or an ISO code such as IT, DE, CZ."
    if column.kind == "url":
        return "A full web address starting with http:// or https://."
    if column.kind == "id":
        return "Use each identifier only once."
    return ""


def _with_labels(values: Iterable[str]) -> str:
    parts = []
    for value in values:
        human = label(value)
        parts.append(value if human == value else f"{value} ({human})")
    return ", ".join(parts)


def _show_default(value: str | bool) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _comment_height(text: str, chars_per_line: int = 52) -> int:
    lines = sum(max(1, -(-len(line) // chars_per_line)) for line in text.splitlines())
    return 24 + 16 * lines


def column_width(column: Column) -> float:
    """A width that shows the header and a typical value without wasting space."""
    if column.name in LONG_TEXT_COLUMNS:
        width = LONG_TEXT_WIDTH
    elif column.kind == "enum":
        width = max(len(v) for v in column.allowed) + 4
    else:
        width = KIND_WIDTHS.get(column.kind, 16)
    return float(max(width, len(header_text(column)) + 4, len(column.example) + 2))


def data_validation(column: Column, lists: _ListSheet) -> DataValidation:
    """The Excel data validation of a column: a dropdown, a range check or only a hint."""
    prompt_title = _clip(column.name, PROMPT_TITLE_LIMIT)
    prompt = _clip(_prompt(column), PROMPT_LIMIT)
    common = dict(
        allow_blank=True,
        showInputMessage=True,
        promptTitle=prompt_title,
        prompt=prompt,
    )
    if column.kind in ("enum", "boolean"):
        values = ("yes", "no") if column.kind == "boolean" else column.allowed
        return DataValidation(
            type="list",
            formula1=lists.formula(column.name, values),
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=_clip(f"Not allowed in {column.name}", PROMPT_TITLE_LIMIT),
            error=_clip("Pick one of: " + ", ".join(values) + ".", ERROR_LIMIT),
            **common,
        )
    if column.kind == "skill":
        # Labels and synonyms are accepted by the validator too: warn, do not refuse.
        return DataValidation(
            type="list",
            formula1=SKILL_IDS_NAME,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="Not a skill id",
            error="Not a skill_id of the 'skills' sheet. Pick one from the list "
            "(labels and synonyms are also understood if spelled exactly).",
            **common,
        )
    if column.kind in ("integer", "number"):
        kind = "whole" if column.kind == "integer" else "decimal"
        operator, formula1, formula2 = _range(column)
        what = "a whole number" if column.kind == "integer" else "a number"
        return DataValidation(
            type=kind,
            operator=operator,
            formula1=formula1,
            formula2=formula2,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=_clip(f"Not allowed in {column.name}", PROMPT_TITLE_LIMIT),
            error=_clip(f"Type {column.allowed_text() or what}.", ERROR_LIMIT),
            **common,
        )
    if column.kind == "date":
        return DataValidation(
            type="date",
            operator="greaterThan",
            formula1="0",
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle="Not a date",
            error="Type the date as 2023-03-31 (year-month-day).",
            **common,
        )
    # Free text, ids, skills lists, countries, URLs, personal data: a hint when typing.
    return DataValidation(**common)


def _range(column: Column) -> tuple[str, str | None, str | None]:
    low, high = column.minimum, column.maximum
    if low is not None and high is not None:
        return "between", _number(low), _number(high)
    if low is not None:
        return "greaterThanOrEqual", _number(low), None
    if high is not None:
        return "lessThanOrEqual", _number(high), None
    # No bounds in the contract: any number (Excel needs an operator and a bound).
    return "between", "-1E+300", "1E+300"


def _number(value: float) -> str:
    return f"{value:g}"


def _prompt(column: Column) -> str:
    status = "Required. " if column.required else ""
    allowed = allowed_description(column)
    return f"{status}{column.description} {allowed}".strip()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _ListSheet:
    """Inline dropdown lists, or a range of the hidden ``lists`` sheet for long ones."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.sheet: Worksheet | None = None
        self.columns: dict[str, int] = {}

    def formula(self, name: str, values: Sequence[str]) -> str:
        inline = '"' + ",".join(values) + '"'
        if len(inline) <= INLINE_LIST_LIMIT and not any("," in v for v in values):
            return inline
        if self.sheet is None:
            self.sheet = self.workbook.create_sheet(LISTS_SHEET)
        index = self.columns.setdefault(name, len(self.columns) + 1)
        letter = get_column_letter(index)
        self.sheet.cell(row=1, column=index, value=name).font = BOLD
        for row, value in enumerate(values, start=2):
            self.sheet.cell(row=row, column=index, value=value)
        last = len(values) + 1
        return f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}"

    def finish(self) -> None:
        if self.sheet is not None:
            # Last, so the visible sheets keep their order.
            self.workbook.move_sheet(self.sheet, len(self.workbook.sheetnames))
            self.sheet.sheet_state = "hidden"
            self.sheet.protection.sheet = True


# ------------------------------------------------------------------------------ skills sheet
def _skills_sheet(sheet: Worksheet, skills: Sequence[Skill]) -> None:
    widths = {"skill_id": 24, "label": 44, "category": 10, "cluster": 20, "synonyms": 70}
    for index, name in enumerate(SKILLS_SHEET_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        cell.fill, cell.font, cell.border = OPTIONAL_FILL, OPTIONAL_FONT, HEADER_BORDER
        sheet.column_dimensions[get_column_letter(index)].width = widths[name]
    for row, skill in enumerate(skills, start=2):
        values = (skill.skill_id, skill.label, skill.category, skill.cluster)
        for index, value in enumerate(values, start=1):
            sheet.cell(row=row, column=index, value=value)
        synonyms = "; ".join(s.strip() for s in skill.synonyms.split(";") if s.strip())
        sheet.cell(row=row, column=5, value=synonyms)
    last = len(skills) + 1
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(SKILLS_SHEET_COLUMNS))}{last}"
    # Read only, but partners may still filter and sort to find a skill.
    sheet.protection.sheet = True
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    sheet.sheet_properties.tabColor = "70AD47"
    reference = f"{quote_sheetname(SKILLS_SHEET)}!$A$2:$A${last}"
    sheet.parent.defined_names[SKILL_IDS_NAME] = DefinedName(SKILL_IDS_NAME, attr_text=reference)


# -------------------------------------------------------------------------------- help sheet
HELP_WIDTHS = (14, 20, 18, 50, 56, 26)


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (a safe guess)."""
    usable = max(1, int(width * 0.9))
    return sum(max(1, -(-len(part) // usable)) for part in str(text).splitlines() or [""])


def _required_text(column: Column) -> str:
    if column.is_personal:
        return "no, personal"
    return "yes" if column.required else "no"


def _help_sheet(sheet: Worksheet, partner: Partner, tables: Sequence[Table]) -> None:
    table_names = ", ".join(t.name for t in tables)
    rows: list[tuple[str, Font | None]] = [
        (f"KT SoftSkills data template for {partner.partner_id} ({partner.name})", TITLE_FONT),
        (f"Generated by ktreport {__version__} from the project's data contract.", None),
        ("", None),
        ("How to fill in", SECTION_FONT),
        (
            f"1. Each sheet ({table_names}) is one table; enter one row per record, "
            "from row 2 on. Do not rename sheets or change the header row.",
            None,
        ),
        (
            "2. Dark header with * = required column; light header = optional; orange header = "
            "personal data. Hover over a header to read what the column means.",
            None,
        ),
        (
            "3. Columns with a dropdown accept only the listed values; number and date "
            "columns refuse values out of range.",
            None,
        ),
        (
            "4. Skills: use the skill ids (or labels or synonyms) of the 'skills' sheet. "
            "Several skills in one cell are separated by ';'.",
            None,
        ),
        ("5. Leave a sheet empty if it does not apply (the ratings sheet is optional).", None),
        ("", None),
        ("How to check your file", SECTION_FONT),
        (
            "The coordinator runs the validation (ktreport validate) and sends you a "
            "validation report (an HTML file you open in any web browser). It lists every "
            "problem with its sheet row, column, the value you typed, what is wrong and how "
            "to fix it, and shows how each row was understood (e.g. 'Czech Republic → CZ').",
            None,
        ),
        ("Errors must be fixed before the report can be built; warnings are worth a look.", None),
        ("", None),
        ("How to hand over", SECTION_FONT),
        (
            f"Save the file as .xlsx (keep the sheets as they are) and name it "
            f"{partner.partner_id}.xlsx; send it to the coordinator. Later updates: send the "
            "whole file again; only your file is checked and cleaned again.",
            None,
        ),
        ("", None),
        ("Personal data", SECTION_FONT),
        (
            "Columns with an orange header (name, email, organisation, phone) are personal "
            "data. They may stay in your file, but they are dropped when the data is cleaned "
            "and never appear in any output, figure or report.",
            None,
        ),
        ("", None),
        ("What each column means", SECTION_FONT),
    ]
    for row, (text, font) in enumerate(rows, start=1):
        cell = sheet.cell(row=row, column=1, value=text or None)
        if font is not None:
            cell.font = font
        else:
            cell.alignment = WRAP_TOP
        if text:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
            if font is None:
                sheet.row_dimensions[row].height = 15 * _lines(text, sum(HELP_WIDTHS))
    header = ("sheet", "column", "required", "what it means", "allowed values", "example")
    start = len(rows) + 1
    for index, name in enumerate(header, start=1):
        cell = sheet.cell(row=start, column=index, value=name)
        cell.fill, cell.font, cell.border = REQUIRED_FILL, REQUIRED_FONT, HEADER_BORDER
    row = start
    for table in tables:
        for column in table.columns:
            row += 1
            values = (
                table.name,
                column.name,
                _required_text(column),
                column.description,
                allowed_description(column),
                column.example,
            )
            lines = 1
            for index, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=index, value=value or None)
                cell.alignment = WRAP_TOP
                cell.border = Border(bottom=THIN)
                lines = max(lines, _lines(value, HELP_WIDTHS[index - 1]))
            # Spreadsheet programs do not grow rows for wrapped text written by a program.
            sheet.row_dimensions[row].height = 15 * lines
            if column.required and not column.is_personal:
                sheet.cell(row=row, column=2).font = BOLD
    for letter, width in zip("ABCDEF", HELP_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.protection.sheet = True
    sheet.sheet_view.showGridLines = False
    sheet.sheet_properties.tabColor = "FFC000"
