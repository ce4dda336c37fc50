"""Stage 1, look-alikes: characters that make two texts differ while they look the same.

Zero-width characters and bidi controls show nothing (or only turn the text's direction);
``visible`` shows them as their codes, for messages. Standard library only.
"""

from __future__ import annotations

# Characters that show nothing (zero-width) or only turn the text's direction (bidi
# controls): in an id they make two ids that look the same differ.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_WITHOUT_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))


def without_invisible(text: str) -> str:
    return text.translate(_WITHOUT_INVISIBLE)


def visible(text: str) -> str:
    """``text`` with each invisible character shown as its code, e.g. <U+200B>."""
    if not INVISIBLE.intersection(text):
        return text
    return "".join(f"<U+{ord(ch):04X}>" if ch in INVISIBLE else ch for ch in text)
