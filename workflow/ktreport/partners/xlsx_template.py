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

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ktreport import __version__
from ktreport.contract import PARTNER_TABLES, Table
from ktreport.ingest.taxonomy import Skill
from ktreport.partners.xlsx_columns import ListSheet, table_sheet
from ktreport.partners.xlsx_help import help_sheet, skills_sheet
from ktreport.partners.xlsx_inputs import (
    Partner,
    TemplateError,
    default_output,
    find_partner,
    read_partners,
    read_skills,
)
from ktreport.partners.xlsx_style import (
    AUTHOR,
    HELP_SHEET,
    LAST_DATA_ROW,
    SKILLS_SHEET,
    TEMPLATE_DATE,
    ZIP_DATE,
)

# The names the command line and the tests use, wherever they are defined.
__all__ = [
    "LAST_DATA_ROW",
    "TEMPLATE_DATE",
    "ZIP_DATE",
    "Partner",
    "Skill",
    "TemplateError",
    "build_workbook",
    "default_output",
    "find_partner",
    "read_partners",
    "workbook_bytes",
    "write_template",
]


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
    lists = ListSheet(workbook)
    # `help` comes first and is open when the file is opened: a partner reads it first.
    help_sheet(workbook.create_sheet(HELP_SHEET), partner, tables)
    for table in tables:
        table_sheet(workbook.create_sheet(table.name), table, lists)
    skills_sheet(workbook.create_sheet(SKILLS_SHEET), skills)
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
