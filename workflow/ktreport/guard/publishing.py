"""Stage 5, the guard, last step: publish the checked outputs into ``report/output/``.

Each file is written to a temporary file in that folder and renamed over the old one, so a
reader (or a build killed at any moment) only ever sees a complete old or a complete new
file. Nothing is published unless every file is complete.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from ktreport.guard.extract import GuardProblem, pdf_complete

PARTIAL_MARK = ".partial-"


def incomplete_reason(path: Path) -> str | None:
    """Why ``path`` is not a complete output (None when it is)."""
    path = Path(path)
    if not path.is_file():
        return "it does not exist"
    if path.stat().st_size == 0:
        return "it is empty"
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        with path.open("rb") as stream:
            stream.seek(max(0, path.stat().st_size - 64))
            tail = stream.read().strip().lower()
        if not tail.endswith(b"</html>"):
            return "it does not end with </html>"
    elif suffix == ".pdf":
        try:
            pdf_complete(path)
        except GuardProblem:
            return "it is not a readable PDF"
    elif suffix == ".json":
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            return "it is not valid JSON"
    return None


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on every platform; the rename is still atomic
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _check_complete(files: Sequence[Path]) -> None:
    problems = [
        f"{Path(p).as_posix()}: {reason}"
        for p in files
        if (reason := incomplete_reason(Path(p))) is not None
    ]
    if problems:
        raise GuardProblem("not published, an output is incomplete: " + "; ".join(problems))


def _same_bytes(source: Path, target: Path) -> bool:
    try:
        if source.stat().st_size != target.stat().st_size:
            return False
        return source.read_bytes() == target.read_bytes()
    except OSError:
        return False


def _copy(files: Sequence[Path], out_dir: Path) -> list[Path]:
    """Copy checked files into ``out_dir``, each by a temporary file and a rename; a file
    the folder holds already with the same bytes is left as it is."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f".*{PARTIAL_MARK}*"):
        stale.unlink(missing_ok=True)
    targets, replaced = [], False
    for source in files:
        source = Path(source)
        target = out_dir / source.name
        targets.append(target)
        if _same_bytes(source, target):
            continue
        temporary = out_dir / f".{source.name}{PARTIAL_MARK}{os.getpid()}"
        with source.open("rb") as reader, temporary.open("wb") as writer:
            while chunk := reader.read(1 << 20):
                writer.write(chunk)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(temporary, target)
        replaced = True
    if replaced:
        _fsync_folder(out_dir)
    return targets


def publish(files: Sequence[Path], out_dir: Path) -> list[Path]:
    """Copy checked outputs into ``out_dir``, each by a temporary file and a rename.

    Every file is checked to be complete first; nothing is published unless all are.
    Temporary files left by a killed earlier publish are removed; a file published
    already with the same bytes is not written again. Returns the targets.
    """
    _check_complete(files)
    return _copy(files, Path(out_dir))


def publish_groups(groups: Sequence[tuple[Sequence[Path], Path]]) -> list[Path]:
    """``publish`` several (files, folder) groups, the report's and the briefs': every
    file of every group is checked to be complete first (once), so nothing is published
    unless all are. Returns the targets."""
    _check_complete([p for files, _ in groups for p in files])
    return [target for files, out_dir in groups if files for target in _copy(files, out_dir)]


def remove_unlisted(out_dir: Path, pattern: str, keep: Sequence[Path]) -> list[Path]:
    """Remove the published files of ``out_dir`` matching ``pattern`` that are not in
    ``keep`` (a brief of a country that no longer has one); returns them."""
    kept = {Path(p).name for p in keep}
    removed = []
    for path in sorted(Path(out_dir).glob(pattern)):
        if path.name not in kept and path.is_file():
            path.unlink()
            removed.append(path)
    return removed
