"""The house style of numbers and lists, once: every stage that writes words uses these.

EU Interinstitutional Style Guide: a no-break space before "%", a true minus sign, commas
between thousands, no serial comma. Plain values in, text out; the chapters wrap these
with the key figures' source spans (``ktreport.chapters``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

NBSP = "\u00a0"
MINUS = "\u2212"
MISSING = "–"  # what a table cell shows for a missing value (en dash)


def is_missing(value: Any) -> bool:
    """None, NaN and pandas' NA / NaT (without importing pandas)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(value != value)  # NaN-like objects are not equal to themselves
    except (TypeError, ValueError):
        return type(value).__name__ in {"NAType", "NaTType"}


def decimal(value: Any) -> Decimal:
    # str() gives the shortest repr, so 0.415 is 0.415 and rounds half up to 42 %, not 41 %.
    return Decimal(str(value))


def rounded(value: Decimal, digits: int) -> str:
    """``value`` rounded half up to ``digits`` decimals, thousands separated, true minus."""
    quantum = Decimal(1).scaleb(-digits)
    result = value.quantize(quantum, rounding=ROUND_HALF_UP)
    if result == 0:
        result = abs(result)  # never "-0"
    return f"{result:,.{digits}f}".replace("-", MINUS)


def number(value: Any, digits: int | None = None) -> str:
    """A number: thousands separated by commas, ``digits`` decimals (integers as integers
    when ``digits`` is None, other numbers with one decimal)."""
    if is_missing(value):
        return MISSING
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return str(value)
    if digits is None:
        digits = 0 if float(value).is_integer() else 1
    return rounded(decimal(value), digits)


def pct(value: Any, digits: int = 0) -> str:
    """A share (0–1) as a percentage: 0.41666 → "42 %" (``pct(x, 1)`` → "41.7 %").

    Whole percentages by default: with the sample sizes of this study a decimal would claim
    a precision the data do not have.
    """
    if is_missing(value):
        return MISSING
    return rounded(decimal(value) * 100, digits) + NBSP + "%"


def pp(value: Any, digits: int = 0, sign: bool = True) -> str:
    """A difference of two shares in percentage points: 0.12 → "+12 percentage points"."""
    if is_missing(value):
        return MISSING
    text = rounded(decimal(value) * 100, digits)
    if sign and not text.startswith(MINUS) and decimal(value) != 0:
        text = "+" + text
    unit = "percentage point" if abs(decimal(value) * 100) == 1 else "percentage points"
    return text + NBSP + unit


def n_of(n: Any, total: Any) -> str:
    """ "25 of 60"."""
    return f"{number(n)} of {number(total)}"


def plural_word(n: Any, singular: str, plural_form: str | None = None) -> str:
    """ "programme" for 1, "programmes" otherwise."""
    return singular if n == 1 else (plural_form or singular + "s")


def plural(n: Any, singular: str, plural_form: str | None = None) -> str:
    """ "1 programme" / "3 programmes"."""
    return f"{number(n)} {plural_word(n, singular, plural_form)}"


def join_list(items: Iterable[Any], conjunction: str = "and") -> str:
    """ "a, b and c" (no serial comma, as in the EU style guide)."""
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def sentence(text: str) -> str:
    """First letter upper case, the rest untouched (labels keep their capitals: 'IP')."""
    return text[:1].upper() + text[1:]


def fewer_than(min_cell: int) -> str:
    """How a count hidden by the small-cell protection reads: "fewer than 5"."""
    return f"fewer than {int(min_cell)}"


def fewer_than_min_cell(kf) -> str:
    """``fewer_than`` of the threshold the build used: the key figure ``min_cell`` of the
    key figures ``kf`` (1, no threshold, when it is absent)."""
    return fewer_than(int(kf.get("min_cell", {}).get("value") or 1))
