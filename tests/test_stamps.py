"""Content stamps: a raw file's content, not its date, makes what it feeds stale."""

from __future__ import annotations

import os
import shutil

from ktreport.core import stamps

PAST = 978_307_200  # 2001-01-01
FUTURE = 4_102_444_800  # 2100-01-01


def _setup(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    file = raw / "UNIBO.csv"
    file.write_text("id\nA\nB\n", encoding="utf-8")
    return raw, file, tmp_path / "stamps"


def _mtime(path):
    return path.stat().st_mtime_ns


def test_a_stamp_records_the_sha256_of_the_file(tmp_path):
    raw, file, stamps_dir = _setup(tmp_path)
    stamp = stamps.refresh(file, stamps_dir, base=raw)
    assert stamp == stamps_dir / "UNIBO.csv.sha256"
    # sha256 of b"id\nA\nB\n", computed with sha256sum outside the project.
    digest = "211dd2b4eab7dd46747a027222998003aeb99fa4fabdca5bdbedc2c8c7d6219e"
    assert stamp.read_text().splitlines()[0] == f"sha256 {digest}"


def test_a_replaced_file_with_an_older_date_renews_the_stamp(tmp_path):
    raw, file, stamps_dir = _setup(tmp_path)
    stamp = stamps.refresh(file, stamps_dir, base=raw)
    os.utime(stamp, (PAST + 10, PAST + 10))  # the stamp is as old as the last build
    replacement = tmp_path / "older.csv"
    replacement.write_text("id\nA\n", encoding="utf-8")  # one row less
    os.utime(replacement, (PAST, PAST))  # and older than everything (unzip, cp -p, rsync -a)
    shutil.copy2(replacement, file)
    stamps.refresh(file, stamps_dir, base=raw)
    assert _mtime(stamp) > (PAST + 10) * 10**9
    assert stamps.sha256(file) in stamp.read_text()


def test_an_unchanged_file_with_a_new_date_keeps_the_stamps_date(tmp_path):
    raw, file, stamps_dir = _setup(tmp_path)
    stamp = stamps.refresh(file, stamps_dir, base=raw)
    os.utime(stamp, (PAST, PAST))
    before = _mtime(stamp)
    for when in (FUTURE, PAST - 100):
        os.utime(file, (when, when))
        stamps.refresh(file, stamps_dir, base=raw)
        assert _mtime(stamp) == before
    # The new metadata is recorded, so the next parse does not hash the file again.
    assert f"{file.stat().st_mtime_ns}" in stamp.read_text()


def test_an_unchanged_file_is_not_read_again(tmp_path, monkeypatch):
    raw, file, stamps_dir = _setup(tmp_path)
    stamps.refresh(file, stamps_dir, base=raw)
    calls = []
    monkeypatch.setattr(stamps, "sha256", lambda path: calls.append(path) or "x")
    stamps.refresh(file, stamps_dir, base=raw)
    assert calls == []


def test_a_same_size_same_date_replacement_is_still_seen(tmp_path):
    raw, file, stamps_dir = _setup(tmp_path)
    stamps.refresh(file, stamps_dir, base=raw)
    info = file.stat()
    other = tmp_path / "other.csv"
    other.write_text("id\nA\nC\n", encoding="utf-8")  # same size, other content
    os.replace(other, file)
    os.utime(file, ns=(info.st_atime_ns, info.st_mtime_ns))  # the very same date
    stamp = stamps.refresh(file, stamps_dir, base=raw)
    assert stamps.sha256(file) in stamp.read_text()


def test_a_damaged_stamp_is_rewritten(tmp_path):
    raw, file, stamps_dir = _setup(tmp_path)
    stamp = stamps.refresh(file, stamps_dir, base=raw)
    stamp.write_bytes(b"\xff\xfe garbage")
    stamps.refresh(file, stamps_dir, base=raw)
    assert stamp.read_text().startswith("sha256 ")
