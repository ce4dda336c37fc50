"""Stage 4a, the bottom of the chapters: partner text as literal Markdown, values as Pandoc
attributes, what a chapter counts as missing, and plain numbers in the house style.

Every other chapters module builds on these; they know nothing of key figures or jinja.
"""

from __future__ import annotations

import re
import string
from typing import Any

from ktreport.core import style

# Characters Pandoc's Markdown reader may interpret; every one is backslash-escapable
# (extension all_symbols_escapable, on in pandoc and Quarto Markdown).
_MARKDOWN_PUNCTUATION = frozenset(string.punctuation)
_WHITE_SPACE = re.compile(r"[ \t\n\r\f\v\u2028\u2029\x85]+")


def is_missing(value: Any) -> bool:
    """None, NaN, NA, NaT, as pandas sees them.

    Not ``ktreport.core.style.is_missing``: the chapters always used ``pandas.isna``, which
    also counts a one-element list of a missing value as missing and never a key figure
    (style's self-inequality test counts a key figure of value NaN as missing). Kept so
    that the chapters read exactly as before.
    """
    if value is None:
        return True
    if isinstance(value, str):  # never missing; and the render jobs need no pandas
        return False
    import pandas as pd  # here: importing this module must not load pandas (0.4 s)

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def escape(text: Any) -> str:
    """Text as literal Markdown: every ASCII punctuation character is backslash-escaped and
    line breaks collapse to spaces, so ``*x*``, ``<script>``, ``{{ 7*7 }}``, ``@fig-x`` or
    ``# title`` render exactly as typed (a missing value is the empty string)."""
    if is_missing(text):
        return ""
    # Only ordinary white space collapses: a no-break space ("83 %") keeps its number
    # and unit on one line (str.split() would turn it into a breakable space).
    collapsed = _WHITE_SPACE.sub(" ", str(text)).strip(" ")
    return "".join("\\" + c if c in _MARKDOWN_PUNCTUATION else c for c in collapsed)


def attribute(text: str) -> str:
    """A value safe inside a double-quoted Pandoc attribute."""
    return str(text).replace("\\", "\\\\").replace('"', '\\"')


def plain_number(value: Any, digits: int | None = None) -> str:
    """``style.number`` of a plain value, missing as the chapters see it (``is_missing``)."""
    return style.MISSING if is_missing(value) else style.number(value, digits)


def plain_pct(value: Any, digits: int = 0) -> str:
    """``style.pct`` of a plain value, missing as the chapters see it (``is_missing``)."""
    return style.MISSING if is_missing(value) else style.pct(value, digits)
