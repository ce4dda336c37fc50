"""Partner spreadsheet templates, their look: sheet names, Excel's limits, fills, fonts, widths.

Shared by every sheet of the template (``xlsx_columns``, ``xlsx_help``, ``xlsx_template``).
"""

from __future__ import annotations

import datetime as dt

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

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
