"""``ktreport build`` (issue 6 §5–§6): config.yaml checked first with the key named, one build
per folder, a lock left by a killed run removed, Snakemake's output reduced to progress, and
known failures turned into sentences with the log path — never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from project_builds import append_rows, copy_project, environment, file_digests, ktreport

from conftest import FIXTURES, ROOT
from ktreport.run.build import (
    BuildLock,
    BuildProblem,
    ProgressFilter,
    config_problems,
    project_problem,
)
from ktreport.run.failures import explain_failure
from ktreport.run.snakemake import lock_state as snakemake_lock_state

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
LOG = Path("logs/ktreport-build.log")


def _project_with_config(tmp_path: Path, config: dict | str) -> Path:
    (tmp_path / "workflow" / "schemas").mkdir(parents=True)
    shutil.copy(SCHEMA, tmp_path / "workflow" / "schemas")
    text = config if isinstance(config, str) else yaml.safe_dump(config, sort_keys=False)
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "Snakefile").write_text("", encoding="utf-8")
    return tmp_path


def _config() -> dict:
    return yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- config.yaml
def test_the_shipped_config_has_no_problem():
    assert config_problems(ROOT) == []


def test_a_typo_in_a_key_is_named_with_the_key_it_resembles(tmp_path):
    config = _config()
    config["renderr"] = config.pop("renderer")
    problems = config_problems(_project_with_config(tmp_path, config))
    assert len(problems) == 1
    assert "unknown key 'renderr'" in problems[0]
    assert "did you mean 'renderer'?" in problems[0]


def test_a_typo_in_a_nested_key_is_named_with_its_path(tmp_path):
    config = _config()
    config["report"]["titel"] = config["report"].pop("title")
    (problem,) = config_problems(_project_with_config(tmp_path, config))
    assert "unknown key 'report.titel'" in problem and "'title'" in problem


def test_a_value_outside_the_allowed_ones_lists_them(tmp_path):
    config = _config()
    config["renderer"] = "latex"
    (problem,) = config_problems(_project_with_config(tmp_path, config))
    assert "renderer is 'latex'" in problem and "auto, pandoc, quarto" in problem


def test_broken_yaml_is_located_by_line(tmp_path):
    text = "sample_data: true\nreport:\n  title: x\n   subtitle: y\n"
    (problem,) = config_problems(_project_with_config(tmp_path, text))
    assert problem.startswith("config.yaml at line 4")


def test_a_folder_without_snakefile_is_not_a_project(tmp_path):
    assert "not the project folder" in project_problem(tmp_path)
    assert project_problem(ROOT) is None


# --------------------------------------------------------------------------- locks
def test_a_second_build_in_the_same_folder_is_refused_while_the_first_holds_the_lock(
    tmp_path,
):
    refused = pytest.raises(BuildProblem, match="Another build is running in this folder")
    with BuildLock(tmp_path), refused:
        BuildLock(tmp_path).__enter__()
    with BuildLock(tmp_path):  # released when the first build ends
        pass


def test_a_snakemake_lock_without_a_snakemake_process_is_stale(tmp_path):
    assert snakemake_lock_state(tmp_path) == "none"
    locks = tmp_path / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    (locks / "0.input.lock").write_text("data/raw/partners.csv\n", encoding="utf-8")
    assert snakemake_lock_state(tmp_path) == "stale"


# --------------------------------------------------------------------------- output
SNAKEMAKE_OUTPUT = """\
Building DAG of jobs...
[Sat Nov 28 13:51:30 2026]
localrule clean_partner_file:
    input: data/raw/case_studies/UH.csv, data/raw/skills_taxonomy.csv
    output: data/processed/parts/case_studies/UH.json
    log: logs/clean_partner_file/case_studies/UH.log
    jobid: 7
    wildcards: table=case_studies, partner=UH
    resources: tmpdir=/tmp
1 of 3 steps (33%) done
localrule combine_tables:
    input: data/processed/parts/case_studies/UH.json
    resources: tmpdir=/tmp
2 of 3 steps (67%) done
"""


def test_progress_shows_each_step_and_the_count_not_the_file_lists():
    show = ProgressFilter()
    shown = [line for raw in SNAKEMAKE_OUTPUT.splitlines(True) for line in show(raw)]
    assert shown == [
        "  clean_partner_file (table=case_studies, partner=UH)",
        "1 of 3 steps (33%) done",
        "  combine_tables",
        "2 of 3 steps (67%) done",
    ]


def _failed(rule: str, log: str) -> str:
    return (
        f"[Sat Nov 28 13:45:53 2026]\nError in rule {rule}:\n    message: None\n    jobid: 22\n"
        f"    output: x\n    log: {log} (check log file(s) for error details)\n"
        "Shutting down, this might take some time.\n"
    )


@pytest.mark.parametrize(
    ("rule", "log_text", "expected", "absent"),
    [
        (
            "check_personal_data",
            "Personal data found in 1 output file; the report was not published:\n"
            "  report/_build/output/R.html contains an interviewee's e-mail "
            "(from data/raw/interviews/UH.csv, row 7)\n",
            "contains an interviewee's e-mail (from data/raw/interviews/UH.csv, row 7)",
            "",
        ),
        (
            "make_figures",
            "Traceback (most recent call last):\n  File x\nChromeNotFoundError: no chrome\n",
            "Chromium",
            "Traceback",
        ),
        (
            "write_chapters",
            "report/chapters/04-skills.md.j2:12: 'kf' has no attribute 'n_foo'\n",
            "A chapter template has an error:\nreport/chapters/04-skills.md.j2:12:",
            "",
        ),
        (
            "render_pdf",
            "Traceback (most recent call last):\n  File x\nZeroDivisionError\n",
            "The step render_pdf failed unexpectedly; details in logs/render_pdf.log",
            "Traceback",
        ),
    ],
)
def test_a_failed_step_is_explained_from_its_log(tmp_path, rule, log_text, expected, absent):
    log = Path("logs") / f"{rule}.log"
    (tmp_path / "logs").mkdir()
    (tmp_path / log).write_text(log_text, encoding="utf-8")
    message = explain_failure(_failed(rule, log.as_posix()), tmp_path, LOG)
    assert expected in message
    if absent:
        assert absent not in message


def test_a_held_snakemake_lock_is_explained():
    output = "LockException:\nError: Directory cannot be locked. Please make sure ..."
    assert "Another Snakemake run is using this folder" in explain_failure(output, ROOT, LOG)


def test_an_unknown_failure_points_at_the_log_without_a_traceback():
    output = 'Traceback (most recent call last):\n  File "x.py"\nWorkflowError: something odd\n'
    message = explain_failure(output, ROOT, LOG)
    assert "WorkflowError: something odd" in message and str(LOG) in message
    assert "Traceback" not in message


# --------------------------------------------------------------------------- the command
@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project, not built (these tests stop before Snakemake runs)."""
    return copy_project(tmp_path_factory.mktemp("unbuilt") / "project")


def _fresh(project: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(project, tmp_path / "project", symlinks=True))


def test_build_stops_on_a_typo_in_config_naming_the_key(project, tmp_path):
    tree = _fresh(project, tmp_path)
    config = (tree / "config.yaml").read_text(encoding="utf-8")
    (tree / "config.yaml").write_text(config.replace("renderer:", "rendrer:"), encoding="utf-8")
    result = ktreport(tree, "build", timeout=120)
    assert result.returncode == 1
    assert "unknown key 'rendrer' (did you mean 'renderer'?)" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tree / LOG).exists(), "Snakemake ran despite the bad config"


def test_build_stops_on_data_errors_before_snakemake_and_leaves_raw_untouched(project, tmp_path):
    tree = _fresh(project, tmp_path)
    append_rows(
        tree / "data/raw/case_studies/UH.csv",
        FIXTURES / "hostile" / "url_not_http" / "case_studies.csv",
    )
    before = file_digests(tree / "data/raw")
    result = ktreport(tree, "build", timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "data/raw/case_studies/UH.csv" in result.stdout
    assert "The partner data has errors" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tree / LOG).exists()
    assert file_digests(tree / "data/raw") == before


def test_build_outside_the_project_says_where_to_run_it(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "ktreport.cli", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=environment(ROOT),
        check=False,
    )
    assert result.returncode == 1
    assert "is not the project folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_dry_run_shows_the_table_of_jobs_once_and_no_file_lists():
    output = (
        "Job stats:\njob      count\n-----  -----\nmake_figures  1\ntotal  1\n\n"
        "[Sat Nov 28 14:22:26 2026]\nrule make_figures:\n    input: a.csv, b.csv\n"
        "    output: c.svg\n\nJob stats:\njob      count\ntotal  1\n\n"
        "This was a dry-run (flag -n). The order of jobs does not reflect the order.\n"
    )
    show = ProgressFilter(dry_run=True)
    shown = [line for raw in output.splitlines(True) for line in show(raw)]
    assert shown == [
        "Job stats:",
        "job      count",
        "-----  -----",
        "make_figures  1",
        "total  1",
        "  make_figures",
        "This was a dry-run (flag -n). The order of jobs does not reflect the order.",
    ]
