"""``ktreport build`` validates the partner data and checks config.yaml only when what those
checks read changed since they last passed (issue 16 §1, ``run.checked``): content decides,
not dates, and a file that failed is checked (and refused) at every build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import typer
from project_builds import append_rows, environment

from conftest import FIXTURES, RAW, ROOT
from ktreport import cli, ingest
from ktreport.run import build, checked, plain_options

PAST = 1_000_000_000  # 2001: older than any build
UH = "data/raw/case_studies/UH.csv"


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """The sample's raw data in a project folder of its own, the working directory."""
    shutil.copytree(RAW, tmp_path / "data" / "raw")
    for name in ("config.yaml", "workflow/schemas/config.schema.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def validations(monkeypatch):
    """The roots ``validate_raw`` was called for, in order (it still runs)."""
    calls = []
    real = ingest.validate_raw

    def counted(raw_dir, paths=None, root=None, **options):
        calls.append(raw_dir)
        return real(raw_dir, paths, root, **options)

    monkeypatch.setattr(ingest, "validate_raw", counted)
    return calls


def _build_check(tree, capsys) -> tuple[int, str]:
    """The check ``ktreport build`` runs before Snakemake: (exit code, what it said)."""
    code = 0
    try:
        cli._validate_before_building(tree)
    except typer.Exit as done:
        code = done.exit_code
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_unchanged_data_is_not_validated_again(tree, validations, capsys):
    assert _build_check(tree, capsys)[0] == 0
    assert len(validations) == 1
    code, said = _build_check(tree, capsys)
    assert code == 0
    assert len(validations) == 1, "the unchanged data was validated again"
    assert "unchanged since its last check (14 files, 390 rows: 0 errors, 0 warnings)" in said
    assert "Checking the partner data" not in said


def test_a_file_touched_with_the_same_content_is_not_validated_again(tree, validations, capsys):
    _build_check(tree, capsys)
    os.utime(tree / UH)  # a new date, the same bytes
    assert _build_check(tree, capsys)[0] == 0
    assert len(validations) == 1


def test_a_file_replaced_by_an_older_one_with_other_content_is_validated(tree, validations, capsys):
    _build_check(tree, capsys)
    replacement = tree / "replacement.csv"
    lines = (tree / UH).read_text(encoding="utf-8").splitlines(keepends=True)
    replacement.write_text("".join(lines[:-1]), encoding="utf-8")  # one row less
    os.utime(replacement, (PAST, PAST))  # and older than the last check (cp -p, unzip)
    shutil.copy2(replacement, tree / UH)
    code, said = _build_check(tree, capsys)
    assert code == 0
    assert len(validations) == 2, "a file with other content was not validated"
    assert "Checking the partner data" in said
    assert "389 rows" in _build_check(tree, capsys)[1]  # the new content's check, remembered


def test_a_broken_file_is_refused_at_every_build_after_a_good_one(tree, validations, capsys):
    good = (tree / UH).read_bytes()
    assert _build_check(tree, capsys)[0] == 0
    append_rows(tree / UH, FIXTURES / "hostile" / "url_not_http" / "case_studies.csv")
    for attempt in (2, 3):
        code, said = _build_check(tree, capsys)
        assert code == 1
        assert len(validations) == attempt
        assert UH in said
        assert "The partner data has errors" in said
    (tree / UH).write_bytes(good)  # fixed: the content that passed, passes unchecked
    assert _build_check(tree, capsys)[0] == 0
    assert len(validations) == 3


def test_a_new_partner_file_is_validated(tree, validations, capsys):
    _build_check(tree, capsys)
    shutil.copy(tree / UH, tree / "data/raw/case_studies/UJ_copy.csv")
    code, said = _build_check(tree, capsys)
    assert len(validations) == 2
    assert code == 1 and "UJ_copy" in said  # an unknown partner and duplicate ids


def test_config_is_checked_again_only_when_it_changed(tree, monkeypatch):
    checks = []
    real = build.config_problems
    monkeypatch.setattr(build, "config_problems", lambda root: checks.append(1) or real(root))
    assert build.checked_config_problems(tree) == []
    assert build.checked_config_problems(tree) == []
    assert len(checks) == 1
    config = tree / "config.yaml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace("renderer:", "rendrer:"), encoding="utf-8")
    for attempt in (2, 3):
        problems = build.checked_config_problems(tree)
        assert len(checks) == attempt
        assert "unknown key 'rendrer'" in problems[0]
    config.write_text(good, encoding="utf-8")
    assert build.checked_config_problems(tree) == []
    assert len(checks) == 3


def test_the_record_is_only_written_for_a_check_without_errors(tree, capsys):
    append_rows(tree / UH, FIXTURES / "hostile" / "url_not_http" / "case_studies.csv")
    assert _build_check(tree, capsys)[0] == 1
    assert checked.passed(tree, "data", checked.data_fingerprint(tree)) is None


def test_the_build_command_imports_no_heavy_library_before_snakemake():
    """What ``ktreport build`` imports before it starts Snakemake (pandas alone costs
    0.5-1.5 s)."""
    program = (
        "import sys; import ktreport.cli, ktreport.run.build, ktreport.run.checked;"
        " print(sorted(m for m in ('pandas', 'numpy', 'jinja2', 'plotly') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        env=environment(ROOT),
        check=True,
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("argv", "options"),
    [
        (
            ["build"],
            {"cores": "all", "dry_run": False, "wait": False, "release": False, "profile": ""},
        ),
        (
            ["build", "--cores", "2", "-n", "--wait"],
            {"cores": "2", "dry_run": True, "wait": True, "release": False, "profile": ""},
        ),
        (
            ["build", "--cores=4", "--release", "--dry-run"],
            {"cores": "4", "dry_run": True, "wait": False, "release": True, "profile": ""},
        ),
        (
            ["build", "--profile", "slurm", "--cores=2"],
            {"cores": "2", "dry_run": False, "wait": False, "release": False, "profile": "slurm"},
        ),
        (["build", "--help"], None),  # typer writes the help
        (["build", "--cores"], None),  # typer says what is missing
        (["build", "--bogus"], None),
        (["validate"], None),
        ([], None),
    ],
)
def test_plain_build_options_are_read_without_typer(argv, options):
    assert plain_options.plain_build_options(argv) == options


@pytest.mark.parametrize(
    ("argv", "options"),
    [
        (["validate"], {"paths": [], "raw_dir": "data/raw", "html": ""}),
        (
            ["validate", "data/raw/interviews", "a b.xlsx", "--raw-dir", "raw", "--html=v.html"],
            {"paths": ["data/raw/interviews", "a b.xlsx"], "raw_dir": "raw", "html": "v.html"},
        ),
        (["validate", "--help"], None),  # typer writes the help
        (["validate", "--html"], None),  # typer says what is missing
        (["validate", "--bogus", "x.csv"], None),
        (["build"], None),
    ],
)
def test_plain_validate_options_are_read_without_typer(argv, options):
    assert plain_options.plain_validate_options(argv, "data/raw") == options
    if options is not None:
        assert plain_options.plain_command(argv, "data/raw") == ("validate", options)


def test_ktreport_validate_reads_its_options_without_typer_s_parser(tmp_path):
    """``ktreport validate`` of a folder: typer's parser (its adapters, 0.2 s) is not
    imported, and the result is the command's own (a missing folder: exit 2, said)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ktreport.cli", "validate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=environment(ROOT),
        check=False,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "typer._adapters" not in imported and "typer.main" in imported
    assert done.returncode == 1, done.stdout
    assert "this folder of partner data does not exist" in done.stdout


def test_ktreport_build_parses_its_options_without_importing_pydantic(tmp_path):
    """typer's option parsing imports pydantic (0.2-0.4 s): ``ktreport build`` with its
    plain options does without it, and still says what is wrong."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ktreport.cli", "build", "--cores", "2"],
        cwd=tmp_path,  # not a project folder: the command stops at once
        capture_output=True,
        text=True,
        env=environment(ROOT),
        check=False,
    )
    assert done.returncode == 1
    assert "is not the project folder" in done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "typer" in imported
    assert "pydantic" not in imported
