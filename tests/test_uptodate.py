"""``ktreport build`` with nothing changed since its last build answers without starting
Snakemake (issue 16 §1, ``run.uptodate``), and any change to what the build reads or wrote,
dates included, makes it run Snakemake again."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from project_builds import HTML, built, copy_tree, ktreport

from ktreport.run import build, uptodate

PAST = 1_000_000_000  # 2001: older than any build


@pytest.fixture
def project(tmp_path):
    """A small project folder laid out as the real one, as it is after a build."""
    files = {
        "Snakefile": "include: 'workflow/rules/common.smk'\n",
        "config.yaml": "briefs: countries\n",
        "workflow/rules/common.smk": "# rules\n",
        "workflow/ktreport/aggregate/tables.py": "X = 1\n",
        "report/chapters/01-introduction.md.j2": "# Introduction\n",
        "data/raw/case_studies/UH.csv": "case_id,title\nUH-01,One\n",
        "data/processed/case_studies.csv": "case_id\nUH-01\n",
        "report/_build/output/report.html": "<p>staged</p>\n",
        "report/output/report.html": "<p>published</p>\n",
        "logs/check_personal_data.ok": "ok\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert uptodate.remember(tmp_path, uptodate.read_state(tmp_path))
    assert uptodate.up_to_date(tmp_path)
    return tmp_path


def test_a_chapter_saved_again_with_the_same_bytes_makes_snakemake_run(project):
    chapter = project / "report/chapters/01-introduction.md.j2"
    chapter.write_bytes(chapter.read_bytes())
    assert not uptodate.up_to_date(project)


def test_a_raw_file_replaced_by_an_older_copy_is_a_change(project):
    raw = project / "data/raw/case_studies/UH.csv"
    copy = project / "UH-copy.csv"
    copy.write_text("case_id,title\nUH-01,Other\n", encoding="utf-8")
    os.utime(copy, (PAST, PAST))
    shutil.copy2(copy, raw)  # cp -p: an older date than the last build
    assert not uptodate.up_to_date(project)


def test_a_date_set_back_to_the_recorded_one_is_still_a_change(project):
    """Modification times can be set back; change times cannot."""
    raw = project / "data/raw/case_studies/UH.csv"
    before = raw.stat()
    raw.write_text("case_id,title\nUH-01,Ono\n", encoding="utf-8")  # same size
    os.utime(raw, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert raw.stat().st_mtime_ns == before.st_mtime_ns
    assert not uptodate.up_to_date(project)


@pytest.mark.parametrize(
    "change",
    [
        "report/output/report.html",  # a published file deleted by hand
        "data/processed/case_studies.csv",  # an intermediate removed
        "logs/check_personal_data.ok",  # the guard's marker
    ],
)
def test_a_deleted_output_is_a_change(project, change):
    (project / change).unlink()
    assert not uptodate.up_to_date(project)


def test_a_new_file_or_folder_where_partners_put_files_is_a_change(project):
    (project / "data/raw/interviews").mkdir()
    assert not uptodate.up_to_date(project)


def test_a_library_module_and_the_environment_are_part_of_it(project, monkeypatch):
    """CI sets KTREPORT_QUARTO; whatever it was when the record was made, another value
    is a change and the recorded one again is not."""
    recorded = os.environ.get("KTREPORT_QUARTO")
    monkeypatch.setenv("KTREPORT_QUARTO", f"{recorded}/another/quarto")
    assert not uptodate.up_to_date(project)
    if recorded is None:
        monkeypatch.delenv("KTREPORT_QUARTO")
    else:
        monkeypatch.setenv("KTREPORT_QUARTO", recorded)
    assert uptodate.up_to_date(project)
    module = project / "workflow/ktreport/aggregate/tables.py"
    module.write_text("X = 2\n", encoding="utf-8")
    assert not uptodate.up_to_date(project)


def test_what_the_build_does_not_read_is_not_part_of_it(project):
    """The write check's trial file (created and removed), byte code, the preview, the logs:
    none of them makes Snakemake run again."""
    trial = project / "report/output/.ktreport-write-check-x"
    trial.write_text("", encoding="utf-8")
    trial.unlink()
    (project / "workflow/ktreport/__pycache__").mkdir()
    (project / "workflow/ktreport/__pycache__/cli.cpython-311.pyc").write_bytes(b"\0")
    (project / "report/_preview").mkdir()
    (project / "report/_preview/index.html").write_text("<p>preview</p>", encoding="utf-8")
    (project / "logs/ktreport-build.log").write_text("Nothing to be done\n", encoding="utf-8")
    assert uptodate.up_to_date(project)


def test_an_unfinished_snakemake_job_is_a_change(project):
    (project / ".snakemake/incomplete").mkdir(parents=True)
    (project / ".snakemake/incomplete/cmVwb3J0").write_text("", encoding="utf-8")
    assert not uptodate.up_to_date(project)


def test_nothing_is_recorded_when_a_source_changed_during_the_build(project):
    uptodate.forget(project)
    before = uptodate.read_state(project)
    (project / "report/chapters/01-introduction.md.j2").write_text("# Intro\n", encoding="utf-8")
    assert not uptodate.remember(project, before)
    assert not uptodate.up_to_date(project)


def test_only_a_plain_build_is_answered_from_the_record(project):
    assert build.answered_without_snakemake(project) is not None
    assert build.answered_without_snakemake(project, dry_run=True) is None
    assert build.answered_without_snakemake(project, release=True) is None
    assert build.answered_without_snakemake(project, profile=project / "profiles/slurm") is None


def test_a_commit_changes_the_version_and_so_the_state(project):
    def commit(message):
        identity = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
        command = ["git", *identity, "commit", "-q", "--allow-empty", "-m", message]
        subprocess.run(command, cwd=project, check=True, capture_output=True)

    subprocess.run(["git", "init", "-q"], cwd=project, check=True, capture_output=True)
    commit("a")
    assert uptodate.remember(project, uptodate.read_state(project))
    commit("b")
    assert not uptodate.up_to_date(project)


@pytest.mark.e2e
def test_a_second_build_does_not_start_snakemake_and_an_edit_is_built(tmp_path_factory):
    sample = built("sample", tmp_path_factory)
    assert sample.ok, sample.explain()
    tree = copy_tree(sample.tree, tmp_path_factory.mktemp("uptodate") / "project")
    log = tree / "logs/ktreport-build.log"

    first = ktreport(tree, "build", "--cores", "2")  # a copy: new inodes, Snakemake decides
    assert first.returncode == 0, first.stderr
    assert "Building the report" in first.stderr
    assert "Nothing to be done" in log.read_text(encoding="utf-8")
    log.write_text("the first no-op\n", encoding="utf-8")

    second = ktreport(tree, "build", "--cores", "2")
    assert second.returncode == 0, second.stderr
    assert "Nothing the report is built from has changed" in second.stderr
    assert "Building the report" not in second.stderr
    assert log.read_text(encoding="utf-8") == "the first no-op\n", "Snakemake ran"
    assert "The report is up to date." in second.stdout
    assert HTML in second.stdout  # the published files are listed as after any build

    chapter = tree / "report/chapters/01-introduction.md.j2"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\nA sentence added after the build.\n",
        encoding="utf-8",
    )
    third = ktreport(tree, "build", "--cores", "2")
    assert third.returncode == 0, third.stderr
    assert "Building the report" in third.stderr
    assert "A sentence added after the build." in (tree / HTML).read_text(encoding="utf-8")
