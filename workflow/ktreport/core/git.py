"""The one git wrapper: every git call of the library goes through ``run`` or ``output``.

Standard library only: the workflow reads the version at every parse.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path


def run(root: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """``git -C root -c core.quotepath=off ARGS``, captured; raises FileNotFoundError when git
    is not installed (callers that need git say so in their own words)."""
    return subprocess.run(
        ["git", "-C", str(root), "-c", "core.quotepath=off", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def output(root: Path, *args: str) -> str | None:
    """Output of a git command in ``root``, or None outside a git checkout / without git."""
    if shutil.which("git") is None:
        return None
    try:
        result = run(Path(root), *args, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip()


def describe(root: Path, fallback: str = "0.1") -> str:
    """``git describe --tags --dirty --always``; ``fallback`` (config) outside git."""
    return output(Path(root), "describe", "--tags", "--dirty", "--always") or fallback


_DESCRIBED = re.compile(r"^(?P<tag>.+)-(?P<ahead>\d+)-g(?P<commit>[0-9a-f]+)(?P<dirty>-dirty)?$")


def exact_tag(root: Path) -> str | None:
    """The tag HEAD is at (``git describe --tags --exact-match``), None when it is at none."""
    return output(Path(root), "describe", "--tags", "--exact-match")


def readable_version(root: Path, fallback: str = "0.1", release: bool = False) -> str:
    """The version as the report shows it to a person.

    A release: the tag HEAD is at (``v1.0``; ``ValueError`` when HEAD is at no tag: the
    release check of ``ktreport build --release`` says so first). A draft, from ``git
    describe --tags --long``: ``draft of v0.3 + 4 commits (abc1234)``, ``draft of v0.3
    (abc1234)`` at the tag itself, ``draft (abc1234)`` before the first tag, with ``, with
    uncommitted changes`` when the tree differs from the commit; ``draft of 0.1`` (config)
    outside git.
    """
    if release:
        tag = exact_tag(root)
        if not tag:
            raise ValueError("a release is built at a tag, and HEAD is at none")
        return tag
    described = output(Path(root), "describe", "--tags", "--long", "--dirty", "--always")
    if not described:
        return f"draft of {fallback}"
    match = _DESCRIBED.match(described)
    dirty = described.endswith("-dirty")
    if match:
        ahead = int(match["ahead"])
        after = "" if ahead == 0 else f" + {ahead} commit{'s' if ahead != 1 else ''}"
        text = f"draft of {match['tag']}{after} ({match['commit']})"
    else:  # no tag yet: the abbreviated commit only
        text = f"draft ({described.removesuffix('-dirty')})"
    return text + (", with uncommitted changes" if dirty else "")
