"""Nothing lost, nothing half-written (issue 6 §5): raw files are byte-identical after every
build, failed or killed; a build killed with SIGKILL at several points leaves the previous
report complete and readable, and the next build completes with the same bytes as a clean
build; two builds at once never run together.

The "previous" report is the session's sample build; the new data are the sample plus the
hostile rows, whose clean build (the session's "hostile" build) gives the expected bytes."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from project_builds import (
    HTML,
    PDF,
    add_hostile_rows,
    append_rows,
    built,
    copy_tree,
    environment,
    file_digests,
    kill_group,
    ktreport,
    published_bytes,
    start_ktreport,
)

from conftest import FIXTURES

BUILD_LOG = "logs/ktreport-build.log"
STAGED_HTML = f"report/_build/output/{Path(HTML).name}"
POLL_SECONDS = 0.05
WAIT_LIMIT_SECONDS = 600


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    build = built("sample", tmp_path_factory)
    assert build.ok, build.explain()
    return build


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    build = built("hostile", tmp_path_factory)
    assert build.ok, build.explain()
    return build


def _changed_since(path: Path, start: float) -> bool:
    try:
        return path.stat().st_mtime > start
    except FileNotFoundError:
        return False


def _log_mentions(path: Path, text: str) -> bool:
    try:
        return text in path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return False


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen | None, what: str) -> None:
    """Poll until ``condition`` holds; fail if ``process`` ends first."""
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while not condition():
        if process is not None and process.poll() is not None:
            pytest.fail(f"the build ended (exit {process.returncode}) before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"waited {WAIT_LIMIT_SECONDS} s for {what}")
        time.sleep(POLL_SECONDS)


def _assert_report_readable(tree: Path) -> None:
    from pypdf import PdfReader

    html = (tree / HTML).read_text(encoding="utf-8")
    assert html.rstrip().endswith("</html>"), "the published HTML is cut"
    assert len(PdfReader(str(tree / PDF)).pages) > 5, "the published PDF does not parse"


def _snakemake(tree: Path, *args: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "snakemake"), *args],
        cwd=tree,
        env=environment(tree),
        stdout=log.open("w", encoding="utf-8"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


# --------------------------------------------------------------------------- raw files
@pytest.mark.e2e
def test_builds_leave_the_raw_files_byte_identical(sample, hostile):
    for build in (sample, hostile):
        assert file_digests(build.tree / "data" / "raw") == build.raw_before


@pytest.mark.e2e
def test_a_failed_build_leaves_raw_files_and_the_previous_report_untouched(sample, tmp_path):
    tree = copy_tree(sample.tree, tmp_path / "project")
    previous = published_bytes(tree)
    bad_rows = FIXTURES / "hostile" / "url_not_http" / "case_studies.csv"
    append_rows(tree / "data/raw/case_studies/UH.csv", bad_rows)
    raw = file_digests(tree / "data/raw")

    by_ktreport = ktreport(tree, "build", "--cores", "2")
    bare = _snakemake(tree, "--cores", "2", log=tmp_path / "snakemake.log")
    bare.wait(timeout=600)

    assert by_ktreport.returncode == 1 and bare.returncode != 0
    assert "Traceback" not in by_ktreport.stdout + by_ktreport.stderr
    assert file_digests(tree / "data/raw") == raw
    assert published_bytes(tree) == previous


@pytest.mark.e2e
def test_a_template_error_is_named_and_the_previous_report_stays(sample, tmp_path):
    tree = copy_tree(sample.tree, tmp_path / "project")
    previous = published_bytes(tree)
    chapter = sorted((tree / "report/chapters").glob("*.md.j2"))[-1]
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\nThe total is {{ kf.no_such_figure }}.\n", encoding="utf-8")
    line = len(text.splitlines()) + 2

    result = ktreport(tree, "build", "--cores", "2")

    assert result.returncode == 1
    assert "A chapter template has an error:" in result.stderr
    assert f"report/chapters/{chapter.name}:{line}" in result.stderr
    assert "no_such_figure" in result.stderr
    assert "logs/write_chapters.log" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert published_bytes(tree) == previous


# --------------------------------------------------------------------------- kill -9
@pytest.mark.e2e
def test_a_build_killed_at_any_point_leaves_the_previous_report_and_then_completes(
    sample, hostile, tmp_path
):
    tree = copy_tree(sample.tree, tmp_path / "project")
    old = published_bytes(tree)
    new = published_bytes(hostile.tree)
    assert old.keys() == new.keys() and all(old[name] != new[name] for name in old)
    add_hostile_rows(tree)
    raw = file_digests(tree / "data/raw")
    # Deterministic moments: a file rewritten by a step, or a step's start in the log.
    triggers = [
        ("while the figures are drawn", tree / "data/processed/key_figures.json", None),
        ("while the PDF is rendered", tree / STAGED_HTML, None),
        ("while the guard checks and publishes", None, "localrule check_personal_data:"),
    ]
    for number, (moment, rewritten, log_line) in enumerate(triggers):
        start = time.time()
        process = start_ktreport(tree, "build", "--cores", "2", log=tmp_path / f"{number}.log")
        if rewritten is not None:
            _wait_for(lambda p=rewritten, s=start: _changed_since(p, s), process, moment)
        else:
            _wait_for(lambda s=log_line: _log_mentions(tree / BUILD_LOG, s), process, moment)
        kill_group(process)

        current = published_bytes(tree)
        for name in old:
            assert current.get(name) in (old[name], new[name]), f"{name} killed {moment}"
        _assert_report_readable(tree)
        assert file_digests(tree / "data/raw") == raw, f"raw files changed, killed {moment}"

    result = ktreport(tree, "build", "--cores", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "removing the lock it left behind" in result.stderr
    assert published_bytes(tree) == new, "not the bytes of a clean build of the same data"
    processed = sorted(p.name for p in (tree / "data/processed").glob("*.csv"))
    for name in processed:
        assert (tree / "data/processed" / name).read_bytes() == (
            hostile.tree / "data/processed" / name
        ).read_bytes(), name
    assert not list((tree / "report/output").glob(".*partial*"))
    assert file_digests(tree / "data/raw") == raw


# --------------------------------------------------------------------------- two at once
@pytest.mark.e2e
def test_a_second_build_stops_with_a_message_and_a_waiting_one_runs_after(
    sample, hostile, tmp_path
):
    tree = copy_tree(sample.tree, tmp_path / "project")
    add_hostile_rows(tree)
    first = start_ktreport(tree, "build", "--cores", "2", log=tmp_path / "first.log")
    lock = tree / ".snakemake/ktreport-build.lock"
    _wait_for(lambda: _log_mentions(lock, str(first.pid)), first, "the first build's lock")

    second = ktreport(tree, "build", "--cores", "2", timeout=120)
    waiting = start_ktreport(tree, "build", "--wait", log=tmp_path / "waiting.log")
    first.wait(timeout=WAIT_LIMIT_SECONDS)
    waiting.wait(timeout=WAIT_LIMIT_SECONDS)

    assert second.returncode == 1
    assert f"Another build is running in this folder (process {first.pid})" in second.stderr
    assert "Traceback" not in second.stdout + second.stderr
    assert first.returncode == 0, (tmp_path / "first.log").read_text(encoding="utf-8")
    assert waiting.returncode == 0, (tmp_path / "waiting.log").read_text(encoding="utf-8")
    assert "The report is up to date." in (tmp_path / "waiting.log").read_text(encoding="utf-8")
    assert published_bytes(tree) == published_bytes(hostile.tree)


@pytest.mark.e2e
def test_a_build_while_snakemake_runs_is_refused_and_a_killed_run_is_recovered(
    sample, hostile, tmp_path
):
    tree = copy_tree(sample.tree, tmp_path / "project")
    add_hostile_rows(tree)
    bare = _snakemake(tree, "--cores", "1", log=tmp_path / "snakemake.log")
    locks = tree / ".snakemake/locks"
    _wait_for(lambda: locks.is_dir() and any(locks.iterdir()), bare, "Snakemake's lock")

    refused = ktreport(tree, "build", "--cores", "2", timeout=120)
    kill_group(bare)
    recovered = ktreport(tree, "build", "--cores", "2")

    assert refused.returncode == 1
    assert "Snakemake is already running in this folder" in refused.stderr
    assert "Traceback" not in refused.stdout + refused.stderr
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    assert "removing the lock it left behind" in recovered.stderr
    assert published_bytes(tree) == published_bytes(hostile.tree)
