"""Stage 5, the guard's memory of the files it found clean, so that a rebuild reads again
only the files whose bytes changed.

The guard searches every output of every build: at 100x the sample, reading the processed
tables, the logs and every brief again costs it about ten seconds after a one-sentence edit.
A file needs no new search when the three things its outcome depends on are those of a
search that found nothing in it:

- its **bytes** (sha256, and its suffix, which decides how its text is extracted);
- **what was searched**: every needle, each by the kind, file and row of its value and the
  exact text, expression and digits searched (a new interviewee, a changed name or a new
  public name changes it), and which sets of values were searched in that file;
- the **code**: every module of the library that runs (extraction, matching, folding).

The record (``report/_build/guard_cache/<digest of what was searched and the code>.json``)
maps each clean file's key to ``clean`` or ``no text``. Findings are never recorded: a file
with a finding is searched at every build until it is clean. The record holds digests only,
never a value, and it is rewritten after each search with the files of that search alone, so
it does not grow. Another digest's record (older values or code) is removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

FORMAT = "ktreport-guard-cache 1"
CLEAN = "clean"
NO_TEXT = "no text"
_LIBRARY = Path(__file__).resolve().parents[1]  # the ktreport package that runs


def library_digest(library: Path = _LIBRARY) -> str:
    """Every module of the library, as one sha256."""
    digest = hashlib.sha256()
    for module in sorted(library.rglob("*.py")):
        digest.update(module.relative_to(library).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(module.read_bytes()).digest())
    return digest.hexdigest()


def searches_digest(searches: Sequence[Sequence[object]], library: Path = _LIBRARY) -> str:
    """What is searched (each set of needles, ``matching.Needle``) and the code that
    searches, as one sha256."""
    digest = hashlib.sha256(FORMAT.encode("utf-8"))
    digest.update(library_digest(library).encode("ascii"))
    for number, needles in enumerate(searches):
        digest.update(f"\0search {number}".encode())
        for needle in needles:
            value, search = needle.value, needle.search  # type: ignore[attr-defined]
            fields = (value.kind, value.source, str(value.row), search.kind, search.literal)
            line = "\x1f".join((*fields, search.source, search.digits))
            digest.update(b"\0" + line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def file_key(content: str, searches: int) -> str:
    """A file's key in the record: its content key (sha256 and suffix) and how many of the
    sets of values were searched in it."""
    return f"{content}:{searches}"


def read(folder: Path, digest: str) -> dict[str, str]:
    """The files found clean for ``digest``; empty when there is no such record or it
    cannot be read (everything is searched)."""
    try:
        record = json.loads((Path(folder) / f"{digest}.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return {}
    files = record.get("files")
    if not isinstance(files, dict):
        return {}
    return {str(k): v for k, v in files.items() if v in (CLEAN, NO_TEXT)}


def write(folder: Path, digest: str, outcomes: Mapping[str, str]) -> None:
    """Record ``outcomes`` (file key → ``clean`` or ``no text``) for ``digest`` and remove
    the other records. A record that cannot be written only means a full search next time."""
    folder = Path(folder)
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.json"):
            if old.name != f"{digest}.json":
                old.unlink()
        target = folder / f"{digest}.json"
        temporary = target.with_name(target.name + ".tmp")
        record = {"format": FORMAT, "files": dict(sorted(outcomes.items()))}
        temporary.write_text(json.dumps(record, indent=0) + "\n", encoding="utf-8")
        os.replace(temporary, target)
