"""Stage 1, numbers: a number as partners type it -> its value, or "ambiguous".

Partners write decimal commas or points and group thousands with spaces, apostrophes, commas
or points. What has one reading is read; "1,500" (1500 or 1.5?) is ambiguous and never
guessed. Standard library only.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
# Thousands grouped by spaces or apostrophes (any decimal mark), or by ',' or '.' with the
# other mark as decimal or with two groups at least: "1 500", "1.234,5", "1,500,000".
_GROUPED = re.compile(
    r"^[+-]?[1-9]\d{0,2}(?:(?P<t>[ \u00a0\u202f'])\d{3}(?:(?P=t)\d{3})*(?:[.,]\d+)?"
    r"|(?P<c>[,.])\d{3}(?:(?P=c)\d{3})+|(?P<d>[,.])\d{3}(?:(?P=d)\d{3})*(?!(?P=d))[.,]\d+)$"
)
# One ',' or '.' before exactly three digits: "1,500" is 1500 or 1.5, depending on who typed it.
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}(?P<mark>[,.])\d{3}$")


def read_number(text: str, decimal_comma: bool = False) -> tuple[float | None, bool]:
    """(the number ``text`` spells or None, whether it is ambiguous).

    A decimal comma is accepted, and thousands separators when they cannot be a decimal
    mark ("1 500", "1.234,5", "1,500,000"). One ',' before exactly three digits is either
    ("1,500": 1500 or 1.5), and so is one '.' where the file writes decimal commas
    (``decimal_comma``): those are ambiguous and read as nothing, never guessed. A '.'
    elsewhere is the decimal point, as spreadsheets write their numbers ("1.125").
    """
    text = text.strip()
    ambiguous = _AMBIGUOUS.match(text)
    if ambiguous and (ambiguous.group("mark") == "," or decimal_comma):
        return None, True
    grouped = _GROUPED.match(text)
    if grouped is None:
        compact = text.replace(",", ".")
    elif grouped.group("t"):  # spaces group thousands; a mark left is the decimal one
        compact = re.sub(r"[ \u00a0\u202f']", "", text).replace(",", ".")
    elif grouped.group("c"):  # "1,500,000": every mark groups thousands
        compact = text.replace(grouped.group("c"), "")
    else:  # "1.234,5": the mark that groups, then the decimal one
        compact = text.replace(grouped.group("d"), "").replace(",", ".")
    if not _NUMBER.match(compact):
        return None, False
    number = float(compact)
    if number != number or number in (float("inf"), float("-inf")):
        return None, False
    return number, False


def parse_number(text: str) -> float | None:
    """'21', '2,5', '1 234,5', '1.234,5', '1,234.5' -> float; None if not a number or if
    ambiguous ('1,500')."""
    return read_number(text)[0]


def format_number(number: float) -> str:
    """Fixed text for a number: 21 (not 21.0), 2.5, at most 6 decimals, no exponent."""
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.6f}".rstrip("0").rstrip(".")


def ambiguous_number(text: str, decimal_comma: bool) -> tuple[str, str]:
    """The message and hint for "1,500": both readings, each written unambiguously."""
    mark = "," if "," in text else "."
    thousands = format_number(float(text.replace(mark, "")))
    decimal = format_number(float(text.replace(mark, ".")))
    if decimal_comma:
        decimal = decimal.replace(".", ",")
    if re.search(r"[.,]\d{3}$", decimal):
        decimal += "0"  # "1,125" would be as ambiguous as the cell
    return (
        f"'{text}' is ambiguous: {thousands} if '{mark}' separates thousands, "
        f"{decimal} if it is the decimal mark",
        f"write {thousands} (without a thousands separator) or {decimal}",
    )
