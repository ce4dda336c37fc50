"""Partner spreadsheet templates, their table sheets: one column per contract column.

Each header says whether the column is required, optional or personal (fill, font, `` *``)
and carries a note with its meaning, allowed values and an example; each column has a
width, a number format and an Excel data validation (a dropdown, a range check or a hint)
derived from the contract, so the template accepts nothing the validator would refuse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ktreport.contract import Column, Table, label
from ktreport.partners.xlsx_style import (
    AUTHOR,
    BOLD,
    CENTRED_KINDS,
    ERROR_LIMIT,
    FIRST_DATA_ROW,
    HEADER_BORDER,
    INLINE_LIST_LIMIT,
    KIND_WIDTHS,
    LAST_DATA_ROW,
    LISTS_SHEET,
    LONG_TEXT_COLUMNS,
    LONG_TEXT_WIDTH,
    OPTIONAL_FILL,
    OPTIONAL_FONT,
    PERSONAL_FILL,
    PERSONAL_FONT,
    PROMPT_LIMIT,
    PROMPT_TITLE_LIMIT,
    REQUIRED_FILL,
    REQUIRED_FONT,
    REQUIRED_MARK,
    SKILL_IDS_NAME,
    TEXT_FORMAT_KINDS,
)


def table_sheet(sheet: Worksheet, table: Table, lists: ListSheet) -> None:
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


def data_validation(column: Column, lists: ListSheet) -> DataValidation:
    """The Excel data validation of a column: a dropdown, a range check or only a hint."""
    hint = {
        "allow_blank": True,
        "showInputMessage": True,
        "promptTitle": _clip(column.name, PROMPT_TITLE_LIMIT),
        "prompt": _clip(_prompt(column), PROMPT_LIMIT),
    }
    refused = _clip(f"Not allowed in {column.name}", PROMPT_TITLE_LIMIT)
    if column.kind in ("enum", "boolean"):
        values = ("yes", "no") if column.kind == "boolean" else column.allowed
        error = _clip("Pick one of: " + ", ".join(values) + ".", ERROR_LIMIT)
        return _checked(hint, "list", refused, error, formula1=lists.formula(column.name, values))
    if column.kind == "skill":
        # Labels and synonyms are accepted by the validator too: warn, do not refuse.
        error = (
            "Not a skill_id of the 'skills' sheet. Pick one from the list "
            "(labels and synonyms are also understood if spelled exactly)."
        )
        return _checked(
            hint, "list", "Not a skill id", error, style="warning", formula1=SKILL_IDS_NAME
        )
    if column.kind in ("integer", "number"):
        kind = "whole" if column.kind == "integer" else "decimal"
        operator, formula1, formula2 = _range(column)
        what = "a whole number" if column.kind == "integer" else "a number"
        error = _clip(f"Type {column.allowed_text() or what}.", ERROR_LIMIT)
        return _checked(
            hint, kind, refused, error, operator=operator, formula1=formula1, formula2=formula2
        )
    if column.kind == "date":
        error = "Type the date as 2023-03-31 (year-month-day)."
        return _checked(hint, "date", "Not a date", error, operator="greaterThan", formula1="0")
    # Free text, ids, skills lists, countries, URLs, personal data: a hint when typing.
    return DataValidation(**hint)


def _checked(
    hint: dict, kind: str, title: str, error: str, *, style: str = "stop", **rule: str | None
) -> DataValidation:
    """A validation that checks what is typed: ``rule`` (type's formulas, operator), the
    hint while typing and, for a value it refuses (or warns of), ``title`` and ``error``."""
    return DataValidation(
        type=kind,
        showErrorMessage=True,
        errorStyle=style,
        errorTitle=title,
        error=error,
        **rule,
        **hint,
    )


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


class ListSheet:
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
