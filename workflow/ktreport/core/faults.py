"""Faults of the computer, not of the program: a file this user may not read, a full disk,
a read-only folder. They are said in one line that names the file or folder and what to
do (``environment_fault``), never as an internal error with a traceback; the command line,
the rule scripts and the check before a build (``run.build.writable_problems``) use it.

Standard library only: the rule scripts' skeleton uses it.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

# The errors of the environment; any other OSError is still a bug (or handled where raised).
PERMISSION = frozenset({errno.EACCES, errno.EPERM})
FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
READ_ONLY = frozenset({errno.EROFS})
ENVIRONMENT = PERMISSION | FULL | READ_ONLY


def is_environment_fault(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in ENVIRONMENT


def shown_path(path: object, root: Path | None = None) -> str:
    """``path`` as a person finds it: relative to ``root`` (default: the current folder)
    when inside it; a folder ends with "/"."""
    target = Path(os.fsdecode(path))  # type: ignore[arg-type]
    base = (root or Path.cwd()).resolve()
    try:
        shown = target.resolve().relative_to(base).as_posix()
    except (ValueError, OSError):
        shown = target.as_posix()
    if shown == ".":
        shown = "this folder"
    return shown + "/" if target.is_dir() and not shown.endswith("/") else shown


def _reading(path: Path, doing: str) -> bool:
    if doing in ("read", "write"):
        return doing == "read"
    # Unknown: a file that exists and may not be read was being read.
    return path.is_file() and not os.access(path, os.R_OK)


def environment_fault(
    error: BaseException,
    where: object = None,
    doing: str = "",
    root: Path | None = None,
) -> str | None:
    """The one line to show for an environment fault (None for any other error).

    ``where`` is the file or folder to name when the error has no file name (a write to
    an open file on a full disk has none); ``doing`` is "read" or "write" when the caller
    knows which (else it is guessed from the file)."""
    if not is_environment_fault(error):
        return None
    assert isinstance(error, OSError)
    target = error.filename if error.filename is not None else where
    path = shown_path(target, root) if target is not None else "a file"
    code = error.errno
    if code in PERMISSION:
        if target is not None and _reading(Path(os.fsdecode(target)), doing):
            return (
                f"{path}: permission denied: the file cannot be read. Give this user read "
                "access to it (e.g. chmod a+r) and try again."
            )
        return (
            f"cannot write {path}: permission denied. Give this user write access to the "
            "folder (or run in a folder of your own) and try again."
        )
    if code == errno.EDQUOT:
        return f"cannot write {path}: your disk quota is used up. Free some space and try again."
    if code in FULL:
        return f"cannot write {path}: the disk is full. Free some space and try again."
    return (
        f"cannot write {path}: the disk is read-only. Build in a folder on a disk that "
        "can be written."
    )
