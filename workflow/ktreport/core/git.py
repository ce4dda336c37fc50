"""The one git wrapper: every git call of the library goes through ``run`` or ``output``.

Standard library only: the workflow reads the version at every parse.
"""

from __future__ import annotations

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
