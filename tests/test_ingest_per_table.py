"""Ingest at scale (issue 16 §3): one step per table that re-cleans only the partner files
whose content changed, with processed tables byte for byte those of a clean from scratch."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import RAW
from ktreport.catalog import discover_partner_files
from ktreport.contract import PARTNER_TABLES
from ktreport.ingest.crossfile import combine_parts
from ktreport.ingest.table_parts import clean_table
from ktreport.ingest.tables import write_processed
from ktreport.ingest.validate import validate_raw

PAST = 1_000_000_000  # 2001: older than any build


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """The sample's raw data in a folder of its own, the working directory (problems name
    files relative to it, as in a build)."""
    shutil.copytree(RAW, tmp_path / "data" / "raw")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _clean_every_table(tree: Path) -> dict[str, tuple[str, ...]]:
    """What the pipeline's clean_table steps do: table -> the files each cleaned."""
    raw = Path("data/raw")
    files = discover_partner_files(raw)
    cleaned = {}
    for table in sorted(PARTNER_TABLES):
        paths = [p for (t, _), group in files.items() if t == table for p in group]
        done = clean_table(
            paths,
            table,
            raw / "skills_taxonomy.csv",
            Path(f"data/processed/parts/{table}.json"),
            Path(f"data/processed/parts/cache/{table}"),
        )
        cleaned[table] = done.cleaned
    return cleaned


def _combined(tree: Path, out: Path) -> dict[str, bytes]:
    """The processed tables combined from the bundles (combine_tables), by file name."""
    bundles = [Path(f"data/processed/parts/{t}.json") for t in sorted(PARTNER_TABLES)]
    result = combine_parts(
        bundles, Path("data/raw/partners.csv"), Path("data/raw/skills_taxonomy.csv")
    )
    write_processed(result.tables, out, result.problems)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _from_scratch(tree: Path, out: Path) -> dict[str, bytes]:
    """The processed tables of one validation of every file (no part, no cache)."""
    result = validate_raw(Path("data/raw"))
    write_processed(result.tables, out, result.problems)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _change_one_cell(path: Path, old: bytes, new: bytes) -> None:
    """Replace ``path`` by a copy with one cell changed and an older date (cp -p)."""
    data = path.read_bytes()
    assert old in data
    replacement = path.with_name("replacement.tmp")
    replacement.write_bytes(data.replace(old, new, 1))
    os.utime(replacement, (PAST, PAST))
    shutil.copy2(replacement, path)
    replacement.unlink()


def test_a_one_partner_change_recleans_that_file_alone(tree, tmp_path):
    first = _clean_every_table(tree)
    assert sum(len(files) for files in first.values()) == 14  # every file, the first time
    assert _clean_every_table(tree) == {table: () for table in first}  # all from the cache
    _change_one_cell(tree / "data/raw/case_studies/UH.csv", b"Helsinki", b"Helsinky")
    again = _clean_every_table(tree)
    assert again == {
        "case_studies": ("data/raw/case_studies/UH.csv",),
        "interviews": (),
        "ratings": (),
    }
    assert _combined(tree, tmp_path / "pipeline") == _from_scratch(tree, tmp_path / "scratch")


def test_tables_from_the_cache_are_the_bytes_of_a_clean_from_scratch(tree, tmp_path):
    _clean_every_table(tree)
    _clean_every_table(tree)  # every part from the cache
    combined = _combined(tree, tmp_path / "pipeline")
    assert combined == _from_scratch(tree, tmp_path / "scratch")
    assert len(combined["interviews.csv"].splitlines()) > 10


def test_a_removed_file_drops_out_of_the_tables_and_the_cache(tree, tmp_path):
    _clean_every_table(tree)
    cache = tree / "data/processed/parts/cache/case_studies"
    assert len(list(cache.glob("*.json"))) == 5
    (tree / "data/raw/case_studies/UH.csv").unlink()
    assert _clean_every_table(tree)["case_studies"] == ()
    assert len(list(cache.glob("*.json"))) == 4
    combined = _combined(tree, tmp_path / "pipeline")
    assert b"UH-C01" not in combined["case_studies.csv"]
    assert combined == _from_scratch(tree, tmp_path / "scratch")


def test_a_changed_taxonomy_recleans_every_file(tree):
    _clean_every_table(tree)
    taxonomy = tree / "data/raw/skills_taxonomy.csv"
    taxonomy.write_bytes(taxonomy.read_bytes() + b"\n")
    assert sum(len(files) for files in _clean_every_table(tree).values()) == 14


def test_a_bad_file_from_the_cache_is_still_refused_with_its_cell(tree, tmp_path):
    _clean_every_table(tree)
    path = tree / "data/raw/case_studies/UH.csv"
    _change_one_cell(path, b"Finland", b"Atlantis")
    for attempt in range(2):  # cleaned, then read back from the cache
        cleaned = _clean_every_table(tree)["case_studies"]
        assert cleaned == (("data/raw/case_studies/UH.csv",) if attempt == 0 else ())
        bundles = [Path(f"data/processed/parts/{t}.json") for t in sorted(PARTNER_TABLES)]
        result = combine_parts(
            bundles, Path("data/raw/partners.csv"), Path("data/raw/skills_taxonomy.csv")
        )
        assert not result.ok
        shown = [f"{p.file}:{p.row}:{p.column}: {p.message}" for p in result.problems]
        assert any(
            line.startswith("data/raw/case_studies/UH.csv:")
            and ":country: 'Atlantis' is not a country name" in line
            for line in shown
        ), shown


def test_the_bundles_keep_problems_and_rows_but_not_the_cells_as_typed(tree):
    # The preview (each cell as the partner typed it) is the validation page's, which
    # reads the files itself; the build never reads it from the parts.
    from ktreport.ingest.table_parts import read_bundle

    raw = Path("data/raw")
    (tree / raw / "case_studies" / "UH.csv").write_bytes(
        (tree / raw / "case_studies" / "UH.csv").read_bytes().replace(b"Helsinki", b"Helsinky")
    )
    _clean_every_table(tree)
    direct = {r.path: r for r in validate_raw(raw).files}
    for table in sorted(PARTNER_TABLES):
        for part in read_bundle(Path(f"data/processed/parts/{table}.json")):
            assert part.report.preview == [], part.report.path
            assert direct[part.report.path].preview, part.report.path
            assert part.report.problems == direct[part.report.path].problems
            assert part.report.n_rows == direct[part.report.path].n_rows
