"""Outside the DAG: the checks of ``ktreport build --release`` (``make release``).

A release is built from a clean working tree at a tag, whose name is the version (no commit
hash anywhere), and with no authors' note left open in the chapter templates: each open
note is listed as ``report/chapters/FILE:LINE: text`` so that the authors can close it.
"""

from __future__ import annotations

from pathlib import Path

from ktreport.catalog import CHAPTER_TEMPLATES_DIR
from ktreport.core import git
from ktreport.core.errors import KtreportError

# Snakemake's --config: the chapters step and the version parameter read it ("True":
# Snakemake reads only True and False as booleans on its command line).
CONFIG_OVERRIDE = ("--config", "release=True")


class ReleaseProblem(KtreportError):
    """The release cannot be built; the message lists every reason."""


def release_problems(root: Path) -> tuple[str | None, list[str]]:
    """(the tag HEAD is at, every reason the release cannot be built)."""
    root = Path(root)
    problems = []
    if git.output(root, "rev-parse", "--git-dir") is None:
        return None, ["the project is not a git checkout: a release is built at a git tag."]
    changed = git.output(root, "status", "--porcelain")
    if changed:
        count = len(changed.splitlines())
        problems.append(
            f"the working tree has {count} uncommitted change{'s' if count != 1 else ''} "
            "(git status lists them): commit them, tag the commit and build again."
        )
    tag = git.exact_tag(root)
    if not tag:
        problems.append(
            "HEAD is at no tag: tag the commit to release (git tag -a v1.0 -m 'what "
            "changed') and build again; the tag is the report's version."
        )
    # Imported here: the chapters package imports pandas, which a draft build never needs
    # before Snakemake starts (ktreport build imports this module).
    from ktreport.chapters.notes import open_notes

    notes = open_notes(root / CHAPTER_TEMPLATES_DIR, CHAPTER_TEMPLATES_DIR.as_posix())
    if notes:
        problems.append(
            f"{len(notes)} authors' note{'s are' if len(notes) != 1 else ' is'} still open; "
            "write the text each asks for and remove the note:\n"
            + "\n".join(f"  {note}" for note in notes)
        )
    return tag, problems


def check_release(root: Path) -> str:
    """The release's tag; ``ReleaseProblem`` listing every reason when it cannot be built."""
    tag, problems = release_problems(root)
    if problems:
        raise ReleaseProblem(
            "the release cannot be built:\n"
            + "\n".join(f"- {problem}" for problem in problems)
            + "\nNothing was built; build a draft with ktreport build."
        )
    assert tag is not None
    return tag
