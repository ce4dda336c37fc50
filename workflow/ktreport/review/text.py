"""Review aid, after the pipeline: the text of two versions, section by section.

Chapters (``report/_build/chapters/*.qmd``) are read as a reviewer reads them
(``readable_text``), split at their headings and compared with word-level tracked changes;
each changed sentence is told apart as an edit or a change of computed values only (numbers,
quoted key figures, generated table rows). The chapter templates the authors write are
compared sentence by sentence (``compare_templates``).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Literal

from ktreport.review.changes import SectionChange, Segment, SentenceChange, Status, TemplateEdit

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*(?:\{[^}]*\})?[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# Numbers first, so that 41.7 or 1,250 stay one token; then words; then single signs.
_TOKEN = re.compile(r"\s+|\d+(?:[.,\u202f\u00a0]\d+)*|\w+|[^\w\s]", re.UNICODE)
_NUMBER_TOKEN = re.compile(r"^(?:\d+(?:[.,\u202f\u00a0]\d+)*|[%+\-−–.,])$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9À-Ý])")
_NEW_UNIT = re.compile(r"^\s*(?:[|>#:]|[-*+][ \t]|\d+[.)][ \t]|!\[)")


_SPAN = re.compile(r"(?<!!)\[([^\[\]]*)\]\{[^{}]*\}")
_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]*)\)(\{[^{}]*\})?")
_DIV_FENCE = re.compile(r"^:::+.*$", re.MULTILINE)
_HEADING_ATTRIBUTES = re.compile(r"^(#{1,6}[ \t].*?)[ \t]*\{[^{}]*\}[ \t]*$", re.MULTILINE)
# Pandoc lets any ASCII punctuation be escaped with a backslash.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Private-use characters around a computed value in the text compared (never in an output).
COMPUTED_OPEN, COMPUTED_CLOSE = "\ue000", "\ue001"
_MARKS = str.maketrans("", "", COMPUTED_OPEN + COMPUTED_CLOSE)


def readable_text(markdown: str, mark_computed: bool = False) -> str:
    """Chapter Markdown as a reviewer reads it: a key figure's source span ``[41]{data-kf=…}``
    becomes ``41``, an image becomes ``[figure: name]``, div fences and heading ids go,
    backslash escapes are undone. Text, numbers and tables stay where they were.

    ``mark_computed`` keeps each span's text between COMPUTED_OPEN and COMPUTED_CLOSE, so
    that a change inside it can be told to come from the data."""
    text = _IMAGE.sub(lambda m: f"[figure: {Path(m.group(1)).stem}]", markdown)
    if mark_computed:
        text = _SPAN.sub(lambda m: f"{COMPUTED_OPEN}{m.group(1)}{COMPUTED_CLOSE}", text)
    else:
        text = _SPAN.sub(r"\1", text)
    text = _DIV_FENCE.sub("", text)
    text = _HEADING_ATTRIBUTES.sub(r"\1", text)
    return _reflow(_ESCAPE.sub(r"\1", text))


def _reflow(text: str) -> str:
    """Lines of one paragraph joined (templates wrap lines wherever a value is filled in);
    list items, table rows, headings and blank lines keep their own lines; code is kept."""
    lines: list[str] = []
    fence = False
    joinable = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fence = not fence
            lines.append(line)
            joinable = False
            continue
        starts_unit = not line.strip() or bool(_NEW_UNIT.match(line)) or fence
        if joinable and not starts_unit:
            lines[-1] = lines[-1].rstrip() + " " + line.strip()
        else:
            lines.append(line)
        joinable = bool(line.strip()) and not fence and not line.lstrip().startswith(("|", "#"))
    return "\n".join(lines)


def split_sections(text: str) -> list[tuple[str, str]]:
    """A chapter as (heading, text) pairs, split at every Markdown heading (not in code).

    The text before the first heading (front matter, opening paragraphs) has the heading ""."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    fence = ""
    in_front_matter = text.startswith("---\n")
    for number, line in enumerate(text.splitlines(keepends=True)):
        if in_front_matter:
            if number > 0 and line.rstrip() in ("---", "..."):
                in_front_matter = False
            sections[-1][1].append(line)
            continue
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if not fence:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = ""
        heading = None if fence else _HEADING.match(line.rstrip("\n"))
        if heading:
            sections.append((heading.group(2).strip(), [line]))
        else:
            sections[-1][1].append(line)
    result = [(heading, "".join(lines)) for heading, lines in sections]
    if result and not result[0][1].strip():
        result = result[1:]
    return result


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """Word-level tracked changes from ``old`` to ``new``.

    Whitespace is compared as "some space", so rewrapped lines are no change; a change that
    spans several words reads as one deletion followed by one insertion."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(
        a=[" " if t.isspace() else t for t in old_tokens],
        b=[" " if t.isspace() else t for t in new_tokens],
        autojunk=False,
    )
    raw: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            raw.append(Segment("equal", "".join(new_tokens[j1:j2])))
            continue
        if i2 > i1:
            raw.append(Segment("delete", "".join(old_tokens[i1:i2])))
        if j2 > j1:
            raw.append(Segment("insert", "".join(new_tokens[j1:j2])))
    segments = _tidy_segments(raw)
    if any(COMPUTED_OPEN in s.text or COMPUTED_CLOSE in s.text for s in segments):
        stripped = [Segment(s.op, s.text.translate(_MARKS)) for s in segments]
        segments = _tidy_segments([s for s in stripped if s.text])
    return segments


def _tidy_segments(segments: list[Segment]) -> list[Segment]:
    # A lone space between two changes is folded into them: "a b" -> "x y" reads as one edit.
    folded: list[Segment] = []
    for index, segment in enumerate(segments):
        between_changes = (
            segment.op == "equal"
            and segment.text.strip() == ""
            and 0 < index < len(segments) - 1
            and segments[index - 1].op != "equal"
            and segments[index + 1].op != "equal"
        )
        if between_changes:
            folded += [Segment("delete", segment.text), Segment("insert", segment.text)]
        else:
            folded.append(segment)
    result: list[Segment] = []
    run: list[Segment] = []

    def flush() -> None:
        deleted = "".join(s.text for s in run if s.op == "delete")
        inserted = "".join(s.text for s in run if s.op == "insert")
        if deleted:
            result.append(Segment("delete", deleted))
        if inserted:
            result.append(Segment("insert", inserted))
        run.clear()

    for segment in folded:
        if segment.op == "equal":
            flush()
            if result and result[-1].op == "equal":
                result[-1] = Segment("equal", result[-1].text + segment.text)
            elif segment.text:
                result.append(segment)
        else:
            run.append(segment)
    flush()
    return result


def split_sentences(text: str) -> list[str]:
    """Sentences of a Markdown text; list items, table rows and headings are units of their own."""
    units: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        current: list[str] = []
        for line in block.splitlines():
            if not line.strip():
                continue
            if _NEW_UNIT.match(line) and current:
                units.append(" ".join(current))
                current = []
            if line.lstrip().startswith("#"):
                continue  # a heading names the section; it is not a sentence of it
            current.append(line.strip())
            if line.lstrip().startswith("|"):
                units.append(" ".join(current))
                current = []
        if current:
            units.append(" ".join(current))
    sentences = []
    for unit in units:
        sentences += [s.strip() for s in _SENTENCE_END.split(unit) if s.strip()]
    return sentences


def _computed_flags(tokens: list[str]) -> list[bool]:
    """For each token: is it a number, a space, or inside a marked computed value?"""
    flags, inside = [], False
    for token in tokens:
        if token == COMPUTED_OPEN:
            inside = True
        flags.append(
            inside or token == COMPUTED_CLOSE or token.isspace() or bool(_NUMBER_TOKEN.match(token))
        )
        if token == COMPUTED_CLOSE:
            inside = False
    return flags


def _only_computed_values_differ(old: str, new: str) -> bool:
    if old.lstrip().startswith("|") and new.lstrip().startswith("|"):
        return True  # a row of a table generated from the data
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    old_flags, new_flags = _computed_flags(old_tokens), _computed_flags(new_tokens)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal" and not (all(old_flags[i1:i2]) and all(new_flags[j1:j2])):
            return False
    return True


def _paired_sentences(old: str, new: str) -> list[tuple[str, str]]:
    """Changed sentences as (old, new) pairs; "" on one side for an added or removed one."""
    old_sentences, new_sentences = split_sentences(old), split_sentences(new)
    matcher = difflib.SequenceMatcher(a=old_sentences, b=new_sentences, autojunk=False)
    pairs = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before, after = old_sentences[i1:i2], new_sentences[j1:j2]
        for index in range(max(len(before), len(after))):
            pairs.append(
                (
                    before[index] if index < len(before) else "",
                    after[index] if index < len(after) else "",
                )
            )
    return pairs


def sentence_changes(old: str, new: str) -> list[SentenceChange]:
    """Which sentences changed, and whether only their computed values did (kind "data").

    Computed values are numbers, text marked with COMPUTED_OPEN/CLOSE (quoted key figures)
    and rows of tables; the marks never appear in the sentences returned."""
    changes = []
    for before, after in _paired_sentences(old, new):
        if not after:
            kind = "data" if before.lstrip().startswith("|") else "removed"
        elif not before:
            kind = "data" if after.lstrip().startswith("|") else "added"
        else:
            kind = "data" if _only_computed_values_differ(before, after) else "edited"
        changes.append(SentenceChange(kind, before.translate(_MARKS), after.translate(_MARKS)))
    return changes


def compare_templates(old: dict[str, str], new: dict[str, str]) -> list[TemplateEdit]:
    """The sentences the authors changed in the chapter templates, template by template."""
    edits = []
    for template in sorted(set(old) | set(new)):
        for before, after in _paired_sentences(old.get(template, ""), new.get(template, "")):
            kind: Literal["edited", "added", "removed"] = (
                "added" if not before else "removed" if not after else "edited"
            )
            edits.append(
                TemplateEdit(template, kind, before, after, tuple(word_diff(before, after)))
            )
    return edits


def _collapse_space(text: str) -> str:
    return " ".join(text.split())


def compare_chapters(old: dict[str, str], new: dict[str, str]) -> list[SectionChange]:
    """Every section of every chapter, in the new version's order (removed ones where they were)."""
    changes: list[SectionChange] = []
    for chapter in sorted(set(old) | set(new)):
        old_sections = split_sections(readable_text(old.get(chapter, ""), mark_computed=True))
        new_sections = split_sections(readable_text(new.get(chapter, ""), mark_computed=True))
        matcher = difflib.SequenceMatcher(
            a=[h for h, _ in old_sections], b=[h for h, _ in new_sections], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            pairs: list[tuple[tuple[str, str] | None, tuple[str, str] | None]]
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                # Same headings, or renamed headings in the same place: compare the texts.
                pairs = list(zip(old_sections[i1:i2], new_sections[j1:j2], strict=True))
            else:
                pairs = [(s, None) for s in old_sections[i1:i2]]
                pairs += [(None, s) for s in new_sections[j1:j2]]
            for before, after in pairs:
                changes.append(_section_change(chapter, before, after))
    return changes


def _section_change(
    chapter: str, before: tuple[str, str] | None, after: tuple[str, str] | None
) -> SectionChange:
    old_text = before[1] if before else ""
    new_text = after[1] if after else ""
    heading = (after or before or ("", ""))[0].translate(_MARKS)
    if before is None:
        status: Status = "added"
    elif after is None:
        status = "removed"
    elif _collapse_space(old_text) == _collapse_space(new_text):
        text = new_text.translate(_MARKS)
        return SectionChange(chapter, heading, "unchanged", (Segment("equal", text),))
    else:
        status = "changed"
    return SectionChange(
        chapter,
        heading,
        status,
        tuple(word_diff(old_text, new_text)),
        tuple(sentence_changes(old_text, new_text)),
    )
