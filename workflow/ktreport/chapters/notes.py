"""Stage 4a, the authors' notes of the chapter templates: ``::: {.authors-note}`` blocks and
``**Authors: refine.**`` paragraphs, shown in a draft, and each an open item that stops a
release (``ktreport build --release``, and the chapters step of a release).
"""

from __future__ import annotations

import re
from pathlib import Path

from ktreport.catalog import chapter_templates

MARK = "**Authors: refine.**"
_BLOCK = re.compile(r"^\s*:{3,}\s*\{[^}]*\.authors-note\b")
_FENCE = re.compile(r"^\s*:{3,}\s*$")
SHOWN = 100  # characters of a note's text in the list


def _summary(lines: list[str]) -> str:
    text = " ".join(" ".join(lines).replace(MARK, " ").split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1].rstrip() + "…"


def notes_in(text: str) -> list[tuple[int, str]]:
    """(line, text) of every note of one template: a block from its opening line, a
    paragraph marked ``**Authors: refine.**`` outside a block from its first line."""
    lines = text.splitlines()
    found = []
    number = 0
    while number < len(lines):
        line = lines[number]
        if _BLOCK.match(line):
            end = number + 1
            while end < len(lines) and not _FENCE.match(lines[end]):
                end += 1
            found.append((number + 1, _summary(lines[number + 1 : end])))
            number = end + 1
            continue
        if MARK in line:
            end = number
            while end < len(lines) and lines[end].strip():
                end += 1
            found.append((number + 1, _summary(lines[number:end])))
            number = end
            continue
        number += 1
    return found


def open_notes(chapters_dir: Path, shown_dir: str = "report/chapters") -> list[str]:
    """Every note of the chapter templates, as ``report/chapters/FILE:LINE: text``."""
    return [
        f"{shown_dir}/{template.name}:{line}: {text}"
        for template in chapter_templates(Path(chapters_dir))
        for line, text in notes_in(template.read_text(encoding="utf-8"))
    ]
