"""Partner text made harmless where it leaves the pipeline: in a CSV cell a spreadsheet
opens, and in a message a terminal shows.

- ``neutralise`` / ``restore``: a text cell that a spreadsheet would run as a formula
  (its first character, after any leading whitespace, is ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return: the OWASP guidance on CSV injection) is written with a single
  quote in front, which Excel and LibreOffice show as text. Only text cells: a number
  (-0.1234) is never given to it. ``restore`` is the exact inverse, for every reader of
  the project's own CSVs, so that the report shows the text as the partner typed it.
- ``printable``: control characters (C0, DEL, C1, so ESC and every terminal escape
  sequence, and the bidirectional controls that reorder a line) shown as ``\\x1b`` or
  ``\\u202e`` instead of being sent to the terminal.

Standard library only: the rule scripts' skeleton uses ``printable``.
"""

from __future__ import annotations

import re

# First characters a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = frozenset("=+-@\t\r")
QUOTE = "'"


def needs_quote(text: str) -> bool:
    """Would a spreadsheet run ``text`` (or, once a leading quote is taken off, the rest)?

    Quotes already in front count too (``'=1`` is written ``''=1``), so that ``restore``
    can always tell a quote it must take off from one the partner typed."""
    rest = text.lstrip(QUOTE)
    return rest[:1] in FORMULA_STARTS or rest.lstrip()[:1] in FORMULA_STARTS


def neutralise(text: str) -> str:
    """A text cell as a CSV for people holds it: ``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``."""
    return QUOTE + text if needs_quote(text) else text


def restore(text: str) -> str:
    """The text ``neutralise`` was given (``restore(neutralise(x)) == x`` for every x)."""
    if text.startswith(QUOTE) and needs_quote(text[1:]):
        return text[1:]
    return text


# Bidirectional controls (they reorder what follows on the line) and the line and
# paragraph separators some terminals break on.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_CONTROLS = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(character: str) -> str:
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, keep: str = "\n\t") -> str:
    """``text`` with every control character shown escaped (``\\x1b``, ``\\u202e``), so
    that nothing a partner typed can move the cursor, clear the screen, colour a line,
    set the clipboard or reorder the text of a terminal; ``keep`` are the characters let
    through (newline and tab by default: a multi-line message stays multi-line)."""
    return _CONTROLS.sub(
        lambda match: match.group() if match.group() in keep else _escaped(match.group()),
        str(text),
    )
