"""Review aid, after the pipeline: ``ktreport diff``, tracked changes between two built versions.

``compare`` turns two snapshots (``review.tree``) into ``Changes`` (``review.changes``): key
figures old -> new (``review.keyfigures``), sections of text with word-level tracked changes
(``review.text``), changed figures (``review.figures``), and the partner rows added, removed
and modified by id (``review.rows``). ``review.output`` writes them as ``changes.html``
(self-contained), ``changes.pdf`` and ``changes.json``. ``diff_versions`` is the command's
entry point: two git revisions or folders, each built into a snapshot by ``review.snapshots``.

Personal columns of the contract are never read into a change, and a quote is shown only
where the interviewee consented to being quoted.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from ktreport.catalog import DIFF_DIR, OUTPUT
from ktreport.core.style import plural_word
from ktreport.review import snapshots
from ktreport.review.changes import Changes, DiffError
from ktreport.review.figures import compare_figures
from ktreport.review.keyfigures import compare_key_figures, quoted_key_figures
from ktreport.review.output import Written, write_changes
from ktreport.review.rows import compare_raw
from ktreport.review.snapshots import Built, Progress
from ktreport.review.text import compare_chapters, compare_templates
from ktreport.review.tree import Snapshot


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


@dataclass(frozen=True)
class DiffRun:
    changes: Changes
    written: Written
    old: Built
    new: Built

    def summary_line(self) -> str:
        """``OLD → NEW: changed 3 key figures, 1 section, 0 figures, 2 data rows.``"""
        s = self.changes.summary
        counts = (
            (s.key_figures_changed + s.key_figures_added + s.key_figures_removed, "key figure"),
            (s.sections_changed + s.sections_added + s.sections_removed, "section"),
            (s.figures_changed + s.figures_added + s.figures_removed, "figure"),
            (s.rows_added + s.rows_removed + s.rows_modified, "data row"),
        )
        changed = ", ".join(f"{n} {plural_word(n, what)}" for n, what in counts)
        return f"{self.changes.old.label} → {self.changes.new.label}: changed {changed}."


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
    progress: Progress | None = None,
) -> DiffRun:
    """Compare two versions and write the changes.

    ``old``/``new`` are git revisions (tags, branches, commits) or folders holding a built
    project tree. ``new`` None is the working tree; ``old`` None the latest tag. Revisions are
    built in isolated worktrees and cached by commit. The outputs go to ``out`` (default
    ``report/output/diff/<OLD>..<NEW>/`` of the project)."""
    # WeasyPrint's remarks on the CSS of changes.pdf are no news to the reviewer.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    progress = progress or snapshots.quiet
    root = snapshots.repository_root(cwd)

    def side(spec: str | None, default_label: str) -> Built:
        if spec is not None and (cwd / spec).is_dir():
            folder = (cwd / spec).resolve()
            name = folder.parent.parent.name if folder.name == OUTPUT.name else folder.name
            found = snapshots.snapshot_folder(folder, name)
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
        return snapshots.build_revision(
            root, spec, spec or default_label, cores, rebuild=rebuild, progress=progress
        )

    if old is None:
        if root is None:
            raise DiffError(f"{cwd} is not in a git repository: name the two versions to compare.")
        old = snapshots.latest_tag(root)
    # Check both names before spending minutes on a build.
    for spec in (old, new):
        if spec is not None and not (cwd / spec).is_dir() and root is not None:
            snapshots.resolve_revision(root, spec)
    old_side = side(old, old)
    new_side = side(new, snapshots.WORKING_TREE)
    changes = compare(old_side.snapshot, new_side.snapshot)
    base = root or cwd
    folder = out or base / DIFF_DIR / (
        f"{_safe_label(old_side.snapshot.label)}..{_safe_label(new_side.snapshot.label)}"
    )
    written = write_changes(changes, folder, pdf=pdf)
    return DiffRun(changes, written, old_side, new_side)
