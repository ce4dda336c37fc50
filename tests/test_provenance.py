"""Provenance: version, commit date, data fingerprint, raw file list, tool versions."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pypandoc
import pytest
from openpyxl import Workbook

from ktreport.core import provenance

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

COMMIT_DATE = "2024-05-02T10:30:00+00:00"
COMMIT_EPOCH = 1714645800


def git(root: Path, *args: str, date: str = COMMIT_DATE) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


def make_raw(root: Path) -> Path:
    raw = root / "data" / "raw"
    (raw / "interviews").mkdir(parents=True)
    (raw / "case_studies").mkdir(parents=True)
    (raw / "partners.csv").write_text("partner_id,name,country\nUH,University of Helsinki,FI\n")
    (raw / "interviews" / "UH.csv").write_text(
        "interview_id;respondent_group\nUH-I01;kt_expert\nUH-I02;kt_expert\n\nUH-I03;other\n"
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["case_id", "programme"])
    sheet.append(["UH-C01", "Licensing basics"])
    sheet.append(["UH-C02", "Negotiation"])
    book.save(raw / "case_studies" / "UH.xlsx")
    (raw / "README.md").write_text("how partners update data")
    (raw / ".gitkeep").write_text("")
    return raw


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    make_raw(root)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "data")
    return root


def test_version_is_git_describe_with_tags(repo):
    git(repo, "tag", "v1.0")
    assert provenance.version(repo) == "v1.0"


def test_version_marks_a_changed_working_tree_dirty(repo):
    git(repo, "tag", "v1.0")
    (repo / "data" / "raw" / "partners.csv").write_text("partner_id,name,country\n")
    assert provenance.version(repo) == "v1.0-dirty"


def test_version_after_the_tag_names_the_distance_and_commit(repo):
    git(repo, "tag", "v1.0")
    (repo / "notes.txt").write_text("x")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-q", "-m", "notes", date="2024-06-01T00:00:00+00:00")
    head = git(repo, "rev-parse", "--short", "HEAD")
    assert provenance.version(repo) == f"v1.0-1-g{head}"


def test_version_without_git_falls_back_to_config(tmp_path):
    make_raw(tmp_path)
    assert provenance.version(tmp_path, fallback="0.7") == "0.7"
    assert provenance.commit(tmp_path) is None


def test_build_date_is_the_date_of_the_last_commit(repo):
    assert provenance.source_date_epoch(repo) == COMMIT_EPOCH
    info = provenance.build_info(repo, {"report": {"version": "0.1"}})
    assert info["date"] == "2024-05-02"
    assert info["date_long"] == "2 May 2024"
    assert info["datetime"] == "2024-05-02T10:30:00Z"
    assert info["source_date_epoch"] == COMMIT_EPOCH
    assert info["commit"] == git(repo, "rev-parse", "HEAD")


def test_build_date_outside_git_uses_source_date_epoch(tmp_path, monkeypatch):
    make_raw(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert provenance.source_date_epoch(tmp_path) == 1700000000


def test_fingerprint_changes_with_one_byte_of_one_file(repo):
    before = provenance.data_fingerprint(repo)
    path = repo / "data" / "raw" / "interviews" / "UH.csv"
    path.write_bytes(path.read_bytes().replace(b"UH-I03", b"UH-I04"))
    assert provenance.data_fingerprint(repo) != before


def test_fingerprint_changes_when_a_file_is_renamed(repo):
    before = provenance.data_fingerprint(repo)
    raw = repo / "data" / "raw" / "interviews"
    (raw / "UH.csv").rename(raw / "UH2.csv")
    assert provenance.data_fingerprint(repo) != before


def test_fingerprint_ignores_readmes_and_hidden_files(repo):
    before = provenance.data_fingerprint(repo)
    (repo / "data" / "raw" / "README.md").write_text("edited help text")
    (repo / "data" / "raw" / ".DS_Store").write_bytes(b"\0")
    assert provenance.data_fingerprint(repo) == before


def test_fingerprint_does_not_depend_on_where_the_project_lives(repo, tmp_path):
    copy = tmp_path / "elsewhere" / "clone"
    shutil.copytree(repo / "data", copy / "data")
    assert provenance.data_fingerprint(copy) == provenance.data_fingerprint(repo)
    assert len(provenance.data_fingerprint(repo)) == provenance.FINGERPRINT_DIGITS


def test_raw_file_list_gives_partner_rows_and_sha256(repo):
    records = {r["path"]: r for r in provenance.raw_file_list(repo)}
    assert sorted(records) == [
        "data/raw/case_studies/UH.xlsx",
        "data/raw/interviews/UH.csv",
        "data/raw/partners.csv",
    ]
    interviews = records["data/raw/interviews/UH.csv"]
    assert interviews["partner"] == "UH"
    assert interviews["table"] == "interviews"
    assert interviews["rows"] == 3  # the blank line is not a row
    expected = hashlib.sha256((repo / "data/raw/interviews/UH.csv").read_bytes()).hexdigest()
    assert interviews["sha256"] == expected
    assert records["data/raw/case_studies/UH.xlsx"]["rows"] == 2
    assert records["data/raw/partners.csv"]["partner"] == "consortium"


def test_an_unreadable_spreadsheet_has_no_row_count(repo):
    (repo / "data" / "raw" / "case_studies" / "BAD.xlsx").write_bytes(b"not a spreadsheet")
    records = {r["path"]: r for r in provenance.raw_file_list(repo)}
    assert records["data/raw/case_studies/BAD.xlsx"]["rows"] is None


def test_tool_versions_name_the_engines_that_render():
    tools = provenance.tool_versions(include_quarto=False)
    assert tools["pandoc"] == pypandoc.get_pandoc_version()
    assert tools["weasyprint"] == __import__("weasyprint").__version__
    for name in ("snakemake", "pandas", "plotly", "kaleido", "chromium"):
        assert name in tools
    assert "quarto" not in tools


@pytest.mark.skipif(not provenance.chromium_path(), reason="Chromium is not installed")
def test_tool_versions_include_chromium():
    assert "Chromium" in (provenance.tool_versions(include_quarto=False)["chromium"] or "")


def test_build_info_has_no_absolute_path_of_the_machine(repo):
    info = provenance.build_info(repo)
    dumped = json.dumps(info)
    assert str(repo) not in dumped
    assert str(repo.parent) not in dumped
