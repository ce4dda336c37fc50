"""A rebuild redoes what a change touches: a changed library module re-runs the steps that
use it (Snakemake alone would only notice a change in a rule's own script), and a raw
file's content, not its date, decides whether what it feeds is stale."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from project_builds import built, copy_tree, environment

pytestmark = pytest.mark.e2e


def _planned_jobs(tree) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--dry-run", "--cores", "1", "--quiet", "rules"],
        cwd=tree,
        env=environment(tree),
        capture_output=True,
        text=True,
        check=True,
    )
    return set(re.findall(r"^(\w+)\s+\d+\s*$", result.stdout, flags=re.M)) - {"total"}


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    sample = built("sample", tmp_path_factory)
    assert sample.ok, sample.explain()
    return copy_tree(sample.tree, tmp_path_factory.mktemp("rebuild") / "project")


def test_nothing_to_do_after_a_build(tree):
    assert _planned_jobs(tree) == set()


def _jobs_after_changing(tree, module_name: str) -> set[str]:
    """The jobs a dry run plans once a comment is added to one library module."""
    module = tree / "workflow" / "ktreport" / f"{module_name}.py"
    original = module.read_text(encoding="utf-8")
    module.write_text(original + "\n# changed\n", encoding="utf-8")
    try:
        return _planned_jobs(tree)
    finally:
        module.write_text(original, encoding="utf-8")


def test_a_changed_aggregation_module_reruns_aggregation_and_what_follows_only(tree):
    jobs = _jobs_after_changing(tree, "aggregate/tables")
    assert {"aggregate_tables", "make_figures", "write_chapters", "render_pdf"} <= jobs
    assert "clean_table" not in jobs and "combine_tables" not in jobs


def test_a_changed_reader_recleans_every_partner_file(tree):
    jobs = _jobs_after_changing(tree, "ingest/readers")
    assert {"clean_table", "combine_tables", "check_personal_data"} <= jobs


def test_a_changed_chapters_module_rewrites_the_text_but_redraws_no_figure(tree):
    # The old regex walk over imports also matched comments, so a comment naming another
    # module made unrelated steps depend on it; rules now list their subpackages.
    jobs = _jobs_after_changing(tree, "chapters/write")
    assert {"write_chapters", "render_html", "render_pdf"} <= jobs
    assert not jobs & {"make_figures", "aggregate_tables", "combine_tables"}


def test_a_changed_core_module_reruns_every_step(tree):
    jobs = _jobs_after_changing(tree, "core/style")
    assert {"clean_table", "aggregate_tables", "make_figures", "write_chapters"} <= jobs


PAST = 978_307_200  # 2001-01-01: older than any build
FUTURE = 4_102_444_800  # 2100-01-01: newer than any build


def test_a_raw_file_touched_with_any_date_rebuilds_nothing(tree):
    raw = tree / "data" / "raw" / "case_studies" / "UH.csv"
    original = raw.stat()
    try:
        for when in (FUTURE, PAST):
            os.utime(raw, (when, when))
            assert _planned_jobs(tree) == set(), when
    finally:
        os.utime(raw, ns=(original.st_atime_ns, original.st_mtime_ns))


def test_a_raw_file_replaced_by_an_older_copy_is_rebuilt_from_its_content(tree, tmp_path):
    # What unzipping an attachment, `cp -p` or `rsync -a` do: the new file has an old date.
    work = copy_tree(tree, tmp_path / "project")
    raw = work / "data" / "raw" / "case_studies" / "UH.csv"
    lines = raw.read_bytes().splitlines(keepends=True)
    shorter = tmp_path / "UH.csv"
    shorter.write_bytes(b"".join(lines[:-1]))  # the last case study removed
    os.utime(shorter, (PAST, PAST))
    shutil.copy2(shorter, raw)
    jobs = _planned_jobs(work)
    assert {"clean_table", "combine_tables", "aggregate_tables", "render_pdf"} <= jobs
    before = json.loads((work / "report/output/key_figures.json").read_text())
    subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", "--quiet", "all"],
        cwd=work,
        env=environment(work),
        capture_output=True,
        check=True,
    )
    after = json.loads((work / "report/output/key_figures.json").read_text())
    assert after["n_case_studies"]["value"] == before["n_case_studies"]["value"] - 1
