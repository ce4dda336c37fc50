"""Content stamps: the raw files' content, not their dates, decides what is stale.

Snakemake compares modification times. A partner file replaced by another with an older
date (unzipping an attachment, ``cp -p``, ``rsync -a``) would look older than the report
built from the file it replaced, and nothing would be rebuilt; an unchanged file touched
with a new date would rebuild everything. So the rules do not depend on the raw files
themselves but on one *stamp* per raw file (``data/processed/stamps/<table>/<file>.sha256``),
refreshed when the workflow is parsed:

- a stamp is rewritten, and so becomes newer than every output, only when the file's
  sha256 differs from the one it records;
- when only the file's metadata changed (a new date, a copy with the same bytes), the
  stamp records the new metadata but keeps its own old modification time, so nothing
  downstream is stale;
- a file's bytes are hashed only when its metadata (size, modification and change time,
  inode) differ from those the stamp recorded: a no-op parse reads no file.

The change time (``st_ctime``) cannot be set by a user: any replacement of a file changes
it, so a same-size, same-date replacement is still hashed.

Standard library only: the workflow calls ``refresh`` at every parse.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

SUFFIX = ".sha256"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _metadata(path: Path) -> str:
    info = path.stat()
    return f"{info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}"


def stamp_path(file: Path, stamps_dir: Path, base: Path | None = None) -> Path:
    """Where the stamp of ``file`` lives: its path below ``base`` (the raw folder), under
    ``stamps_dir``, with ``.sha256`` added."""
    relative = Path(file).relative_to(base) if base is not None else Path(file)
    return Path(stamps_dir) / (relative.as_posix().lstrip("/") + SUFFIX)


def _read(stamp: Path) -> tuple[str, str]:
    try:
        lines = stamp.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return "", ""
    fields = dict(line.split(" ", 1) for line in lines if " " in line)
    return fields.get("sha256", ""), fields.get("stat", "")


def recorded_digest(stamp: Path) -> str:
    """The sha256 a stamp records ("" when it records none)."""
    return _read(stamp)[0]


def _write(stamp: Path, digest: str, metadata: str) -> None:
    stamp.parent.mkdir(parents=True, exist_ok=True)
    temporary = stamp.with_name(stamp.name + ".tmp")
    temporary.write_text(f"sha256 {digest}\nstat {metadata}\n", encoding="utf-8")
    os.replace(temporary, stamp)


def refresh(file: Path, stamps_dir: Path, base: Path | None = None) -> Path:
    """Bring the stamp of ``file`` up to date; return its path. Its modification time
    changes only when the file's content did."""
    stamp = stamp_path(file, stamps_dir, base)
    metadata = _metadata(Path(file))
    recorded_digest, recorded_metadata = _read(stamp)
    if recorded_digest and recorded_metadata == metadata:
        return stamp
    digest = sha256(Path(file))
    if digest != recorded_digest:
        _write(stamp, digest, metadata)
        return stamp
    # Same content, new metadata: record it, but keep the stamp's date (nothing is stale).
    before = stamp.stat()
    _write(stamp, digest, metadata)
    os.utime(stamp, ns=(before.st_atime_ns, before.st_mtime_ns))
    return stamp


def refresh_all(
    files: Iterable[Path], stamps_dir: Path, base: Path | None = None
) -> dict[Path, Path]:
    """``refresh`` every file (below ``base``): file -> its stamp."""
    return {Path(file): refresh(Path(file), stamps_dir, base) for file in files}


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write ``data`` (text as UTF-8, newlines as given) to ``path`` unless it holds those
    bytes already: its date then stays, so nothing that depends on it is stale. The file
    appears whole (renamed from a temporary one). True when written."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(raw)
    os.replace(temporary, path)
    return True
