"""Review aid, after the pipeline: the changes between two built versions, as values.

``ktreport diff`` compares two snapshots (``review.tree``) and describes what differs with
the frozen dataclasses of this module: key figures old -> new, sections of text with
word-level tracked changes, changed figures, and the partner rows added, removed and
modified by id. ``Changes.as_dict`` is the machine-readable form (``changes.json``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ktreport.core.errors import KtreportError

Status = Literal["added", "removed", "changed", "unchanged"]
Op = Literal["equal", "insert", "delete"]


class DiffError(KtreportError):
    """A problem a person can fix (missing folder, unreadable snapshot); the message says how."""


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
