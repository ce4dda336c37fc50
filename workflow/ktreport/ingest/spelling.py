"""Stage 1, spelling: how the pipeline reads what partners type, for every reader and check.

A cell is trimmed, NFC-normalised text; matching ignores accents, case, punctuation and runs
of spaces (``fold``); a column name is compared as the contract spells it (``header_key``).
Standard library only: the countries, the taxonomy, the cell parsers and the guard use it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FOLD_EXTRA = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ð": "d", "ı": "i", "þ": "th"}
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Spelling variants of column names that are not a matter of case or punctuation.
HEADER_VARIANTS = {"organization": "organisation", "e_mail": "email", "telephone": "phone"}


def clean_cell(text: str) -> str:
    """A cell as the pipeline sees it: NFC-normalised, without surrounding white space."""
    return unicodedata.normalize("NFC", text).strip()


@lru_cache(maxsize=65536)  # partner files repeat the same values (enums, skills) a lot
def fold(text: str) -> str:
    """Text for matching: no accents, no case, punctuation and runs of spaces -> one space."""
    if text.isascii():  # nothing to decompose or translate (most cells: a fast path)
        plain = text
    else:
        decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", plain.casefold()).strip()


def header_key(text: str) -> str:
    """A column name as the contract spells it: "Case ID", "CASE-ID", "case_id" -> "case_id"."""
    key = fold(text).replace(" ", "_")
    return HEADER_VARIANTS.get(key, key)
