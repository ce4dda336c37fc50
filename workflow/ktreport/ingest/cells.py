"""Stage 1, cell parsing: one cell's text -> its typed value, by its contract column's kind.

Numbers, dates, yes/no, enums, lists, countries, skills and web addresses each have their
parser; ``parse_cell`` picks it by ``Column.kind``. A parser never raises for bad input: it
returns ``Parsed`` with the value (None: blank or not understood), what the pipeline
understood (for the partner's preview; "?" = not understood) and its problems as
(severity, message, hint). Standard library only, so a per-file job starts quickly.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ktreport import contract
from ktreport.contract import Column
from ktreport.ingest import countries, suggestions
from ktreport.ingest.lookalikes import INVISIBLE, visible, without_invisible
from ktreport.ingest.numbers import ambiguous_number, format_number, read_number
from ktreport.ingest.numbers import parse_number as parse_number  # the tests read it here
from ktreport.ingest.rawtable import SPREADSHEET_ERRORS
from ktreport.ingest.spelling import fold
from ktreport.ingest.taxonomy import Taxonomy

# Dates outside this window are typing errors (a fixed window: the result must not depend
# on the day the pipeline runs).
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2035, 12, 31)
URL_PATTERN = r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$"
UNKNOWN = "?"
# Numbers beyond this are typing errors, and could not be stored as whole numbers exactly.
LARGEST_NUMBER = 1e15


@dataclass
class Parsed:
    value: Any = None  # typed value (None: blank or not understood)
    understood: str = ""  # for the preview
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (severity, msg, hint)

    @property
    def bad(self) -> bool:
        return any(severity == "error" for severity, _, _ in self.problems)


def _not_understood(message: str, hint: str = "") -> Parsed:
    """A cell that could not be understood: no value, "?" in the preview, one error."""
    return Parsed(None, UNKNOWN, [("error", message, hint)])


# ----------------------------------------------------------------------------- choices


def _choice_map(column: Column) -> dict[str, str]:
    return _choices(column.allowed, tuple(sorted(column.aliases.items())))


@cache
def _choices(allowed: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Folded spelling (with and without spaces) -> canonical value."""
    choices: dict[str, str] = {}
    for value in allowed:
        choices[fold(value)] = value
        choices[fold(value).replace(" ", "")] = value
    for alias, value in aliases:
        choices.setdefault(fold(alias), value)
        choices.setdefault(fold(alias).replace(" ", ""), value)
    return choices


def _choose(column: Column, text: str) -> str | None:
    """The allowed value ``text`` spells (ignoring case, accents and spaces), or None."""
    choices = _choice_map(column)
    return choices.get(fold(text)) or choices.get(fold(text).replace(" ", ""))


def _choice_hint(column: Column, text: str) -> str:
    """'did you mean …?' for a value close to an allowed one (or one of its aliases)."""
    choices = _choice_map(column)
    close = suggestions.close_matches(fold(text), tuple(choices), 1, 0.75)
    return f"did you mean '{choices[close[0]]}'?" if close else ""


# ----------------------------------------------------------------------------- numbers, dates


_NUMBER_WITH_UNIT = re.compile(r"^[+-]?\d+([.,]\d+)?\s*[^\d\s.,]+\.?$")


_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), (3, 2, 1)),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), (3, 2, 1)),
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), (3, 2, 1)),
)
_DATE_HINT = "write the date as 2023-03-31, 31/03/2023 or 31.03.2023 (day before month)"


def parse_date(text: str) -> tuple[dt.date | None, str]:
    """A date and "" or None and the reason it is not one."""
    for pattern, (y, m, d) in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year, month, day = (int(match.group(i)) for i in (y, m, d))
        try:
            return dt.date(year, month, day), ""
        except ValueError:
            if not 1 <= month <= 12:
                return None, f"there is no month {month}"
            return None, f"{dt.date(year, month, 1):%B %Y} has no day {day}"
    return None, "not a date"


# ----------------------------------------------------------------------------- one kind each
# Every parser takes (column, text, taxonomy) and gets a cell that is neither blank nor a
# spreadsheet error.


def _parse_text(column: Column, text: str, taxonomy: Taxonomy | None) -> Parsed:
    return Parsed(text, text)


def _parse_id(column: Column, text: str, taxonomy: Taxonomy | None) -> Parsed:
    """An id as it looks: NFKC (compatibility forms such as full-width letters folded) and
    without invisible characters, each change a warning on the cell where it was typed.

    Removed, not refused: the partner cannot see what is removed, and the id that remains is
    the one every file and the report show; duplicates and references are then checked on it.
    """
    plain = without_invisible(unicodedata.normalize("NFKC", without_invisible(text))).strip()
    if plain == text:
        return Parsed(text, text)
    hidden = sorted(INVISIBLE.intersection(text))
    if not hidden:
        return Parsed(
            plain,
            plain,
            [
                (
                    "warning",
                    f"the id '{text}' is written with look-alike characters; "
                    f"it is read as '{plain}'",
                    "retype the id with plain letters and digits",
                )
            ],
        )
    names = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'CONTROL')}" for ch in hidden)
    what = "an invisible character" if len(hidden) == 1 else "invisible characters"
    message = f"the id '{visible(text)}' holds {what} ({names})"
    hint = "retype the id in this cell: invisible characters make ids that look alike differ"
    if not plain:
        return _not_understood(f"{message} and nothing else", hint)
    them = "it" if len(hidden) == 1 else "them"
    return Parsed(
        plain, plain, [("warning", f"{message}; it is read without {them}, as '{plain}'", hint)]
    )


def _parse_enum(column: Column, text: str, taxonomy: Taxonomy | None) -> Parsed:
    value = _choose(column, text)
    if value is None:
        allowed = ", ".join(column.allowed)
        return _not_understood(f"'{text}' is not one of {allowed}", _choice_hint(column, text))
    return Parsed(value, value)


def _parse_skill(column: Column, text: str, taxonomy: Taxonomy | None) -> Parsed:
    if taxonomy is None:
        return Parsed(text, text)
    skill_id = taxonomy.match(text)
    if skill_id is None:
        if ";" in text:
            return _not_understood(f"'{text}' holds several skills", "write one skill per row")
        return _not_understood(*taxonomy.unknown(text))
    return Parsed(skill_id, skill_id)


def _parse_country(column: Column, text: str, taxonomy: Taxonomy | None) -> Parsed:
    country = countries.lookup(text)
    if country is None:
        suggestions = countries.suggest(text)
        if suggestions:
            hint = "did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?"
        else:
            hint = "write the country's English name or its ISO code, e.g. Italy or IT"
        return _not_understood(f"'{text}' is not a country name or ISO code", hint)
    return Parsed(country.alpha_2, country.alpha_2)


def _parse_number(
    column: Column, text: str, taxonomy: Taxonomy | None, decimal_comma: bool = False
) -> Parsed:
    """A number or, for the kind "integer", a whole number."""
    kind = column.kind
    number, ambiguous = read_number(text, decimal_comma)
    if ambiguous:
        return _not_understood(*ambiguous_number(text.strip(), decimal_comma))
    if number is None:
        if _NUMBER_WITH_UNIT.match(text):
            hint = "write the number only, without a unit"
        elif kind == "integer":
            hint = "write a whole number such as 8"
        else:
            hint = "write a number such as 21 or 2,5"
        return _not_understood(f"'{text}' is not a number", hint)
    if not abs(number) < LARGEST_NUMBER:  # also inf: "1e309" must not reach pandas
        return _not_understood(f"'{text}' is far too large", f"write {column.allowed_text()}")
    if kind == "integer":
        if not number.is_integer():
            return _not_understood(f"'{text}' is not a whole number", "round it to a whole number")
        return Parsed(int(number), str(int(number)))
    return Parsed(number, format_number(number))


def _parse_date(column: Column, text: str, taxonomy: Taxonomy | None) -> Parsed:
    date, reason = parse_date(text)
    if date is None:
        message = f"'{text}' is not a valid date"
        if reason != "not a date":
            message += f" ({reason})"
        return _not_understood(message, _DATE_HINT)
    if not EARLIEST_DATE <= date <= LATEST_DATE:
        return _not_understood(
            f"'{text}' is not a plausible date: the year must be between "
            f"{EARLIEST_DATE.year} and {LATEST_DATE.year}",
            "check the year",
        )
    return Parsed(date.isoformat(), date.isoformat())


def _parse_boolean(column: Column, text: str, taxonomy: Taxonomy | None) -> Parsed:
    key = fold(text)
    if key in contract.YES_VALUES:
        return Parsed(True, "yes")
    if key in contract.NO_VALUES:
        return Parsed(False, "no")
    return _not_understood(
        f"'{text}' is not yes or no",
        "write yes or no (y/n, true/false, 1/0 and x are understood too)",
    )


def _parse_url(column: Column, text: str, taxonomy: Taxonomy | None) -> Parsed:
    if re.match(URL_PATTERN, text, flags=re.IGNORECASE):
        return Parsed(text, text)
    hint = "write the full address of the web page, starting with https:// or http://"
    if re.match(r"^www\.\S+\.\S+$", text, flags=re.IGNORECASE):
        hint = f"write it with https:// in front: https://{text}"
    return _not_understood(f"'{text}' is not a web address", hint)


def _parse_list(column: Column, text: str, taxonomy: Taxonomy | None) -> Parsed:
    """A ';'-separated list of allowed values ("multi") or skills ("skills"), each once."""
    pieces = [piece.strip() for piece in text.split(";")]
    pieces = [piece for piece in pieces if piece]
    what = "skill" if column.kind == "skills" else "value"
    if not pieces:
        severity = "error" if column.required else "warning"
        consequence = "" if column.required else "; it is read as blank"
        return Parsed(
            None,
            "",
            [
                (
                    severity,
                    f"'{text}' lists no {what}{consequence}",
                    f"write one or more {what}s separated by ';'",
                )
            ],
        )
    values: list[str] = []
    understood: list[str] = []
    problems: list[tuple[str, str, str]] = []
    for piece in pieces:
        value = _list_item(column, piece, taxonomy, problems)
        if value is None:
            understood.append(UNKNOWN)
            continue
        understood.append(value)
        if value in values:
            problems.append(
                ("warning", f"'{piece}' names {value}, which is already listed; counted once", "")
            )
            continue
        values.append(value)
    return Parsed(values, "; ".join(understood), problems)


def _list_item(
    column: Column, piece: str, taxonomy: Taxonomy | None, problems: list[tuple[str, str, str]]
) -> str | None:
    """One item of a list: its value, or None after appending its problem."""
    if column.kind == "skills":
        if taxonomy is None:
            return piece
        value = taxonomy.match(piece)
        if value is None:
            message, hint = taxonomy.unknown(piece)
            if "," in piece:
                hint = "separate skills with ';', not ','"
            problems.append(("error", message, hint))
        return value
    value = _choose(column, piece)
    if value is None:
        hint = "separate values with ';', not ','" if "," in piece else _choice_hint(column, piece)
        allowed = ", ".join(column.allowed)
        problems.append(("error", f"'{piece}' is not one of {allowed}", hint))
    return value


_PARSERS: dict[str, Callable[[Column, str, Taxonomy | None], Parsed]] = {
    "text": _parse_text,
    "id": _parse_id,
    "personal": _parse_text,
    "enum": _parse_enum,
    "multi": _parse_list,
    "skills": _parse_list,
    "skill": _parse_skill,
    "country": _parse_country,
    "number": _parse_number,
    "integer": _parse_number,
    "date": _parse_date,
    "boolean": _parse_boolean,
    "url": _parse_url,
}


def parse_cell(
    column: Column, text: str, taxonomy: Taxonomy | None, *, decimal_comma: bool = False
) -> Parsed:
    """Parse the cell ``text`` of ``column``; a blank cell gives the column's default.

    ``decimal_comma``: the file writes decimal commas (a ';'-separated CSV), so a '.' before
    three digits may group thousands ("1.500").
    """
    if not text:
        default = column.default
        if isinstance(default, bool):
            return Parsed(default, "yes" if default else "no")
        return Parsed(None, "")
    if text in SPREADSHEET_ERRORS:
        return _not_understood(
            f"the cell shows the spreadsheet error {text}", "correct the formula or type the value"
        )
    if column.kind in ("number", "integer"):
        return _parse_number(column, text, taxonomy, decimal_comma)
    parser = _PARSERS.get(column.kind)
    if parser is None:
        # An unknown kind is a bug in the contract, not in the data.
        raise ValueError(f"unknown column kind {column.kind!r}")
    return parser(column, text, taxonomy)
