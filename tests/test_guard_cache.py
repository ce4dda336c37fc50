"""The guard remembers the files it found clean (issue 16, ``guard.cache``): a file is read
again only when its bytes, the values searched or the guard's code changed, and a file with
a finding is searched at every build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from ktreport.guard import cache, check_personal_data, scan

RAW = FIXTURES / "hostile" / "personal_values"
MARIA = "Maria Rossi-Bianchi"
UNCONSENTED = "Nobody may read that we lost the Delta licensing dispute in court last year."


@pytest.fixture
def reads(monkeypatch):
    """The files whose text the guard extracted, in order."""
    read: list[str] = []
    real = scan.file_text

    def counted(path):
        read.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(scan, "file_text", counted)
    return read


@pytest.fixture
def outputs(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.html").write_text("<p>Nothing personal here.</p>", encoding="utf-8")
    (folder / "b.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    (folder / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # no text
    return folder


def _check(raw, folder, memory, deliverables=()):
    paths = sorted(p for p in folder.iterdir() if p not in deliverables)
    return check_personal_data(
        raw, paths, deliverables=list(deliverables), root=folder, memory=memory
    )


def test_an_unchanged_clean_file_is_not_read_again(outputs, reads, tmp_path):
    memory = tmp_path / "memory"
    first = _check(RAW, outputs, memory)
    assert first.clean and sorted(reads) == ["a.html", "b.csv", "c.png"]
    reads.clear()
    second = _check(RAW, outputs, memory)
    assert reads == []
    # The outcome is the same as a search: the same files scanned, the same one skipped.
    assert second == first
    assert second.skipped == ["c.png"]


def test_a_changed_file_is_read_again_and_its_leak_found(outputs, reads, tmp_path):
    memory = tmp_path / "memory"
    _check(RAW, outputs, memory)
    reads.clear()
    (outputs / "b.csv").write_text(f"x,y\n1,{MARIA}\n", encoding="utf-8")
    result = _check(RAW, outputs, memory)
    assert reads == ["b.csv"]
    assert {(leak.file, leak.kind) for leak in result.leaks} == {("b.csv", "name")}


def test_a_file_with_a_finding_is_searched_at_every_build(outputs, reads, tmp_path):
    memory = tmp_path / "memory"
    (outputs / "b.csv").write_text(f"x,y\n1,{MARIA}\n", encoding="utf-8")
    assert not _check(RAW, outputs, memory).clean
    for _ in range(2):
        reads.clear()
        assert not _check(RAW, outputs, memory).clean
        assert reads == ["b.csv"]


def test_a_new_personal_value_makes_every_file_searched_again(outputs, reads, tmp_path):
    memory = tmp_path / "memory"
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    newcomer = "Henrike Vasquez-Oduya"
    (outputs / "a.html").write_text(f"<p>Thanks to {newcomer}.</p>", encoding="utf-8")
    assert _check(raw, outputs, memory).clean  # not a personal value yet
    interviews = raw / "interviews" / "ALPHA.csv"
    text = interviews.read_text(encoding="utf-8")
    interviews.write_text(text.replace("Jan Kowalski", newcomer), encoding="utf-8")
    reads.clear()
    result = _check(raw, outputs, memory)
    assert sorted(reads) == ["a.html", "b.csv", "c.png"]
    assert {(leak.file, leak.kind) for leak in result.leaks} == {("a.html", "name")}


def test_a_clean_file_searched_as_a_deliverable_is_searched_for_the_quotes(
    outputs, reads, tmp_path
):
    """The same bytes, once an intermediate file (no quote searched), then a deliverable."""
    memory = tmp_path / "memory"
    (outputs / "a.html").write_text(f"<p>{UNCONSENTED}</p>", encoding="utf-8")
    assert _check(RAW, outputs, memory).clean
    reads.clear()
    result = _check(RAW, outputs, memory, deliverables=[outputs / "a.html"])
    assert reads == ["a.html"]
    assert [(leak.file, leak.kind) for leak in result.leaks] == [("a.html", "quote")]


def test_the_code_is_part_of_what_was_searched(tmp_path):
    library = tmp_path / "ktreport"
    shutil.copytree(Path(scan.__file__).parents[1], library, ignore=shutil.ignore_patterns("*.pyc"))
    before = cache.searches_digest([[]], library)
    assert cache.searches_digest([[]], library) == before
    module = library / "guard" / "extract.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert cache.searches_digest([[]], library) != before


def test_the_record_holds_no_value_and_only_the_last_search(outputs, tmp_path):
    memory = tmp_path / "memory"
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    _check(raw, outputs, memory)
    interviews = raw / "interviews" / "ALPHA.csv"
    text = interviews.read_text(encoding="utf-8")
    interviews.write_text(text.replace("Jan Kowalski", "Jan Nowakowski"), encoding="utf-8")
    _check(raw, outputs, memory)
    records = list(memory.glob("*.json"))
    assert len(records) == 1, "the record of the older values was kept"
    text = records[0].read_text(encoding="utf-8")
    for value in (MARIA, "Maria", "Rossi", "Nowakowski", "gamma-robotics", "555 0101"):
        assert value.lower() not in text.lower()
    assert sorted(json.loads(text)["files"].values()) == ["clean", "clean", "no text"]
