"""Stage 4a, where each block of a written chapter comes from: its template line.

Before a template is compiled, ``SourceLines`` (a jinja extension) puts an invisible
marker (``\\ue000LINE\\ue001``, private-use characters) at the start of every template
line that prints text: lines whose first character is template text or a ``{{ … }}``
(not ``{{-``, which would lose the whitespace it strips; not ``{% … %}`` or comments,
which print nothing). After rendering, ``unmark`` takes the markers out again: the
chapter's text is byte for byte what it was without them, and each prose block (a
paragraph, heading, list item or quote) gets the template line of its first marker.

The review copy (``ktreport.render.docx``) turns those lines into bookmarks, so that a
reviewer's comment in Word finds its way back to ``chapter.md.j2:LINE``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2.ext import Extension

from ktreport.catalog import CHAPTER_SOURCES_FILE

START, END = "\ue000", "\ue001"
_MARKER = re.compile(f"{START}(\\d+){END}")
_TAG = re.compile(r"\{\{|\{%|\{##|\}\}|%\}|##\}")
_CLOSES = {"{{": "}}", "{%": "%}", "{##": "##}"}
# The first line of a block that is not prose: a table, a div fence, a code fence, raw
# HTML, an image alone, a caption line of a table, a rule.
_NOT_PROSE = re.compile(r"^\s*(\||:::|```|~~~|<|!\[|: |---|\*\*\*|\{)")
# What comes before the text of a heading, a list item or a quote.
_PREFIX = re.compile(r"^(\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)?)")


def mark(source: str) -> str:
    """``source`` with a line marker before the first printed character of each line."""
    out: list[str] = []
    open_tag = ""  # the closing delimiter we are inside, or "" in template text
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        stripped = line.lstrip(" \t")
        indent = line[: len(line) - len(stripped)]
        prints = not open_tag and stripped.strip() and not stripped.startswith(("{%", "{##", "{{-"))
        out.append(f"{indent}{START}{number}{END}{stripped}" if prints else line)
        for match in _TAG.finditer(line):
            token = match.group(0)
            if not open_tag and token in _CLOSES:
                open_tag = _CLOSES[token]
            elif open_tag and token == open_tag:
                open_tag = ""
    return "".join(out)


def unmark(text: str) -> tuple[str, list[tuple[int, int]]]:
    """(the text without markers, [(output line, template line)] for each prose block)."""
    blocks: list[tuple[int, int]] = []
    clean_lines: list[str] = []
    in_code = False
    block_start: int | None = None  # output line of the current block's first line
    block_prose = False
    for number, line in enumerate(text.split("\n"), start=1):
        lines = [int(n) for n in _MARKER.findall(line)]
        clean = _MARKER.sub("", line)
        clean_lines.append(clean)
        if clean.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            block_start = None
            continue
        if in_code or not clean.strip():
            block_start = None
            continue
        if block_start is None or _is_item(clean):
            block_start = number
            block_prose = not _NOT_PROSE.match(clean)
            if block_prose and lines:
                blocks.append((number, lines[0]))
                block_prose = False  # placed
        elif block_prose and lines:
            blocks.append((block_start, lines[0]))
            block_prose = False
    return "\n".join(clean_lines), blocks


def _is_item(line: str) -> bool:
    """A list item or a heading starts a block of its own even without a blank line."""
    return bool(re.match(r"^\s*(#{1,6}\s|[-*+]\s|\d+[.)]\s)", line))


BOOKMARK_STEM = 26  # of a chapter's name in a bookmark: Word keeps at most 40 characters


def chapter_key(template_name: str) -> str:
    """A chapter's name as bookmarks carry it: ``04-skills.md.j2`` -> ``04_skills``."""
    stem = template_name.removesuffix(".md.j2")
    return re.sub(r"[^A-Za-z0-9]", "_", stem)[:BOOKMARK_STEM]


def anchor_line(line: str, anchor: str) -> str:
    """``line`` (a block's first line) with ``anchor`` (inline Markdown) before its text."""
    prefix = _PREFIX.match(line).group(1)
    return prefix + anchor + line[len(prefix) :]


class SourceLines(Extension):
    """Marks every printing line of a template with its line number (see ``mark``)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return mark(source)


def write_source_lines(lines: dict[str, list[tuple[int, int]]], out_dir: Path) -> Path:
    """``out_dir/source_lines.json``: template name -> [[output line, template line], …]."""
    path = Path(out_dir) / CHAPTER_SOURCES_FILE
    rows = [f"{json.dumps(name)}: {json.dumps(pairs)}" for name, pairs in sorted(lines.items())]
    path.write_text("{\n" + ",\n".join(rows) + "\n}\n", encoding="utf-8")
    return path


def read_source_lines(chapters_dir: Path) -> dict[str, dict[int, int]]:
    """What ``write_source_lines`` wrote: template name -> {output line: template line}."""
    path = Path(chapters_dir) / CHAPTER_SOURCES_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: {int(o): int(t) for o, t in pairs} for name, pairs in data.items()}
