"""Outside the DAG: ``ktreport build`` with nothing changed since its last build, answered
without starting Snakemake.

Snakemake's own no-op parses the workflow, stamps every raw file and walks the whole DAG:
about its dry run's cost (2-4 s). When *nothing* the build reads or wrote has changed since
the last build that succeeded, that work would end in "Nothing to be done"; this module
recognises that state in a few milliseconds and the build says the report is up to date.

The state is a **fingerprint** of:

- every file, folder and link the workflow reads (``Snakefile``, config.yaml, ``workflow/``,
  ``profiles/``, the report's sources in ``report/``, ``data/raw/``) and every file it writes
  (``data/processed/``, ``report/_build/``, ``report/output/``, the guard's marker), each by
  its path, kind, size, modification *and change* times and inode (a folder by its
  path and its entries). A file replaced by
  another with an older date (``cp -p``, unzip, ``rsync -a``) has a new change time, which
  no one can set back; an edit saved with the same bytes changes its dates. Either way the
  fingerprint differs and Snakemake runs, which then decides by content as always
  (``core.stamps``). So a difference here can only cost a real Snakemake run, never skip
  one that was needed;
- the version the report prints (``git describe``: a commit, a tag or an uncommitted change
  anywhere in the checkout changes it);
- the command's environment that can change what is built (this Python, ``PATH``,
  ``PYTHONPATH``, ``SOURCE_DATE_EPOCH``, every ``KTREPORT_*`` variable);
- an unfinished job Snakemake left behind (``.snakemake/incomplete``).

The record (``.snakemake/ktreport-built.json``) is written only after a plain build (no dry
run, no release, no profile) that succeeded, and only when what the build reads was the same
before it started as after it ended: a chapter saved during a build is built by the next one.
Only a plain build is answered from it. Standard library only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ktreport.catalog import (
    BUILD,
    BUILT_RECORD,
    CONFIG_FILE,
    GUARD_MARKER,
    OUTPUT,
    PREVIEW_DIR,
    PROCESSED,
    RAW,
    REPORT_DIR,
)
from ktreport.core import git

# Bump when the meaning of the fingerprint changes: every old record is then out of date.
FORMAT = "ktreport-built 1"
# What the workflow reads, and what it writes (relative to the project folder).
READ = (Path("Snakefile"), CONFIG_FILE, Path("workflow"), Path("profiles"), REPORT_DIR, RAW)
WRITTEN = (PROCESSED, BUILD, OUTPUT, GUARD_MARKER)
# Inside READ, written by builds or other commands and never read by the workflow.
NOT_READ = (BUILD, OUTPUT, PREVIEW_DIR)
SKIPPED_NAMES = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"})
ENVIRONMENT = ("PATH", "PYTHONPATH", "SOURCE_DATE_EPOCH")
ENVIRONMENT_PREFIX = "KTREPORT_"
INCOMPLETE = Path(".snakemake/incomplete")
# What ``ktreport build`` says when it answers from the record.
UNCHANGED = "Nothing the report is built from has changed since its last build."


@dataclass(frozen=True)
class State:
    """The fingerprint of a project folder: what the build reads, and what it wrote."""

    read: str
    written: str


def _entry_line(path: str, info: os.stat_result, kind: str) -> str:
    if kind == "dir":  # its entries have lines of their own; its dates change whenever a
        # file is created and removed in it (the build's check that it can write there)
        return f"dir {path} {info.st_mode:o}"
    return (
        f"{kind} {path} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} "
        f"{info.st_ino} {info.st_mode:o}"
    )


def _walk(root: Path, start: Path, skipped: frozenset[str]) -> Iterable[str]:
    """One line per file, folder and link under ``root/start`` (``start`` itself included),
    without following links and leaving out the relative paths in ``skipped``."""
    top = root / start
    try:
        info = top.lstat()
    except FileNotFoundError:
        yield f"missing {start.as_posix()}"
        return
    name = start.as_posix()
    if not os.path.isdir(top) or os.path.islink(top):
        yield _entry_line(name, info, "link" if os.path.islink(top) else "file")
        if os.path.islink(top):
            yield f"target {name} {os.readlink(top)}"
        return
    yield _entry_line(name, info, "dir")
    pending = [top]
    while pending:
        folder = pending.pop()
        with os.scandir(folder) as entries:
            children = sorted(entries, key=lambda entry: entry.name)
        for entry in children:
            relative = Path(entry.path).relative_to(root).as_posix()
            if entry.name in SKIPPED_NAMES or relative in skipped:
                continue
            info = entry.stat(follow_symlinks=False)
            if entry.is_symlink():
                yield _entry_line(relative, info, "link")
                yield f"target {relative} {os.readlink(entry.path)}"
            elif entry.is_dir(follow_symlinks=False):
                yield _entry_line(relative, info, "dir")
                pending.append(Path(entry.path))
            else:
                yield _entry_line(relative, info, "file")


def _digest(lines: Iterable[str]) -> str:
    digest = hashlib.sha256(FORMAT.encode("utf-8"))
    for line in lines:
        digest.update(b"\n" + line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _read_lines(root: Path) -> Iterable[str]:
    yield f"python {sys.executable} {sys.version}"
    for name in ENVIRONMENT:
        yield f"env {name}={os.environ.get(name, '')}"
    for name in sorted(n for n in os.environ if n.startswith(ENVIRONMENT_PREFIX)):
        yield f"env {name}={os.environ[name]}"
    yield f"version {git.output(root, 'describe', '--tags', '--long', '--dirty', '--always')}"
    skipped = frozenset(path.as_posix() for path in NOT_READ)
    for start in READ:
        yield from _walk(root, start, skipped)


def _written_lines(root: Path) -> Iterable[str]:
    incomplete = root / INCOMPLETE
    with contextlib.suppress(OSError):
        if incomplete.is_dir() and any(incomplete.iterdir()):
            yield "incomplete"
    for start in WRITTEN:
        yield from _walk(root, start, frozenset())


def state(root: Path) -> State | None:
    """The fingerprint of ``root`` now; None when part of it cannot be read (the build then
    runs Snakemake, which says why)."""
    root = Path(root)
    try:
        return State(_digest(_read_lines(root)), _digest(_written_lines(root)))
    except OSError:
        return None


def read_state(root: Path) -> str | None:
    """The fingerprint of what the build reads only (taken before it starts)."""
    root = Path(root)
    try:
        return _digest(_read_lines(root))
    except OSError:
        return None


def _recorded(root: Path) -> dict:
    try:
        record = json.loads((Path(root) / BUILT_RECORD).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def up_to_date(root: Path) -> bool:
    """True when nothing the build reads or wrote changed since the last build recorded by
    ``remember``: Snakemake would find nothing to do."""
    record = _recorded(root)
    if not record:
        return False
    now = state(root)
    return (
        now is not None
        and record.get("format") == FORMAT
        and record.get("read") == now.read
        and record.get("written") == now.written
    )


def forget(root: Path) -> None:
    """Remove the record (before a build starts: a build that fails or is killed leaves
    none, so the next build runs Snakemake)."""
    with contextlib.suppress(OSError):
        (Path(root) / BUILT_RECORD).unlink()


def remember(root: Path, read_before: str | None) -> bool:
    """Record the state after a build that succeeded, if what it reads is the same as when
    it started (``read_before``, from ``read_state``); True when recorded."""
    now = state(root)
    if read_before is None or now is None or now.read != read_before:
        return False
    target = Path(root) / BUILT_RECORD
    record = {"format": FORMAT, "read": now.read, "written": now.written}
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, target)
        return True
    return False
