"""Review aid, after the pipeline: any git revision of the project built into a cached snapshot.

``ktreport diff`` compares two *built* versions. A revision (tag, branch, commit) is checked
out in an isolated ``git worktree`` under ``.cache/ktreport/worktrees/``, built there with this
environment's own Snakemake (``run.snakemake``), and its outputs are copied to
``.cache/ktreport/builds/<sha>/``, so the second comparison with the same revision builds
nothing. The working tree (uncommitted work included) is built from a worktree at HEAD with
the changed and untracked files copied over; it is cached by the hash of those files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ktreport.catalog import CACHE, DIFF_DIR, OUTPUT, RAW, REPORT_DIR, SNAPSHOT_PATHS
from ktreport.core import git
from ktreport.review.changes import DiffError
from ktreport.review.tree import SNAPSHOT_INFO, Snapshot
from ktreport.run.failures import revision_failure
from ktreport.run.snakemake import build_tree

WORKING_TREE = "working-tree"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Built:
    """One side of a comparison: its snapshot, and how it was obtained."""

    snapshot: Snapshot
    key: str  # commit sha, "worktree-<hash>" for uncommitted work, or "" for a given folder
    cached: bool
    log: Path | None = None


def quiet(message: str) -> None:
    """The default ``progress``: say nothing."""
    del message


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        result = git.run(root, *args)
    except FileNotFoundError:
        raise DiffError("git is not installed: it is needed to compare revisions.") from None
    if check and result.returncode != 0:
        raise DiffError(f"git {' '.join(args)} failed in {root}: {result.stderr.strip()}")
    return result


def repository_root(start: Path) -> Path | None:
    """The top folder of the git checkout containing ``start`` (None outside git)."""
    if not start.is_dir():
        return None
    result = _git(start, "rev-parse", "--show-toplevel", check=False)
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def resolve_revision(root: Path, revision: str) -> str:
    """The full commit sha of a tag, branch or commit, or an error a person understands."""
    result = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", check=False)
    if result.returncode != 0 or not result.stdout.strip() or revision.startswith("-"):
        raise DiffError(f"'{revision}' is not a tag, branch or commit of this repository.")
    return result.stdout.strip()


def latest_tag(root: Path) -> str:
    """The most recent tag reachable from HEAD: the default version to compare against."""
    result = _git(root, "describe", "--tags", "--abbrev=0", check=False)
    if result.returncode != 0 or not result.stdout.strip():
        raise DiffError(
            "There is no tag in this repository yet, so there is no default old version: "
            "name one, e.g. `ktreport diff HEAD~1` or `ktreport diff <commit>`."
        )
    return result.stdout.strip()


def _remove_worktree(root: Path, path: Path) -> None:
    if path.exists():
        _git(root, "worktree", "remove", "--force", str(path), check=False)
        shutil.rmtree(path, ignore_errors=True)
    _git(root, "worktree", "prune", check=False)


def _dirty_paths(root: Path) -> list[str]:
    """Paths that differ from HEAD in the working tree (modified, added, deleted, untracked)."""
    output = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all").stdout
    entries = output.split("\0")
    paths: list[str] = []
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        paths.append(path)
        if "R" in status or "C" in status:
            paths.append(entries[index])  # the rename's source follows
            index += 1
    return sorted(set(paths))


def _working_tree_key(root: Path, head: str, dirty: list[str]) -> str:
    digest = hashlib.sha256(head.encode())
    for relative in dirty:
        path = root / relative
        digest.update(b"\0" + relative.encode() + b"\0")
        if path.is_symlink():
            digest.update(b"link:" + os.readlink(path).encode())
        elif path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        else:
            digest.update(b"(deleted)")
    return f"worktree-{digest.hexdigest()[:16]}"


def _overlay_working_tree(root: Path, tree: Path, dirty: list[str]) -> None:
    for relative in dirty:
        source, target = root / relative, tree / relative
        if source.is_symlink() or source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists() or target.is_symlink():
                target.unlink()
            shutil.copy2(source, target, follow_symlinks=False)
        elif not source.exists() and (target.exists() or target.is_symlink()):
            target.unlink()


def _copy_snapshot(tree: Path, target: Path, info: dict[str, str]) -> None:
    staging = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    for relative in SNAPSHOT_PATHS:
        source = tree / relative
        if source.is_dir():
            shutil.copytree(
                source,
                staging / relative,
                ignore=shutil.ignore_patterns(DIFF_DIR.name) if relative == OUTPUT else None,
                symlinks=True,
            )
    staging.mkdir(parents=True, exist_ok=True)
    (staging / SNAPSHOT_INFO).write_text(
        json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def build_revision(
    root: Path,
    revision: str | None,
    label: str,
    cores: int | str = "all",
    rebuild: bool = False,
    progress: Progress = quiet,
) -> Built:
    """The snapshot of a revision (None: the working tree), built once and then cached."""
    head = resolve_revision(root, "HEAD")
    dirty: list[str] = []
    if revision is None:
        dirty = _dirty_paths(root)
        sha, key = head, (_working_tree_key(root, head, dirty) if dirty else head)
    else:
        sha = resolve_revision(root, revision)
        key = sha
    cache = root / CACHE
    target = cache / "builds" / key
    log = cache / "logs" / f"{key}.log"
    if (target / SNAPSHOT_INFO).is_file() and not rebuild:
        progress(f"{label}: using the cached build of {key[:12]} ({target.relative_to(root)})")
        return Built(Snapshot(target, label), key, cached=True, log=log)
    tree = cache / "worktrees" / key
    _remove_worktree(root, tree)
    tree.parent.mkdir(parents=True, exist_ok=True)
    _git(root, "worktree", "add", "--detach", "--force", str(tree), sha)
    try:
        if dirty:
            _overlay_working_tree(root, tree, dirty)
        what = "the working tree" if revision is None else f"{revision} ({sha[:10]})"
        progress(f"{label}: building {what} in {tree.relative_to(root)}; log: {log}")
        result = build_tree(tree, cores, log)
        if result.returncode != 0:
            raise DiffError(
                f"The report of {what} could not be built (Snakemake exit code "
                f"{result.returncode}).{revision_failure(log, tree)}\nThe build's full log: {log}"
            )
        _copy_snapshot(
            tree,
            target,
            {
                "revision": revision or WORKING_TREE,
                "commit": sha,
                "cache_key": key,
                "uncommitted_changes": ", ".join(dirty),
            },
        )
    finally:
        _remove_worktree(root, tree)
    return Built(Snapshot(target, label), key, cached=False, log=log)


def snapshot_folder(folder: Path, label: str) -> Built | None:
    """A folder given instead of a revision: a built project tree or its ``report/output``."""
    folder = folder.resolve()
    if (folder / REPORT_DIR).is_dir() or (folder / RAW).is_dir():
        return Built(Snapshot(folder, label), "", cached=True)
    if folder.name == OUTPUT.name and folder.parent.name == REPORT_DIR.name:
        return Built(Snapshot(folder.parent.parent, label), "", cached=True)
    return None
