"""Stage 4a, the jinja filters: the house style of ``ktreport.core.style`` for templates.

Thin wrappers: the numbers are formatted by ``core/style.py`` only; what these add is the
key figure's source span around a number taken from ``kf`` (and a missing value as the
chapters see it, ``markdown.is_missing``).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import jinja2

from ktreport import contract
from ktreport.chapters.keyfigures import KeyFigure, value_of
from ktreport.chapters.markdown import escape, is_missing, plain_number
from ktreport.core import style
from ktreport.core.style import MISSING, join_list

__all__ = [
    "FILTERS",
    "code",
    "join_list",
    "keep_source",
    "make_skill_label",
    "md",
    "n_of",
    "num",
    "plural",
    "pct",
    "pp",
    "sentence_number",
    "source_span",
]


def source_span(value: Any, text: str) -> str:
    """``text`` in ``value``'s source span when ``value`` is a key figure."""
    return value.span(text) if isinstance(value, KeyFigure) else text


def _hidden(value: Any) -> bool:
    """A key figure suppressed by the small-cell protection: it prints its own words
    ("fewer than 5", "not shown") in its source span, whatever the filter."""
    return isinstance(value, KeyFigure) and bool(value.suppressed)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def num(value: Any, digits: int | None = None) -> str:
    """A number in house style (``style.number``): thousands separated by commas, ``digits``
    decimals (integers as integers when ``digits`` is None, other numbers with one decimal)."""
    if _hidden(value):
        return str(value)
    plain = value_of(value)
    text = plain_number(plain, digits)
    return source_span(value, text) if _is_number(plain) and not is_missing(plain) else text


def pct(value: Any, digits: int = 0) -> str:
    """A share (0–1) as a percentage (``style.pct``): 0.41666 → "42 %" (``pct(x, 1)`` →
    "41.7 %").

    House style (EU Interinstitutional Style Guide): a non-breaking space before "%".
    Whole percentages by default: with the sample sizes of this study a decimal would claim
    a precision the data do not have.
    """
    if _hidden(value):
        return str(value)
    plain = value_of(value)
    if is_missing(plain):
        return MISSING
    return source_span(value, style.pct(plain, digits))


def pp(value: Any, digits: int = 0, sign: bool = True) -> str:
    """A difference of two shares in percentage points (``style.pp``): 0.12 → "+12
    percentage points"."""
    if _hidden(value):
        return str(value)
    plain = value_of(value)
    if is_missing(plain):
        return MISSING
    return source_span(value, style.pp(plain, digits, sign))


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """0 … 999 in words, British style: 17 → "seventeen", 142 → "one hundred and forty-two"."""
    if not 0 <= n <= 999:
        raise ValueError(f"{n} is outside 0 … 999")
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens - 2] + (f"-{_ONES[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return f"{_ONES[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")


def sentence_number(value: Any) -> str:
    """A count that opens a sentence, spelled out and capitalised (house style: a sentence
    never opens with a numeral): 17 → "Seventeen", 0 → "No"; its source span is kept.
    Above 999 the words would be clumsy: the template must rephrase (an error says so).
    A suppressed count opens as "Fewer than 5"."""
    if _hidden(value):
        text = value.formatted()
        return value.span(escape(text[:1].upper() + text[1:]))
    plain = value_of(value)
    if not _is_number(plain) or is_missing(plain) or plain != int(plain):
        raise jinja2.UndefinedError(f"sentence_number needs a whole count, not {plain!r}")
    count = int(plain)
    if count > 999:
        raise jinja2.UndefinedError(
            f"{count} is too large to spell out at the start of a sentence: rephrase it "
            'so that the sentence opens with a word ("In all, … ")'
        )
    text = "No" if count == 0 else number_words(count).capitalize()
    return source_span(value, text)


def n_of(n: Any, total: Any) -> str:
    """ "25 of 60" (each number keeps its source span when it comes from ``kf``)."""
    return f"{num(n)} of {num(total)}"


def plural(n: Any, singular: str, plural_form: str | None = None, with_number: bool = True):
    """ "1 programme" / "3 programmes" (``with_number=False``: the word only); a
    suppressed count "fewer than 5 interviewees"."""
    if _hidden(n):
        word = style.plural_word(2, singular, plural_form)
        return f"{num(n)} {word}" if with_number else word
    word = style.plural_word(value_of(n), singular, plural_form)
    return f"{num(n)} {word}" if with_number else word


def md(text: Any) -> str:
    """Partner text as literal Markdown (``markdown.escape``); a key figure is printed with
    its source span (already escaped)."""
    if isinstance(text, KeyFigure):
        return str(text)  # already escaped, inside its source span
    return escape(text)


def code(text: Any) -> str:
    """A name as inline code (a column or file name: ``case_id`` → `` `case_id` ``)."""
    if is_missing(text):
        return MISSING
    text = " ".join(str(text).split())
    return f"`{text}`" if "`" not in text else md(text)


def keep_source(function: Callable[[Any], str]) -> Callable[[Any], str]:
    """A text filter that, given a key figure, keeps its source span around the result."""

    def wrapped(value: Any) -> str:
        if isinstance(value, KeyFigure):
            return value.span(md(function(value.value)))
        return function(value)

    wrapped.__doc__ = function.__doc__
    return wrapped


def make_skill_label(skills: Mapping[str, str]) -> Callable[[Any], str]:
    @keep_source
    def skill_label(skill_id: str) -> str:
        """The label of a skill of the taxonomy (``negotiation`` → "Negotiation")."""
        try:
            return skills[skill_id]
        except KeyError:
            close = difflib.get_close_matches(str(skill_id), list(skills), n=3)
            hint = f" (did you mean {join_list(close, 'or')}?)" if close else ""
            raise jinja2.UndefinedError(f"unknown skill id '{skill_id}'{hint}") from None

    return skill_label


FILTERS: dict[str, Callable] = {
    "pct": pct,
    "pp": pp,
    "num": num,
    "n_of": n_of,
    "sentence_number": sentence_number,
    "plural": plural,
    "join_list": join_list,
    "md": md,
    "code": code,
    "label": keep_source(contract.label),
}
