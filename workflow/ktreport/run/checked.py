"""Outside the DAG: what ``ktreport build`` checked last, so that it does not check it again.

Before Snakemake starts, the build checks config.yaml against its schema and validates every
partner file. When nothing that those checks read has changed since they last passed, they
would pass again: the build then skips them (a no-op build costs about what Snakemake's own
dry run costs). What they read is summed up in a **fingerprint** of content, never of dates
(a file replaced by one with an older date and other bytes is checked again):

- ``data_fingerprint``: the sha256 of every raw file (from its content stamp, ``core.stamps``,
  which hashes a file again whenever its size, dates or inode changed: any replacement
  changes its change time, which no one can set), the links, folders and special files where
  partner files should be (they are errors), and the source of the library that validates
  (``ingest``, ``core``, the catalog and the contract);
- ``config_fingerprint``: config.yaml and its schema, byte for byte.

The record (``.snakemake/ktreport-checked.json``, beside the build's lock) is written only
after a check that found no error, with the fingerprint taken *before* the check began: a
file changed while it ran is checked again next time. A file whose check failed is never in
a record, so it is validated (and refused) at every build until it is fixed.

Standard library only: this runs before anything heavy is imported.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ktreport.catalog import (
    CHECKED_RECORD,
    CONFIG_FILE,
    CONFIG_SCHEMA,
    RAW,
    STAMPS,
    library_files,
    odd_partner_entries,
    raw_files,
)
from ktreport.core.stamps import recorded_digest, refresh

# Bump when the meaning of a fingerprint changes: every old record is then out of date.
FORMAT = "ktreport-checked 1"


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join([FORMAT, *lines]).encode("utf-8")).hexdigest()


def _file_sha(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def data_fingerprint(root: Path) -> str | None:
    """What the validation of ``root/data/raw`` reads, as one sha256 (content, not dates);
    None when a file cannot be read or stamped (the validation then says why)."""
    root = Path(root)
    raw, stamps = root / RAW, root / STAMPS
    lines = [f"python {sys.version_info[0]}.{sys.version_info[1]}"]
    try:
        for file in raw_files(RAW, root):
            stamp = refresh(file, stamps, base=raw)
            lines.append(f"raw {file.relative_to(raw).as_posix()} {recorded_digest(stamp)}")
        for path, kind in odd_partner_entries(raw):
            lines.append(f"odd {path.relative_to(raw).as_posix()} {kind}")
    except OSError:
        return None
    library = Path(__file__).resolve().parents[1]  # the ktreport package that validates
    for file in library_files("ingest", library=library):
        lines.append(f"library {file.relative_to(library).as_posix()} {_file_sha(file)}")
    return _digest(lines)


def config_fingerprint(root: Path) -> str:
    """config.yaml and its schema, as one sha256."""
    root = Path(root)
    return _digest([f"{name} {_file_sha(root / name)}" for name in (CONFIG_FILE, CONFIG_SCHEMA)])


def _record(root: Path) -> dict[str, str]:
    try:
        record = json.loads((Path(root) / CHECKED_RECORD).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def passed(root: Path, what: str, fingerprint: str | None) -> str | None:
    """The summary of the last check of ``what`` ("data" or "config") that passed with this
    ``fingerprint``; None when it must be checked (again)."""
    if fingerprint is None:
        return None
    entry = _record(root).get(what)
    if isinstance(entry, dict) and entry.get("fingerprint") == fingerprint:
        return str(entry.get("summary", ""))
    return None


def _write(root: Path, record: dict) -> None:
    target = Path(root) / CHECKED_RECORD
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, target)


def remember(root: Path, what: str, fingerprint: str | None, summary: str = "") -> None:
    """Record that the check of ``what`` passed for ``fingerprint`` (taken before it ran).
    A record that cannot be written only means the check runs again next time."""
    if fingerprint is None:
        return
    record = _record(root)
    record[what] = {"fingerprint": fingerprint, "summary": summary}
    with contextlib.suppress(OSError):
        _write(root, record)


def remember_validation(root: Path, fingerprint: str | None, result) -> None:
    """Record a validation of the data without errors (``result``: its ``ValidationResult``),
    with its summary line for the builds that skip it."""
    from ktreport.ingest.messages import summary_line

    if result.ok:
        remember(root, "data", fingerprint, summary_line(result))


def validate_unless_unchanged(
    root: Path, validate: Callable[[], Any], say: Callable[[str], None]
) -> bool:
    """Run ``validate`` (ktreport validate of data/raw/, which prints its problems) unless
    the data passed on the same content and code; False when it found errors (``say`` is
    told that nothing was built)."""
    fingerprint = data_fingerprint(root)
    summary = passed(root, "data", fingerprint)
    if summary is not None:
        say(f"The partner data (data/raw/) is unchanged since its last check ({summary}).")
        return True
    say("Checking the partner data (data/raw/) ...")
    result = validate()
    if not result.ok:
        say(
            "The partner data has errors (listed above): nothing was built and "
            "the previous report is unchanged. Fix them, then build again."
        )
        return False
    remember_validation(root, fingerprint, result)
    return True
