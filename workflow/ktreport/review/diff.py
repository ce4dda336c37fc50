"""Review aid, after the pipeline: tracked changes between two built versions of the report.

A *snapshot* is a folder laid out like a built project tree (``report/output/key_figures.json``,
``report/_build/chapters/*.qmd``, ``report/_build/figures/``, ``data/raw/``). ``compare`` turns
two snapshots into ``Changes``: key figures old -> new, sections of text with word-level tracked
changes, changed figures, and the partner rows added, removed and modified by id.
``write_changes`` writes them as ``changes.html`` (self-contained), ``changes.pdf`` and
``changes.json``. Building a git revision into a snapshot lives in ``ktreport.run.build``.

Personal columns of the contract are never read into a change, and a quote is shown only
where the interviewee consented to being quoted.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from ktreport import contract

Status = Literal["added", "removed", "changed", "unchanged"]
Op = Literal["equal", "insert", "delete"]

KEY_FIGURES_PATH = Path("report/output/key_figures.json")
CHAPTERS_DIR = Path("report/_build/chapters")
TEMPLATES_DIR = Path("report/chapters")
FIGURES_DIR = Path("report/_build/figures")
RAW_DIR = Path("data/raw")
BUILD_INFO_PATH = Path("report/_build/build_info.json")
RENDER_CONTEXT_PATH = Path("report/_build/render_context.json")
# Written by ktreport.run.build next to a cached snapshot: which revision it was built from.
SNAPSHOT_INFO = "snapshot.json"

WITHHELD_QUOTE = "[quote withheld: no consent to quote]"
# Consortium reference tables in data/raw/ and the column that identifies their rows.
REFERENCE_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "partners.csv": ("partner_id", contract.PARTNERS_COLUMNS),
    "skills_taxonomy.csv": ("skill_id", contract.TAXONOMY_COLUMNS),
}
# The columns that identify a row of each partner table (ratings have no single id).
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "case_studies": ("case_id",),
    "interviews": ("interview_id",),
    "ratings": ("interview_id", "skill"),
}


class DiffError(Exception):
    """A problem a person can fix (missing folder, unreadable snapshot); the message says how."""


# --------------------------------------------------------------------------------------------
# The changes, as values
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SideInfo:
    """What one side of the comparison was built from."""

    label: str
    version: str = ""
    commit: str = ""
    build_date: str = ""
    data_fingerprint: str = ""
    # Where the fingerprint comes from: the build's provenance, or computed here from data/raw.
    fingerprint_source: str = ""


@dataclass(frozen=True)
class KeyFigureChange:
    name: str
    status: Status
    definition: str
    unit: str
    old_value: Any
    new_value: Any
    delta: float | None
    old_n: Any = None
    new_n: Any = None
    old_denominator: Any = None
    new_denominator: Any = None
    # Quoted in the prose of either version (a source span data-kf="name" in a chapter).
    in_text: bool = False


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


@dataclass(frozen=True)
class SentenceChange:
    # "data": only computed values changed (numbers, quoted key figures, generated table
    # rows); "edited": other words changed too; "added"/"removed": a whole sentence.
    kind: Literal["edited", "data", "added", "removed"]
    old: str
    new: str


@dataclass(frozen=True)
class SectionChange:
    chapter: str
    heading: str
    status: Status
    segments: tuple[Segment, ...] = ()
    sentences: tuple[SentenceChange, ...] = ()


@dataclass(frozen=True)
class TemplateEdit:
    """A sentence the authors changed in a chapter template (report/chapters/*.md.j2)."""

    template: str
    kind: Literal["edited", "added", "removed"]
    old: str
    new: str
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class FigureChange:
    figure_id: str
    title: str
    status: Status
    data_changed: bool
    drawing_changed: bool
    old_svg: bytes | None = field(default=None, repr=False)
    new_svg: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class CellChange:
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    key: str
    old_row: int | None  # spreadsheet row number as the partner sees it (header = row 1)
    new_row: int | None
    cells: tuple[tuple[str, str], ...] = ()  # the row's values (added/removed rows)
    changes: tuple[CellChange, ...] = ()  # modified rows: only the cells that changed


@dataclass(frozen=True)
class FileChange:
    table: str
    name: str  # partner id, or the reference file's name
    old_path: str
    new_path: str
    status: Status
    columns: tuple[str, ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    rows_added: tuple[RowChange, ...] = ()
    rows_removed: tuple[RowChange, ...] = ()
    rows_modified: tuple[RowChange, ...] = ()
    rows_old: int = 0
    rows_new: int = 0
    note: str = ""

    @property
    def modified_columns(self) -> tuple[str, ...]:
        """The columns with at least one changed cell, in the file's column order."""
        changed = {c.column for row in self.rows_modified for c in row.changes}
        return tuple(c for c in self.columns if c in changed)


@dataclass(frozen=True)
class Summary:
    key_figures_changed: int
    key_figures_added: int
    key_figures_removed: int
    sections_changed: int
    sections_added: int
    sections_removed: int
    sentences_edited: int  # by authors, in the chapter templates
    sentences_changed: int  # in the rendered text, for any reason
    figures_changed: int
    figures_added: int
    figures_removed: int
    files_changed: int
    rows_added: int
    rows_removed: int
    rows_modified: int

    @property
    def anything_changed(self) -> bool:
        return any(value for value in asdict(self).values())


@dataclass(frozen=True)
class Changes:
    old: SideInfo
    new: SideInfo
    key_figures: tuple[KeyFigureChange, ...]
    sections: tuple[SectionChange, ...]
    figures: tuple[FigureChange, ...]
    files: tuple[FileChange, ...]
    template_edits: tuple[TemplateEdit, ...] = ()

    @property
    def summary(self) -> Summary:
        def count(items: Iterable[Any], status: str) -> int:
            return sum(1 for item in items if item.status == status)

        return Summary(
            key_figures_changed=count(self.key_figures, "changed"),
            key_figures_added=count(self.key_figures, "added"),
            key_figures_removed=count(self.key_figures, "removed"),
            sections_changed=count(self.sections, "changed"),
            sections_added=count(self.sections, "added"),
            sections_removed=count(self.sections, "removed"),
            sentences_edited=len(self.template_edits),
            sentences_changed=sum(len(s.sentences) for s in self.sections),
            figures_changed=count(self.figures, "changed"),
            figures_added=count(self.figures, "added"),
            figures_removed=count(self.figures, "removed"),
            files_changed=sum(1 for f in self.files if f.status != "unchanged"),
            rows_added=sum(len(f.rows_added) for f in self.files),
            rows_removed=sum(len(f.rows_removed) for f in self.files),
            rows_modified=sum(len(f.rows_modified) for f in self.files),
        )

    @property
    def anything_changed(self) -> bool:
        return self.summary.anything_changed

    def as_dict(self) -> dict[str, Any]:
        """The changes for machines: plain JSON values, in a fixed order, no SVG bytes."""
        figures = []
        for figure in self.figures:
            entry = asdict(figure)
            entry["old_svg_sha256"] = _sha256(figure.old_svg)
            entry["new_svg_sha256"] = _sha256(figure.new_svg)
            del entry["old_svg"], entry["new_svg"]
            figures.append(entry)
        files = []
        for change in self.files:
            entry = asdict(change)
            for kind in ("rows_added", "rows_removed", "rows_modified"):
                entry[kind] = [_row_dict(row) for row in getattr(change, kind)]
            files.append(entry)
        sections = []
        for section in self.sections:
            entry = {
                "chapter": section.chapter,
                "heading": section.heading,
                "status": section.status,
                "sentences": [asdict(s) for s in section.sentences],
            }
            if section.status != "unchanged":
                entry["segments"] = [[s.op, s.text] for s in section.segments]
            sections.append(entry)
        return {
            "old": asdict(self.old),
            "new": asdict(self.new),
            "summary": asdict(self.summary) | {"anything_changed": self.anything_changed},
            "key_figures": [asdict(k) for k in self.key_figures],
            "sections": sections,
            "figures": figures,
            "files": files,
            "template_edits": [
                {
                    "template": e.template,
                    "kind": e.kind,
                    "old": e.old,
                    "new": e.new,
                    "segments": [[s.op, s.text] for s in e.segments],
                }
                for e in self.template_edits
            ],
        }


def _row_dict(row: RowChange) -> dict[str, Any]:
    return {
        "key": row.key,
        "old_row": row.old_row,
        "new_row": row.new_row,
        "cells": dict(row.cells),
        "changes": [asdict(c) for c in row.changes],
    }


def _sha256(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------------------------
# Snapshots
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """A built project tree (or a copy of its outputs) on disk, under a label for people."""

    root: Path
    label: str

    def info(self) -> SideInfo:
        meta: dict[str, Any] = {}
        if (self.root / SNAPSHOT_INFO).is_file():
            meta |= _read_json_object(self.root / SNAPSHOT_INFO)
        # The build's own provenance: the render context's "build", or a build_info.json.
        if (self.root / RENDER_CONTEXT_PATH).is_file():
            build = _read_json_object(self.root / RENDER_CONTEXT_PATH).get("build")
            meta |= build if isinstance(build, dict) else {}
        if (self.root / BUILD_INFO_PATH).is_file():
            meta |= _read_json_object(self.root / BUILD_INFO_PATH)
        fingerprint = _first(meta, "data_fingerprint", "fingerprint")
        source = "build information" if fingerprint else ""
        if not fingerprint and (self.root / RAW_DIR).is_dir():
            from ktreport.core import provenance

            # The same fingerprint the build writes, computed from the snapshot's raw files.
            fingerprint = provenance.data_fingerprint(self.root)
            source = "computed by ktreport diff from data/raw"
        return SideInfo(
            label=self.label,
            version=_first(meta, "version", "git_describe"),
            commit=_first(meta, "commit", "git_commit", "sha"),
            build_date=_first(meta, "build_date", "date", "commit_date"),
            data_fingerprint=fingerprint,
            fingerprint_source=source,
        )

    def key_figures(self) -> dict[str, dict[str, Any]]:
        path = self.root / KEY_FIGURES_PATH
        if not path.is_file():
            return {}
        data = _read_json_object(path)
        # Tolerate a wrapper object ({"key_figures": {...}, "build": {...}}).
        if isinstance(data.get("key_figures"), dict):
            data = data["key_figures"]
        return {
            str(name): (entry if isinstance(entry, dict) else {"value": entry})
            for name, entry in data.items()
        }

    def chapters(self) -> dict[str, str]:
        folder = self.root / CHAPTERS_DIR
        if not folder.is_dir():
            return {}
        return {
            path.name: path.read_text(encoding="utf-8", errors="replace")
            for path in sorted(folder.glob("*.qmd"))
        }

    def templates(self) -> dict[str, str]:
        """The chapter templates the authors write (report/chapters/*.md.j2), by file name."""
        folder = self.root / TEMPLATES_DIR
        if not folder.is_dir():
            return {}
        return {
            path.name: path.read_text(encoding="utf-8", errors="replace")
            for path in sorted(folder.glob("*.md.j2"))
        }

    def figures(self) -> dict[str, dict[str, Any]]:
        """Figure id -> {title, svg (bytes or None), data (canonical JSON text or None)}."""
        folder = self.root / FIGURES_DIR
        if not folder.is_dir():
            return {}
        titles = _manifest_titles(folder / "figures.json")
        ids = set(titles)
        ids |= {p.stem for p in folder.glob("*.svg")}
        ids |= {p.stem for p in folder.glob("*.json") if p.name != "figures.json"}
        figures = {}
        for figure_id in sorted(ids):
            svg = folder / f"{figure_id}.svg"
            data = folder / f"{figure_id}.json"
            figures[figure_id] = {
                "title": titles.get(figure_id, ""),
                "svg": svg.read_bytes() if svg.is_file() else None,
                "data": _canonical_json(data) if data.is_file() else None,
            }
        return figures

    def raw_files(self) -> dict[tuple[str, str], Path]:
        """(table, partner or file name) -> path of every partner and reference file."""
        raw = self.root / RAW_DIR
        files: dict[tuple[str, str], Path] = {}
        if not raw.is_dir():
            return files
        for table in contract.PARTNER_TABLES:
            folder = raw / table
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.suffix.lower() in contract.RAW_EXTENSIONS:
                    key = (table, path.stem)
                    # Two files of one partner (UNIBO.csv and UNIBO.xlsx): keep both apart.
                    files[(table, path.name) if key in files else key] = path
        for name in REFERENCE_TABLES:
            if (raw / name).is_file():
                files[(Path(name).stem, name)] = raw / name
        return files


def _first(meta: dict[str, Any], *names: str) -> str:
    for name in names:
        value = meta.get(name)
        if value not in (None, ""):
            return str(value)
    return ""


def _read_json_object(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DiffError(f"{path}: not readable as JSON ({error}). Rebuild that version.") from None
    return data if isinstance(data, dict) else {}


def _canonical_json(path: Path) -> str:
    try:
        return json.dumps(json.loads(path.read_text(encoding="utf-8")), sort_keys=True)
    except (OSError, ValueError):
        return path.read_bytes().hex()


def _manifest_titles(path: Path) -> dict[str, str]:
    """Figure id -> title from the figures manifest, whatever its outer shape."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if isinstance(data, dict) and isinstance(data.get("figures"), list | dict):
        data = data["figures"]
    entries: list[tuple[str, Any]] = []
    if isinstance(data, dict):
        entries = [(str(k), v) for k, v in data.items()]
    elif isinstance(data, list):
        entries = [(str(e.get("id", "")), e) for e in data if isinstance(e, dict)]
    titles = {}
    for figure_id, entry in entries:
        if not figure_id:
            continue
        title = ""
        if isinstance(entry, dict):
            title = str(entry.get("title") or entry.get("caption") or "")
        titles[figure_id] = title
    return titles


# --------------------------------------------------------------------------------------------
# Key figures
# --------------------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def compare_key_figures(
    old: dict[str, dict[str, Any]],
    new: dict[str, dict[str, Any]],
    in_text: Iterable[str] = (),
) -> list[KeyFigureChange]:
    """Every key figure of either side: changed, added and removed ones first, those quoted in
    the text (``in_text``) before the others, then by name."""
    quoted = set(in_text)
    changes = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        entry = after if after is not None else before or {}
        old_value = None if before is None else before.get("value")
        new_value = None if after is None else after.get("value")
        if before is None:
            status: Status = "added"
        elif after is None:
            status = "removed"
        else:
            status = "unchanged" if old_value == new_value else "changed"
        delta = None
        if status == "changed" and _is_number(old_value) and _is_number(new_value):
            # Rounded so that 0.45 - 0.4 reads 0.05, not 0.04999999999999999.
            delta = round(new_value - old_value, 10)
            delta = int(delta) if isinstance(old_value + new_value, int) else delta
        changes.append(
            KeyFigureChange(
                name=name,
                status=status,
                definition=str(entry.get("definition", "")),
                unit=str(entry.get("unit", "") or ""),
                old_value=old_value,
                new_value=new_value,
                delta=delta,
                old_n=None if before is None else before.get("n"),
                new_n=None if after is None else after.get("n"),
                old_denominator=None if before is None else before.get("denominator"),
                new_denominator=None if after is None else after.get("denominator"),
                in_text=name in quoted,
            )
        )
    order = {"changed": 0, "added": 1, "removed": 2, "unchanged": 3}
    return sorted(changes, key=lambda c: (order[c.status], not c.in_text, c.name))


_SOURCE_SPAN_NAME = re.compile(r'data-kf="([^"]+)"')


def quoted_key_figures(*chapter_sets: dict[str, str]) -> list[str]:
    """Names of the key figures the chapters quote (their source spans), sorted."""
    names: set[str] = set()
    for chapters in chapter_sets:
        for text in chapters.values():
            names.update(_SOURCE_SPAN_NAME.findall(text))
    return sorted(names)


# --------------------------------------------------------------------------------------------
# Text: sections, words and sentences
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------


def compare_figures(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> list[FigureChange]:
    """Every figure; a figure changed when its data or its drawing (SVG bytes) changed."""
    changes = []
    for figure_id in sorted(set(old) | set(new)):
        before, after = old.get(figure_id), new.get(figure_id)
        title = str((after or before or {}).get("title", ""))
        if before is None or after is None:
            status: Status = "added" if before is None else "removed"
            data_changed = drawing_changed = True
        else:
            data_changed = before["data"] != after["data"]
            drawing_changed = before["svg"] != after["svg"]
            status = "changed" if data_changed or drawing_changed else "unchanged"
        changes.append(
            FigureChange(
                figure_id=figure_id,
                title=title,
                status=status,
                data_changed=data_changed,
                drawing_changed=drawing_changed,
                old_svg=None if before is None else before["svg"],
                new_svg=None if after is None else after["svg"],
            )
        )
    return changes


# --------------------------------------------------------------------------------------------
# Raw data: rows by id, cells as text
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawTable:
    """A partner file as text: contract column names and rows keyed by their id."""

    columns: tuple[str, ...]
    rows: dict[str, tuple[int, dict[str, str]]]  # key -> (spreadsheet row, column -> text)
    ignored_columns: tuple[str, ...] = ()
    error: str = ""


def load_raw_table(path: Path, table: str) -> RawTable:
    """Rows of a partner or reference file keyed by id, read as the pipeline reads them
    (``ktreport.ingest.readers``: header row found, header spellings matched, cells as text).

    Personal columns are never kept; a quote is kept only when consent to quote is "yes"."""
    from ktreport.ingest import readers

    if table in contract.PARTNER_TABLES:
        spec = contract.PARTNER_TABLES[table]
        columns, required = spec.column_names, spec.required_columns
        known = [c for c in columns if c not in spec.personal_columns]
        key_columns = ROW_KEYS[table]
    else:
        key_column, columns = next(
            (key, cols)
            for name, (key, cols) in REFERENCE_TABLES.items()
            if Path(name).stem == table
        )
        required, known, key_columns = (key_column,), list(columns), (key_column,)
    try:
        raw = readers.read_table(path, path.name, columns, required, sheet_name=table)
    except Exception as error:  # a damaged file is a change to report, not a crash
        return RawTable((), {}, error=f"could not be read ({type(error).__name__}: {error})")
    if raw.header_row is None:
        reasons = "; ".join(p.message for p in raw.problems) or "no header row"
        return RawTable((), {}, error=f"could not be read ({reasons})")
    present = tuple(c for c in known if c in raw.headers)
    keyed: dict[str, tuple[int, dict[str, str]]] = {}
    for row in raw.rows:
        values = {c: row.cells.get(c, "") for c in present}
        if table == "interviews" and values.get("quote"):
            consent = values.get("consent_to_quote", "").strip().lower()
            if consent not in contract.YES_VALUES:
                values["quote"] = WITHHELD_QUOTE
        key = " / ".join(values.get(c, "") for c in key_columns)
        if not key.replace(" / ", "").strip():
            key = f"(row {row.number}, no id)"
        unique, occurrence = key, 1
        while unique in keyed:
            occurrence += 1
            unique = f"{key} (#{occurrence})"
        keyed[unique] = (row.number, values)
    return RawTable(present, keyed, tuple(sorted(raw.unknown_columns)))


def compare_raw_file(
    table: str,
    name: str,
    old_path: Path | None,
    new_path: Path | None,
    root_old: Path,
    root_new: Path,
) -> FileChange:
    """Rows added, removed and modified (by id) between two versions of one partner file."""
    old_rel = old_path.relative_to(root_old).as_posix() if old_path else ""
    new_rel = new_path.relative_to(root_new).as_posix() if new_path else ""
    empty = RawTable((), {})
    before = load_raw_table(old_path, table) if old_path else empty
    after = load_raw_table(new_path, table) if new_path else empty
    common = tuple(c for c in after.columns if c in before.columns)
    added = tuple(
        _row(key, None, after.rows[key], after.columns)
        for key in sorted(after.rows.keys() - before.rows.keys())
    )
    removed = tuple(
        _row(key, before.rows[key], None, before.columns)
        for key in sorted(before.rows.keys() - after.rows.keys())
    )
    modified = []
    for key in sorted(before.rows.keys() & after.rows.keys()):
        old_values, new_values = before.rows[key][1], after.rows[key][1]
        cells = tuple(
            CellChange(c, old_values[c], new_values[c])
            for c in common
            if old_values[c].strip() != new_values[c].strip()
        )
        if cells:
            shown = tuple((c, new_values.get(c, "")) for c in after.columns)
            modified.append(RowChange(key, before.rows[key][0], after.rows[key][0], shown, cells))
    columns_added = tuple(c for c in after.columns if c not in before.columns)
    columns_removed = tuple(c for c in before.columns if c not in after.columns)
    note = "; ".join(
        f"{side} version {error}"
        for side, error in (("old", before.error), ("new", after.error))
        if error
    )
    if old_path is None:
        status: Status = "added"
    elif new_path is None:
        status = "removed"
    elif (
        added
        or removed
        or modified
        or columns_added
        or columns_removed
        or note
        or old_rel != new_rel
    ):
        status = "changed"
    else:
        status = "unchanged"
    return FileChange(
        table=table,
        name=name,
        old_path=old_rel,
        new_path=new_rel,
        status=status,
        columns=after.columns or before.columns,
        columns_added=columns_added,
        columns_removed=columns_removed,
        ignored_columns=tuple(sorted(set(before.ignored_columns) | set(after.ignored_columns))),
        rows_added=added,
        rows_removed=removed,
        rows_modified=tuple(modified),
        rows_old=len(before.rows),
        rows_new=len(after.rows),
        note=note,
    )


def _row(
    key: str,
    before: tuple[int, dict[str, str]] | None,
    after: tuple[int, dict[str, str]] | None,
    columns: Sequence[str],
) -> RowChange:
    values = (after or before or (0, {}))[1]
    return RowChange(
        key=key,
        old_row=before[0] if before else None,
        new_row=after[0] if after else None,
        cells=tuple((c, values.get(c, "")) for c in columns),
    )


def compare_raw(old: Snapshot, new: Snapshot) -> list[FileChange]:
    old_files, new_files = old.raw_files(), new.raw_files()
    order = {name: index for index, name in enumerate(contract.PARTNER_TABLES)}
    keys = sorted(set(old_files) | set(new_files), key=lambda k: (order.get(k[0], 99), k))
    return [
        compare_raw_file(
            table,
            name,
            old_files.get((table, name)),
            new_files.get((table, name)),
            old.root,
            new.root,
        )
        for table, name in keys
    ]


# --------------------------------------------------------------------------------------------
# The comparison
# --------------------------------------------------------------------------------------------


def compare(old: Snapshot, new: Snapshot) -> Changes:
    """Everything that differs between two built versions of the report."""
    for snapshot in (old, new):
        if not snapshot.root.is_dir():
            raise DiffError(f"{snapshot.root}: no such folder (version {snapshot.label!r}).")
    old_text, new_text = old.chapters(), new.chapters()
    return Changes(
        old=old.info(),
        new=new.info(),
        key_figures=tuple(
            compare_key_figures(
                old.key_figures(), new.key_figures(), quoted_key_figures(old_text, new_text)
            )
        ),
        sections=tuple(compare_chapters(old_text, new_text)),
        figures=tuple(compare_figures(old.figures(), new.figures())),
        files=tuple(compare_raw(old, new)),
        template_edits=tuple(compare_templates(old.templates(), new.templates())),
    )


# --------------------------------------------------------------------------------------------
# Output: JSON, HTML, PDF
# --------------------------------------------------------------------------------------------

TEMPLATES = Path(__file__).resolve().parent / "templates"


def changes_json(changes: Changes) -> str:
    return json.dumps(changes.as_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


SHARE_UNITS = ("share",)


def _decimals(value: float, sign: str = "") -> str:
    text = f"{value:{sign},.2f}".replace(",", "\u202f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value: Any, unit: str = "") -> str:
    """A key-figure value for people: shares as percentages, at most 2 decimals, no float noise."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if _is_number(value) and unit in SHARE_UNITS:
        return f"{value * 100:.1f} %"
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    if isinstance(value, float):
        return _decimals(value)
    return str(value)


def format_delta(delta: float | None, unit: str = "") -> str:
    """A change as a signed number: percentage points for shares."""
    if delta is None:
        return ""
    if unit in SHARE_UNITS:
        return f"{delta * 100:+.1f} pp"
    if isinstance(delta, int):
        return f"{delta:+,d}".replace(",", "\u202f")
    return _decimals(delta, "+")


def _svg_data_url(svg: bytes | None) -> str:
    # As <img src="data:...">: the SVG's own ids cannot collide with the other side's, and
    # a script inside an SVG never runs.
    if svg is None:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


# Relative widths of the columns of a rows table, by contract kind: free text and lists
# get room, enumerated codes enough for "hei_kt_professional", numbers little.
_COLUMN_WEIGHTS = {
    "skills": 3.0,
    "text": 3.0,
    "multi": 2.0,
    "url": 2.0,
    "enum": 1.8,
    "id": 2.0,
    "date": 1.8,
    "country": 1.2,
}


def column_widths(table: str, columns: Sequence[str], leading: Sequence[float] = ()) -> list[str]:
    """Relative widths (CSS percentages) of a rows table: lists and free text get room,
    codes and numbers little. ``leading`` are the weights of columns before ``columns``."""
    spec = contract.PARTNER_TABLES.get(table)
    weights = list(leading)
    for name in columns:
        kind = spec.column(name).kind if spec and name in spec.column_names else "text"
        weights.append(_COLUMN_WEIGHTS.get(kind, 1.0))
    total = sum(weights) or 1.0
    return [f"{100 * w / total:.1f}%" for w in weights]


def _breakable(text: str) -> Any:
    """Escaped text that may wrap after "_", ";" and "/" (long ids and lists in narrow cells)."""
    import markupsafe

    escaped = str(markupsafe.escape(text))
    return markupsafe.Markup(re.sub(r"([_;/])", r"\1<wbr>", escaped))


def render_html(changes: Changes) -> str:
    """The self-contained tracked-changes page (inline CSS, images as data URLs, all escaped)."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["value"] = format_value
    environment.filters["delta"] = format_delta
    environment.filters["svg_url"] = _svg_data_url
    environment.filters["label"] = contract.label
    environment.filters["breakable"] = _breakable
    environment.globals["column_widths"] = column_widths
    by_chapter: dict[str, list[SectionChange]] = {}
    for section in changes.sections:
        by_chapter.setdefault(section.chapter, []).append(section)
    # A chapter is titled by its first heading (its file name when it has none).
    chapters = [
        (name, next((s.heading for s in sections if s.heading), name), sections)
        for name, sections in by_chapter.items()
    ]
    template = environment.get_template("diff.html.j2")
    return template.render(
        changes=changes,
        summary=changes.summary,
        chapters=chapters,
        changed_files=[f for f in changes.files if f.status != "unchanged"],
        unchanged_files=[f for f in changes.files if f.status == "unchanged"],
        personal_columns=sorted(
            {c for t in contract.PARTNER_TABLES.values() for c in t.personal_columns}
        ),
        withheld_quote=WITHHELD_QUOTE,
    )


def _url_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class DataUrlsOnly(URLFetcher):
        """Fetches data: URLs only: the PDF never reads a file or the network."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"changes.pdf fetches no external resource ({url[:60]})")
            return super().fetch(url, headers)

    return DataUrlsOnly


def __getattr__(name: str) -> Any:
    # WeasyPrint is imported only when a PDF is written (``ktreport diff --no-pdf`` stays quick).
    if name == "DataUrlsOnly":
        return _url_fetcher_class()
    raise AttributeError(name)


def write_pdf(html: str, target: Path) -> None:
    """The PDF from the same HTML (its print CSS); nothing is fetched but data: URLs."""
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url=str(target.parent), url_fetcher=_url_fetcher_class()()
    )
    document.write_pdf(target)


@dataclass(frozen=True)
class Written:
    folder: Path
    html: Path
    pdf: Path | None
    json: Path


def write_changes(changes: Changes, folder: Path, pdf: bool = True) -> Written:
    """``changes.html``, ``changes.pdf`` and ``changes.json`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    html = render_html(changes)
    html_path, json_path, pdf_path = (
        folder / "changes.html",
        folder / "changes.json",
        folder / "changes.pdf",
    )
    html_path.write_text(html, encoding="utf-8", newline="\n")
    json_path.write_text(changes_json(changes), encoding="utf-8", newline="\n")
    if pdf:
        write_pdf(html, pdf_path)
    elif pdf_path.exists():
        pdf_path.unlink()
    return Written(folder, html_path, pdf_path if pdf else None, json_path)


# --------------------------------------------------------------------------------------------
# Two versions by name: git revisions or folders
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffRun:
    changes: Changes
    written: Written
    old: Any  # ktreport.run.build.Built
    new: Any


def _safe_label(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", label).strip("_.") or "version"


def diff_versions(
    old: str | None,
    new: str | None,
    cwd: Path,
    out: Path | None = None,
    cores: int | str = "all",
    pdf: bool = True,
    rebuild: bool = False,
    progress: Any = None,
) -> DiffRun:
    """Compare two versions and write the changes.

    ``old``/``new`` are git revisions (tags, branches, commits) or folders holding a built
    project tree. ``new`` None is the working tree; ``old`` None the latest tag. Revisions are
    built in isolated worktrees and cached by commit. The outputs go to ``out`` (default
    ``report/output/diff/<OLD>..<NEW>/`` of the project)."""
    from ktreport.run import build

    progress = progress or build._quiet
    root = build.repository_root(cwd)

    def side(spec: str | None, default_label: str) -> Any:
        if spec is not None and (cwd / spec).is_dir():
            folder = (cwd / spec).resolve()
            name = folder.parent.parent.name if folder.name == "output" else folder.name
            found = build.snapshot_folder(folder, name)
            if found is None:
                raise DiffError(
                    f"'{spec}' is a folder but not a built report: expected report/output/ "
                    "and report/_build/ (run the build there first) or data/raw/ in it."
                )
            return found
        if root is None:
            raise DiffError(
                f"'{spec or default_label}' is not a folder, and {cwd} is not in a git "
                "repository, so it cannot be a revision either."
            )
        return build.build_revision(
            root, spec, spec or default_label, cores, rebuild=rebuild, progress=progress
        )

    if old is None:
        if root is None:
            raise DiffError(f"{cwd} is not in a git repository: name the two versions to compare.")
        old = build.latest_tag(root)
    # Check both names before spending minutes on a build.
    for spec in (old, new):
        if spec is not None and not (cwd / spec).is_dir() and root is not None:
            build.resolve_revision(root, spec)
    old_side = side(old, old)
    new_side = side(new, build.WORKING_TREE)
    changes = compare(old_side.snapshot, new_side.snapshot)
    base = root or cwd
    folder = out or base / "report" / "output" / "diff" / (
        f"{_safe_label(old_side.snapshot.label)}..{_safe_label(new_side.snapshot.label)}"
    )
    written = write_changes(changes, folder, pdf=pdf)
    return DiffRun(changes, written, old_side, new_side)
