"""Stage 4a, the tables' layout: column widths decided from the cells' text, so that the
HTML and the PDF agree, and the pipe table that carries them to pandoc.

Stage 4b runs pandoc with ``--columns=TABLE_LINE`` (``ktreport.render.pandoc``).
"""

from __future__ import annotations

import math
import re

from ktreport.core.style import MISSING

# metric-compatible with Arial, the screen's). A line of the PDF holds 112 of them at the
# tables' 8.5 pt on the 168 mm text width (the screen's reading column about as many), 127
# at the 7.5 pt of a table too wide for that (class "dense", report.css).
# Pandoc gives a pipe table's columns the relative widths of its separator's dash counts
# when a line of the table is longer than --columns; ``ktreport.render.pandoc`` runs pandoc with
# --columns=TABLE_LINE and the separator written here is always longer, so every table
# gets the widths computed here, in the HTML and in the PDF alike.
TABLE_LINE = 112
DENSE_TABLE_LINE = 127
# A cell's left and right padding (0.65 em each side, report.css), plus one character
# because pandoc rounds each relative width down to a whole percent.
CELL_PADDING = 2.6 + 1
_HALF_EM = 500  # thousandths of an em
_BOLD = 1.06  # headers are bold: about 5 % wider
# A text column whose every cell is one word of at most this many characters is a column
# of identifiers or codes (ASTP-C01, FI, a hash): it never breaks ("ASTP-\nC01").
NOWRAP_LONGEST = 16
# A column needs no more than this to show its longest word (a path, a URL): a longer word
# breaks inside it (``overflow-wrap: break-word``, report.css) instead of squeezing every
# other column of the line to a letter's width.
LONGEST_WORD = TABLE_LINE / 3
# A table cell shows at most this many characters of text (``shorten``): the print layout
# measures every word of every cell, so one programme name of 10,000 characters would
# take minutes. The sample's longest cell (a programme's list of skills, 328) stays whole.
CELL_CHARS = 500
ELLIPSIS = "\u2026"
# A table of at most this many rows is not split across pages (paged.css): "3 rows, then
# the rest overleaf" is harder to read than a table moved whole to the next page.
KEEP_TOGETHER_ROWS = 20

# Advance widths of Liberation Sans in thousandths of an em (other characters: 556).
_GLYPH_WIDTHS = {
    character: width
    for width, characters in (
        (191, "'"),
        (222, "ijl\u2019"),
        (260, "|"),
        (278, "ftI!,./:;[\\] \u00a0"),
        (333, "r()-`{}\u201c\u201d"),
        (355, '"'),
        (389, "*"),
        (469, "^"),
        (500, "cksvxyzJ\u00e7"),
        (584, "+<=>~"),
        (611, "FTZ"),
        (667, "ABEKPSVXY&"),
        (722, "wCDHNRU"),
        (778, "GOQ"),
        (833, "mM"),
        (889, "%"),
        (944, "W"),
        (1000, "\u2014"),
        (1015, "@"),
    )
    for character in characters
}

_SPAN_ATTRIBUTES = re.compile(r'\]\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\}')
_UNESCAPED_BRACKET = re.compile(r"(?<!\\)[\[\]`]")
_ESCAPE = re.compile(r"\\(.)")


def visible_text(markdown: str) -> str:
    """What a reader sees of a table cell's Markdown (spans, escapes and backticks gone):
    ``[41]{data-kf="n"}`` → "41", ``KT \\*experts\\*`` → "KT *experts*"."""
    text = _SPAN_ATTRIBUTES.sub("]", markdown)
    text = _UNESCAPED_BRACKET.sub("", text)
    return _ESCAPE.sub(r"\1", text)


def text_width(text: str, bold: bool = False) -> float:
    """The width of ``text`` in average characters (half an em of Liberation Sans)."""
    width = sum(_GLYPH_WIDTHS.get(character, 556) for character in text) / _HALF_EM
    return width * _BOLD if bold else width


def shorten(text: str, limit: int = CELL_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters at a space (or mid-word when the last
    space is far back), with "…"; shorter text unchanged."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space >= limit * 0.6:
        head = head[:space]
    return head.rstrip() + ELLIPSIS


def _words(text: str) -> list[str]:
    # Lines break at ordinary spaces only: a non-breaking space joins "63 %".
    return [word for word in text.split(" ") if word]


def column_extents(
    headers: list[str], rows: list[list[str]], nowrap: list[bool]
) -> tuple[list[float], list[float]]:
    """Each column's narrowest and widest width in average characters (padding included):
    its longest word, up to ``LONGEST_WORD`` (a ``nowrap`` column: its longest cell; a
    header: its longest word) and its longest cell or header on one line. ``headers`` and
    ``rows`` are visible text."""
    minimums, maximums = [], []
    for index, header in enumerate(headers):
        cells = [row[index] for row in rows]
        longest_cell = max((text_width(cell) for cell in cells), default=0.0)
        header_word = max((text_width(word, bold=True) for word in _words(header)), default=0.0)
        if nowrap[index]:
            least = longest_cell
        else:
            longest_word = max(
                (text_width(word) for cell in cells for word in _words(cell)), default=0.0
            )
            least = min(longest_word, LONGEST_WORD)
        minimums.append(max(least, header_word) + CELL_PADDING)
        maximums.append(max(longest_cell, text_width(header, bold=True)) + CELL_PADDING)
    return minimums, maximums


def column_widths(minimums: list[float], maximums: list[float], line: int) -> list[int]:
    """Each column's share of the line, in average characters, as a browser lays out a
    table (but decided here, so that the HTML and the PDF agree).

    If the widest widths all fit, the columns share the line in proportion to them; else
    each column gets its narrowest width and the room left goes to the columns in
    proportion to how much more they need. Widths are rounded up: they add up to at least
    the line (more when even the narrowest widths do not fit).
    """
    if sum(maximums) <= line:
        widths = [most * line / sum(maximums) for most in maximums]
    else:
        spare = line - sum(minimums)
        stretch = [most - least for least, most in zip(minimums, maximums, strict=True)]
        if spare <= 0 or sum(stretch) == 0:
            widths = list(minimums)
        else:
            widths = [
                least + spare * extra / sum(stretch)
                for least, extra in zip(minimums, stretch, strict=True)
            ]
    # round() first: 3.0000000004 is 3, the same on every machine.
    return [max(3, math.ceil(round(width, 6))) for width in widths]


def _keeps_together(cells: list[str]) -> bool:
    words = [cell for cell in cells if cell != MISSING]
    return bool(words) and all(" " not in word and len(word) <= NOWRAP_LONGEST for word in words)


def pipe_table(
    headers: list[str],
    rows: list[list[str]],
    numeric: list[bool],
    caption: str,
    id: str,  # noqa: A002 - the table's label (tbl-…)
) -> str:
    """A pipe table with its caption from Markdown headers and cells.

    Numbers are right-aligned; numeric and identifier columns stay on one line
    (``[ASTP-C01]{.nowrap}``, styled by report.css); the separator's dash counts are the
    widths of ``column_widths``, which pandoc turns into relative column widths. A table
    whose narrowest widths do not fit the line is set smaller (``{#tbl-x .dense}``); a
    short one is never split across pages (``.keep-together``).
    """
    shown = [[visible_text(cell) for cell in row] for row in rows]
    nowrap = [
        is_number or _keeps_together([row[index] for row in shown])
        for index, is_number in enumerate(numeric)
    ]
    minimums, maximums = column_extents([visible_text(h) for h in headers], shown, nowrap)
    dense = sum(minimums) > TABLE_LINE
    widths = column_widths(minimums, maximums, DENSE_TABLE_LINE if dense else TABLE_LINE)
    separators = [
        "-" * (width - 1) + ":" if is_number else ":" + "-" * (width - 1)
        for width, is_number in zip(widths, numeric, strict=True)
    ]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(separators) + "|"]
    for row in rows:
        cells = [
            f"[{cell}]{{.nowrap}}" if keep and cell != MISSING else cell
            for cell, keep in zip(row, nowrap, strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    classes = [".dense"] * dense + [".keep-together"] * (len(rows) <= KEEP_TOGETHER_ROWS)
    attributes = " ".join([f"#{id}", *classes])
    return "\n".join(lines) + f"\n\n: {caption} {{{attributes}}}"
