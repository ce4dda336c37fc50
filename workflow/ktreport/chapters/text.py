"""Stage 4, the text: the one jinja2 environment that turns chapter templates into Markdown.

Chapters are ``report/chapters/NN-name.md.j2``: jinja2 templates of Quarto-flavoured
Markdown. This module configures jinja once (StrictUndefined, comments ``{## ##}`` so that
Markdown attributes like ``{#fig-x}`` stay literal), provides the formatting filters and the
globals (``kf``, ``figure()``, ``table()``, ``build_information()``), builds the render
context from the pipeline's outputs and writes one ``.qmd`` per chapter.

Every number taken from ``kf`` is written as a Pandoc span ``[41]{data-kf="name" title="…"}``
so that the HTML shows where it comes from (name, definition, n of N) on hover.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import total_ordering
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from ktreport import contract
from ktreport.catalog import CHAPTER_SUFFIX, chapter_output_name, chapter_templates

NBSP = "\u00a0"
MINUS = "\u2212"
MISSING = "–"  # what a table cell shows for a missing value (en dash)

# Characters Pandoc's Markdown reader may interpret; every one is backslash-escapable
# (extension all_symbols_escapable, on in pandoc and Quarto Markdown).
_MARKDOWN_PUNCTUATION = frozenset(string.punctuation)
_WHITE_SPACE = re.compile(r"[ \t\n\r\f\v\u2028\u2029\x85]+")


class TemplateProblem(Exception):
    """A chapter template cannot be rendered; the message names the file and line."""


# --------------------------------------------------------------------------- key figures
@total_ordering
@dataclass(frozen=True, eq=False)
class KeyFigure:
    """One number of ``key_figures.json``; renders as its value wrapped in a source span."""

    name: str
    value: Any
    definition: str = ""
    n: Any = None
    denominator: Any = None
    unit: str = ""

    def formatted(self) -> str:
        """The value as the prose shows it (shares as percentages, counts as integers)."""
        if self.unit in ("share", "proportion", "percent"):
            return pct(self.value)
        return num(self.value)

    def tooltip(self) -> str:
        text = self.name
        if self.definition:
            text += f" — {self.definition}"
        if self.n is not None and self.denominator is not None:
            text += f": {num(self.n)} of {num(self.denominator)}"
        elif self.n is not None:
            text += f": n = {num(self.n)}"
        return text

    def span(self, text: str) -> str:
        """``text`` (already Markdown) marked with this figure's source."""
        return f'[{text}]{{data-kf="{_attr(self.name)}" title="{_attr(self.tooltip())}"}}'

    def __str__(self) -> str:
        return self.span(md(self.formatted()))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise jinja2.UndefinedError(
            f"'kf.{self.name}' has no attribute '{name}' "
            "(a key figure has value, definition, n, denominator and unit)"
        )

    # Comparisons and arithmetic use the value, so templates can write
    # ``{% if kf.share_x > 0.5 %}``; arithmetic gives a plain number (no source span).
    def _number(self) -> Any:
        return self.value

    def __eq__(self, other: object) -> bool:
        return self.value == _value(other)

    def __lt__(self, other: object) -> bool:
        return self.value < _value(other)

    def __hash__(self) -> int:
        return hash((self.name, self.value))

    def __float__(self) -> float:
        return float(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __add__(self, other: object) -> Any:
        return self.value + _value(other)

    def __radd__(self, other: object) -> Any:
        return _value(other) + self.value

    def __sub__(self, other: object) -> Any:
        return self.value - _value(other)

    def __rsub__(self, other: object) -> Any:
        return _value(other) - self.value

    def __mul__(self, other: object) -> Any:
        return self.value * _value(other)

    def __rmul__(self, other: object) -> Any:
        return _value(other) * self.value

    def __truediv__(self, other: object) -> Any:
        return self.value / _value(other)

    def __rtruediv__(self, other: object) -> Any:
        return _value(other) / self.value

    def __abs__(self) -> Any:
        return abs(self.value)

    def __neg__(self) -> Any:
        return -self.value


def _value(x: Any) -> Any:
    return x.value if isinstance(x, KeyFigure) else x


def _attr(text: str) -> str:
    """A value safe inside a double-quoted Pandoc attribute."""
    return str(text).replace("\\", "\\\\").replace('"', '\\"')


class NamedMapping(Mapping):
    """A read-only mapping whose entries are also attributes; an unknown name is an error
    that names the mapping (``'kf' has no attribute 'n_foo'``) and suggests close names."""

    def __init__(self, label: str, items: Mapping[str, Any], what: str = "attribute"):
        self._label = label
        self._items = dict(items)
        self._what = what

    def __getitem__(self, name: str) -> Any:
        try:
            return self._items[name]
        except KeyError:
            raise jinja2.UndefinedError(self._unknown(name)) from None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __iter__(self):
        return iter(sorted(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def _unknown(self, name: str) -> str:
        message = f"'{self._label}' has no {self._what} '{name}'"
        close = difflib.get_close_matches(name, list(self._items), n=3, cutoff=0.6)
        if close:
            message += " (did you mean " + join_list([f"'{c}'" for c in close], "or") + "?)"
        return message

    def __repr__(self) -> str:
        return f"<{self._label}: {len(self._items)} entries>"


def load_key_figures(path: Path) -> dict[str, KeyFigure]:
    """Read ``key_figures.json``: ``{name: {value, definition, n, denominator, unit}}``
    (a bare number is accepted as ``{value: number}``; a list of records with ``name`` too)."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(raw, Mapping) and "key_figures" in raw and len(raw) <= 2:
        raw = raw["key_figures"]
    records: dict[str, Any] = (
        {r["name"]: r for r in raw} if isinstance(raw, list) else dict(raw)  # type: ignore[index]
    )
    figures = {}
    for name, record in sorted(records.items()):
        if not isinstance(record, Mapping):
            record = {"value": record}
        figures[name] = KeyFigure(
            name=name,
            value=record.get("value"),
            definition=str(record.get("definition") or ""),
            n=record.get("n"),
            denominator=record.get("denominator", record.get("N")),
            unit=str(record.get("unit") or record.get("kind") or ""),
        )
    return figures


# --------------------------------------------------------------------------- filters
def _source_span(value: Any, text: str) -> str:
    return value.span(text) if isinstance(value, KeyFigure) else text


def _decimal(value: Any) -> Decimal:
    # str() gives the shortest repr, so 0.415 is 0.415 and rounds half up to 42 %, not 41 %.
    return Decimal(str(value))


def _round(value: Decimal, digits: int) -> str:
    quantum = Decimal(1).scaleb(-digits)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0"
    return f"{rounded:,.{digits}f}".replace("-", MINUS)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def num(value: Any, digits: int | None = None) -> str:
    """A number in house style: thousands separated by commas, ``digits`` decimals
    (integers as integers when ``digits`` is None, other numbers with one decimal)."""
    plain = _value(value)
    if _is_missing(plain):
        return MISSING
    if isinstance(plain, bool) or not isinstance(plain, (int, float, Decimal)):
        return str(plain)
    if digits is None:
        digits = 0 if float(plain).is_integer() else 1
    return _source_span(value, _round(_decimal(plain), digits))


def pct(value: Any, digits: int = 0) -> str:
    """A share (0–1) as a percentage: 0.41666 → "42 %" (``pct(1)`` → "41.7 %").

    House style (EU Interinstitutional Style Guide): a non-breaking space before "%".
    Whole percentages by default: with the sample sizes of this study a decimal would claim
    a precision the data do not have.
    """
    plain = _value(value)
    if _is_missing(plain):
        return MISSING
    text = _round(_decimal(plain) * 100, digits) + NBSP + "%"
    return _source_span(value, text)


def pp(value: Any, digits: int = 0, sign: bool = True) -> str:
    """A difference of two shares in percentage points: 0.12 → "+12 percentage points"."""
    plain = _value(value)
    if _is_missing(plain):
        return MISSING
    text = _round(_decimal(plain) * 100, digits)
    if sign and not text.startswith(MINUS) and _decimal(plain) != 0:
        text = "+" + text
    unit = "percentage point" if abs(_decimal(plain) * 100) == 1 else "percentage points"
    return _source_span(value, text + NBSP + unit)


def n_of(n: Any, total: Any) -> str:
    """ "25 of 60" (each number keeps its source span when it comes from ``kf``)."""
    return f"{num(n)} of {num(total)}"


def plural(n: Any, singular: str, plural_form: str | None = None, with_number: bool = True):
    """ "1 programme" / "3 programmes" (``with_number=False``: the word only)."""
    plain = _value(n)
    word = singular if plain == 1 else (plural_form or singular + "s")
    return f"{num(n)} {word}" if with_number else word


def join_list(items: Iterable[Any], conjunction: str = "and") -> str:
    """ "a, b and c" (no serial comma, as in the EU style guide)."""
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def md(text: Any) -> str:
    """Partner text as literal Markdown: every ASCII punctuation character is
    backslash-escaped and line breaks collapse to spaces, so ``*x*``, ``<script>``,
    ``{{ 7*7 }}``, ``@fig-x`` or ``# title`` render exactly as typed."""
    if isinstance(text, KeyFigure):
        return str(text)  # already escaped, inside its source span
    if _is_missing(text):
        return ""
    # Only ordinary white space collapses: a no-break space ("83 %") keeps its number
    # and unit on one line (str.split() would turn it into a breakable space).
    collapsed = _WHITE_SPACE.sub(" ", str(text)).strip(" ")
    return "".join("\\" + c if c in _MARKDOWN_PUNCTUATION else c for c in collapsed)


def code(text: Any) -> str:
    """A name as inline code (a column or file name: ``case_id`` → `` `case_id` ``)."""
    if _is_missing(text):
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


# --------------------------------------------------------------------------- globals
def make_figure(figures: Mapping[str, Mapping[str, Any]]) -> Callable[[str], str]:
    def figure(figure_id: str) -> str:
        """The Quarto figure block of one figure of the manifest."""
        if figure_id not in figures:
            known = join_list(sorted(figures), "and") or "none"
            raise jinja2.UndefinedError(
                f"no figure '{figure_id}' in the figures manifest (known: {known})"
            )
        entry = figures[figure_id]
        svg = Path(str(entry.get("svg") or f"{figure_id}.svg")).name
        title = " ".join(str(entry.get("title") or "").split())
        caption = " ".join(str(entry.get("caption") or "").split())
        caption_md = (f"**{md(title.rstrip('.'))}.** " if title else "") + md(caption)
        alt = " ".join(str(entry.get("alt") or title).split())
        return (
            f"::: {{#{figure_id}}}\n"
            f'![](figures/{svg}){{fig-alt="{_attr(alt)}"}}\n\n'
            f"{caption_md}\n"
            ":::\n"
        )

    return figure


def _cell(value: Any, formatter: Callable[[Any], str] | None) -> str:
    if isinstance(value, KeyFigure) and formatter is None:
        return str(value)
    if formatter is not None:
        return formatter(value) if not _is_missing(value) else MISSING
    if _is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, Decimal)):
        return num(value)
    return md(value)


def make_table(filters: Mapping[str, Callable]) -> Callable[..., str]:
    def table(
        frame: pd.DataFrame | Iterable[Mapping[str, Any]],
        id: str,  # noqa: A002 - the Quarto name of the table (tbl-…)
        caption: str,
        columns: Mapping[str, str] | Iterable[str] | None = None,
        formats: Mapping[str, str | Callable] | None = None,
        max_rows: int | None = None,
        full: str = "",
    ) -> str:
        """A pipe table with a Quarto caption ``: caption {#tbl-x}``.

        ``frame`` is a data frame or a list of records (mappings). ``columns`` picks and
        orders columns (a mapping gives their headers, else the contract label); ``formats``
        maps a column to a filter name (``pct``, ``num``, ``code``) or a function. Text cells
        are escaped (``md``); numbers are right-aligned. Column widths follow the content
        (``pipe_table``): identifiers and numbers never break.

        ``max_rows`` caps a table that grows with the data (annex lists: 3,000 programmes
        would be a hundred pages and minutes of PDF layout): only the first rows are shown
        and the caption says how many of how many, and where the whole table is (``full``).
        """
        if not str(id).startswith("tbl-"):
            raise jinja2.UndefinedError(f"table id '{id}' must start with 'tbl-'")
        if not isinstance(frame, pd.DataFrame):
            frame = pd.DataFrame.from_records(list(frame))
        if columns is None:
            columns = list(frame.columns)
        headers = (
            dict(columns)
            if isinstance(columns, Mapping)
            else {c: contract.label(c).replace("_", " ").capitalize() for c in columns}
        )
        missing = [c for c in headers if c not in frame.columns]
        if missing:
            raise jinja2.UndefinedError(
                f"table '{id}': no column {join_list(missing)} "
                f"(columns are {join_list(list(frame.columns))})"
            )
        formatters: dict[str, Callable | None] = {}
        for column in headers:
            spec = (formats or {}).get(column)
            formatters[column] = filters[spec] if isinstance(spec, str) else spec
        numeric = [
            pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
            for c in headers
        ]
        n_rows = len(frame)
        if max_rows is not None and n_rows > max_rows:
            frame = frame.head(max_rows)
            where = f"; the whole table is in `{full}`" if full else ""
            caption = f"{caption} (the first {num(max_rows)} of {num(n_rows)} rows{where})"
        rows = [
            [_cell(row[c], formatters[c]) for c in headers]
            for row in frame.to_dict(orient="records")
        ]
        return pipe_table([md(h) for h in headers.values()], rows, numeric, caption, id) + "\n"

    return table


# --------------------------------------------------------------------------- table layout
# Widths are measured in average characters: half an em of Liberation Sans (the PDF's font,
# metric-compatible with Arial, the screen's). A line of the PDF holds 112 of them at the
# tables' 8.5 pt on the 168 mm text width (the screen's reading column about as many), 127
# at the 7.5 pt of a table too wide for that (class "dense", report.css).
# Pandoc gives a pipe table's columns the relative widths of its separator's dash counts
# when a line of the table is longer than --columns; ``ktreport.render.engine`` runs pandoc with
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


def _words(text: str) -> list[str]:
    # Lines break at ordinary spaces only: a non-breaking space joins "63 %".
    return [word for word in text.split(" ") if word]


def column_extents(
    headers: list[str], rows: list[list[str]], nowrap: list[bool]
) -> tuple[list[float], list[float]]:
    """Each column's narrowest and widest width in average characters (padding included):
    its longest word (a ``nowrap`` column: its longest cell; a header: its longest word)
    and its longest cell or header on one line. ``headers`` and ``rows`` are visible text."""
    minimums, maximums = [], []
    for index, header in enumerate(headers):
        cells = [row[index] for row in rows]
        longest_cell = max((text_width(cell) for cell in cells), default=0.0)
        header_word = max((text_width(word, bold=True) for word in _words(header)), default=0.0)
        if nowrap[index]:
            least = longest_cell
        else:
            least = max((text_width(word) for cell in cells for word in _words(cell)), default=0.0)
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


def build_information(build: Mapping[str, Any]) -> str:
    """The "Build information" annex block: version, commit, data fingerprint, raw files
    and tool versions, as Markdown (tables with captions ``tbl-build-files``/``-tools``)."""
    lines = [
        f"- Version: {md(build.get('version', ''))}",
        f"- Commit: {md(build.get('commit') or 'not a git checkout')}",
        f"- Date of the commit: {md(build.get('date', ''))}",
        f"- Data fingerprint (SHA-256 over all raw files): {md(build.get('data_fingerprint', ''))}",
        "",
    ]
    files = [
        [
            md(entry["path"]),
            md(entry.get("partner") or MISSING),
            MISSING if entry.get("rows") is None else num(entry["rows"]),
            md(entry["sha256"][:16]),
        ]
        for entry in build.get("raw_files", [])
    ]
    headers = ["File", "Partner", "Rows", "SHA-256 (first 16 digits)"]
    caption = "Raw data files the report was built from"
    lines += [pipe_table(headers, files, [False, False, True, False], caption, "tbl-build-files")]
    lines.append("")
    tools = [
        [md(tool), md(version or "not available")]
        for tool, version in sorted(build.get("tools", {}).items())
    ]
    caption = "Software that built the report"
    lines += [pipe_table(["Tool", "Version"], tools, [False, False], caption, "tbl-build-tools")]
    lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- environment
FILTERS: dict[str, Callable] = {
    "pct": pct,
    "pp": pp,
    "num": num,
    "n_of": n_of,
    "plural": plural,
    "join_list": join_list,
    "md": md,
    "code": code,
    "label": keep_source(contract.label),
}


def environment(
    chapters_dir: Path,
    *,
    skills: Mapping[str, str] | None = None,
    figures: Mapping[str, Mapping[str, Any]] | None = None,
) -> jinja2.Environment:
    """The one configured jinja2 environment for the chapters in ``chapters_dir``."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(chapters_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: partner text is escaped with `md`
        comment_start_string="{##",
        comment_end_string="##}",
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters = dict(FILTERS)
    filters["skill_label"] = make_skill_label(skills or {})
    env.filters.update(filters)
    env.globals.update(
        figure=make_figure(figures or {}),
        table=make_table(filters),
        n_of=n_of,
        plural=plural,
        join_list=join_list,
        pct=pct,
        num=num,
        label=filters["label"],
        skill_label=filters["skill_label"],
        contract=contract,
    )
    return env


# --------------------------------------------------------------------------- context
def _read_csv(path: Path) -> pd.DataFrame:
    # Only an empty cell is missing: "NA" is Namibia's country code, not a missing value.
    return pd.read_csv(path, keep_default_na=False, na_values=[""], encoding="utf-8")


def build_context(
    *,
    config: Mapping[str, Any],
    build: Mapping[str, Any],
    key_figures: Path,
    figures_manifest: Path,
    aggregates_dir: Path | None = None,
    processed_dir: Path | None = None,
) -> dict[str, Any]:
    """The render context: ``kf``, ``tables`` (aggregates), ``data`` (processed tables),
    ``figures`` (manifest by id), ``skills`` (id → label), ``config``, ``build``."""
    manifest = json.loads(Path(figures_manifest).read_text(encoding="utf-8"))
    entries = manifest["figures"] if isinstance(manifest, Mapping) else manifest
    figures = {entry["id"]: dict(entry) for entry in entries}
    tables = {}
    if aggregates_dir is not None and Path(aggregates_dir).is_dir():
        tables = {p.stem: _read_csv(p) for p in sorted(Path(aggregates_dir).glob("*.csv"))}
    data = {}
    if processed_dir is not None and Path(processed_dir).is_dir():
        data = {p.stem: _read_csv(p) for p in sorted(Path(processed_dir).glob("*.csv"))}
    skills: dict[str, str] = {}
    if "skills" in data:
        skills = dict(zip(data["skills"]["skill_id"], data["skills"]["label"], strict=True))
    return {
        "kf": load_key_figures(key_figures),
        "tables": tables,
        "data": data,
        "figures": figures,
        "skills": skills,
        "config": dict(config),
        "build": dict(build),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, KeyFigure):
        return {
            "value": value.value,
            "definition": value.definition,
            "n": value.n,
            "denominator": value.denominator,
            "unit": value.unit,
        }
    if isinstance(value, pd.DataFrame):
        return [
            {k: (None if _is_missing(v) else v) for k, v in record.items()}
            for record in value.to_dict(orient="records")
        ]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def dump_context(context: Mapping[str, Any], path: Path) -> None:
    """Write the render context as JSON (sorted keys) for inspection."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_jsonable(context), indent=1, sort_keys=True, ensure_ascii=False)
    Path(path).write_text(text + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- rendering
def _template_line(exc: BaseException, filename: str) -> int | None:
    """The template line of an error raised while rendering (jinja rewrites the traceback
    so that template frames carry the template's file name and line)."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).name == Path(filename).name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _problem(template: Path, exc: BaseException, shown_as: str) -> TemplateProblem:
    line = _template_line(exc, str(template))
    where = f"{shown_as}:{line}" if line else shown_as
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return TemplateProblem(f"{where}: {message}")


def render_chapter(
    env: jinja2.Environment, template: Path, context: Mapping[str, Any], shown_as: str
) -> str:
    """One chapter's Markdown; any error becomes a ``TemplateProblem`` naming file and line."""
    try:
        return env.get_template(template.name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"{shown_as}:{exc.lineno}: {exc.message}") from None
    except TemplateProblem:
        raise
    except Exception as exc:  # any error inside a template is the author's to fix
        raise _problem(template, exc, shown_as) from None


_LABEL_DEFINITION = re.compile(r"\{#((?:fig|tbl|sec)-[A-Za-z0-9_.:-]+)")
_LABEL_REFERENCE = re.compile(r"(?<![\w\\])-?@((?:fig|tbl|sec)-[A-Za-z0-9_-]*[A-Za-z0-9_])")
_HEADING_ID = re.compile(r"^#{1,6} .*\{[^}]*#(sec-[A-Za-z0-9_-]+)", re.MULTILINE)


def check_cross_references(
    chapters: Mapping[str, str], sources: Mapping[str, str] | None = None
) -> list[str]:
    """Every ``@fig-x``/``@tbl-x``/``@sec-x`` must name a label defined in some chapter.

    ``chapters`` maps a chapter's name to its rendered Markdown, ``sources`` (optional) to
    its template text, used to point at the template line. One message per unresolved
    reference (``file:line: …``).
    """
    defined = set()
    for text in chapters.values():
        defined.update(_LABEL_DEFINITION.findall(text))
        defined.update(_HEADING_ID.findall(text))
    messages = []
    for name, text in chapters.items():
        source_lines = (sources or {}).get(name, "").splitlines()
        for rendered_number, line in enumerate(text.splitlines(), start=1):
            for label in _LABEL_REFERENCE.findall(line):
                if label in defined:
                    continue
                number = next(
                    (i for i, s in enumerate(source_lines, start=1) if f"@{label}" in s),
                    None,
                )
                where = f"{name}:{number}" if number else f"{name} (output line {rendered_number})"
                kind = {"fig": "figure", "tbl": "table", "sec": "section"}[label[:3]]
                close = difflib.get_close_matches(label, sorted(defined), n=1)
                hint = f" (did you mean @{close[0]}?)" if close else ""
                messages.append(f"{where}: @{label} refers to no {kind} of the report{hint}")
    return messages


def write_chapters(
    chapters_dir: Path,
    context: Mapping[str, Any],
    out_dir: Path,
    *,
    shown_dir: str | None = None,
) -> list[Path]:
    """Render every ``*.md.j2`` of ``chapters_dir`` (in name order) to ``out_dir/*.qmd``.

    ``shown_dir`` is how messages name the chapters directory (default: as given).
    Raises ``TemplateProblem`` on the first template error or on unresolved references.
    """
    chapters_dir = Path(chapters_dir)
    shown_dir = shown_dir if shown_dir is not None else str(chapters_dir)
    templates = chapter_templates(chapters_dir)
    if not templates:
        raise TemplateProblem(f"{shown_dir}: no chapter templates (*{CHAPTER_SUFFIX}) found")
    env = environment(chapters_dir, skills=context.get("skills"), figures=context.get("figures"))
    full_context = dict(context)
    full_context["kf"] = NamedMapping("kf", context.get("kf", {}))
    full_context["tables"] = NamedMapping("tables", context.get("tables", {}), "table")
    full_context["data"] = NamedMapping("data", context.get("data", {}), "table")
    full_context["build_information"] = lambda: build_information(context.get("build", {}))
    rendered: dict[str, str] = {}
    for template in templates:
        shown_as = f"{shown_dir}/{template.name}"
        rendered[shown_as] = render_chapter(env, template, full_context, shown_as)
    sources = {f"{shown_dir}/{t.name}": t.read_text(encoding="utf-8") for t in templates}
    unresolved = check_cross_references(rendered, sources)
    if unresolved:
        raise TemplateProblem("\n".join(unresolved))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for template, text in zip(templates, rendered.values(), strict=True):
        path = out_dir / chapter_output_name(template)
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        written.append(path)
    return written
