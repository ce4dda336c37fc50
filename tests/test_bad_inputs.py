"""The catalogue of bad partner inputs: each case names the exact file:row:column and message.

Every folder of tests/fixtures/bad_inputs/ is a tiny ``data/raw/`` (partners.csv and the
taxonomy are the real ones unless the case has its own) with an ``expected.txt`` written by
hand: one ``severity: file:row:column: message — hint`` line per problem, in the order the
validator sorts them. Large files are grown at test time from ``generate.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ktreport.ingest.validate import validate_raw

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "tests" / "fixtures" / "bad_inputs"
CASES = sorted(p.name for p in CATALOGUE.iterdir() if (p / "expected.txt").exists())
CASE_FILES = ("expected.txt", "generate.json")


def materialise(case: str, project: Path) -> Path:
    """Lay the case out as ``project/data/raw`` and return that folder."""
    raw = project / "data" / "raw"
    shutil.copytree(CATALOGUE / case, raw, ignore=shutil.ignore_patterns(*CASE_FILES))
    for reference in ("partners.csv", "skills_taxonomy.csv"):
        if not (raw / reference).exists():
            shutil.copy(ROOT / "data" / "raw" / reference, raw / reference)
    recipe = CATALOGUE / case / "generate.json"
    if recipe.exists():
        grow(raw, json.loads(recipe.read_text(encoding="utf-8")))
    return raw


def grow(raw: Path, recipe: dict) -> None:
    """Repeat the last line of a file until it has enough bytes or lines."""
    path = raw / recipe["path"]
    lines = path.read_bytes().splitlines(keepends=True)
    last = lines[-1]
    if "repeat_last_line_until_bytes" in recipe:
        missing = recipe["repeat_last_line_until_bytes"] - path.stat().st_size
        repeats, rest = divmod(missing, len(last))
        path.write_bytes(b"".join(lines) + last * repeats + b" " * rest)
    else:
        repeats = recipe["repeat_last_line_until_lines"] - len(lines)
        path.write_bytes(b"".join(lines) + last * repeats)


def expected_lines(case: str) -> list[str]:
    text = (CATALOGUE / case / "expected.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def test_the_catalogue_covers_at_least_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_each_bad_input_is_reported_at_its_file_row_and_column(case, tmp_path):
    raw = materialise(case, tmp_path)
    result = validate_raw(raw, root=tmp_path)
    found = [f"{p.severity}: {p.line()}" for p in result.problems]
    assert found == expected_lines(case)


def _run_command(project: Path) -> tuple[int, str]:
    run = subprocess.run(
        [sys.executable, "-m", "ktreport.cli", "validate"],
        cwd=project,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "COLUMNS": "200"},
        timeout=600,
    )
    return run.returncode, run.stdout + run.stderr


@pytest.fixture(scope="session")
def command_runs(tmp_path_factory) -> dict[str, tuple[int, str]]:
    """``ktreport validate`` run as a subprocess on every case, as many at once as cores."""
    projects = {}
    for case in CASES:
        project = tmp_path_factory.mktemp(case)
        materialise(case, project)
        projects[case] = project
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(_run_command, projects.values())
    return dict(zip(projects, results, strict=True))


@pytest.mark.parametrize("case", CASES)
def test_the_validate_command_prints_every_problem_and_no_traceback(case, command_runs):
    returncode, output = command_runs[case]
    assert "Traceback" not in output
    expected = expected_lines(case)
    for line in expected:
        assert line in output
    has_errors = any(line.startswith("error:") for line in expected)
    assert returncode == (1 if has_errors else 0), output
    n_errors = sum(line.startswith("error:") for line in expected)
    n_warnings = len(expected) - n_errors
    summary = output.rstrip().splitlines()[-1]
    assert summary.endswith(
        f"{n_errors} error{'' if n_errors == 1 else 's'}, "
        f"{n_warnings} warning{'' if n_warnings == 1 else 's'}"
    ), summary


def test_raw_files_are_not_changed_by_validation_of_any_case(tmp_path):
    raw = materialise("personal_columns_present", tmp_path)
    before = {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()}
    validate_raw(raw, root=tmp_path)
    after = {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()}
    assert after == before


# ----------------------------------------------------------------------------- property tests
# Whatever a partner file holds, validation ends with a result (problems or none), never an
# exception, and the command never prints a traceback.

HEADERS = [
    "case_id",
    "programme",
    "provider",
    "provider_type",
    "country",
    "delivery_mode",
    "duration_hours",
    "audience",
    "skills",
    "url",
]
cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40
) | st.sampled_from(["", "yes", "21,5", "-1", "UK", "negotiation; x", "#REF!", "31/02/2023"])


def _csv(rows: list[list[str]], delimiter: str) -> str:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _layout(tmp_path: Path, name: str, content: bytes) -> Path:
    raw = tmp_path / "data" / "raw"
    shutil.rmtree(raw, ignore_errors=True)
    (raw / "case_studies").mkdir(parents=True)
    for reference in ("partners.csv", "skills_taxonomy.csv"):
        shutil.copy(ROOT / "data" / "raw" / reference, raw / reference)
    (raw / "case_studies" / name).write_bytes(content)
    return raw


def _assert_result(result) -> None:
    for problem in result.problems:
        assert problem.message
        assert problem.file.startswith("data/raw/")
    assert result.n_errors + result.n_warnings == len(result.problems)


PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY_SETTINGS
@given(
    headers=st.lists(st.sampled_from(HEADERS) | cell_text, min_size=1, max_size=14),
    rows=st.lists(st.lists(cell_text, max_size=16), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_random_csv_tables_give_problems_not_exceptions(
    tmp_path, headers, rows, delimiter, encoding
):
    text = _csv([headers, *rows], delimiter)
    content = text.encode(encoding, errors="replace")
    raw = _layout(tmp_path, "UNIBO.csv", content)
    _assert_result(validate_raw(raw, root=tmp_path))


@PROPERTY_SETTINGS
@given(content=st.binary(max_size=2000))
def test_random_bytes_named_csv_give_problems_not_exceptions(tmp_path, content):
    raw = _layout(tmp_path, "UNIBO.csv", content)
    _assert_result(validate_raw(raw, root=tmp_path))


@PROPERTY_SETTINGS
@given(content=st.binary(max_size=2000))
def test_random_bytes_named_xlsx_give_problems_not_exceptions(tmp_path, content):
    raw = _layout(tmp_path, "UNIBO.xlsx", b"PK\x03\x04" + content)
    result = validate_raw(raw, root=tmp_path)
    _assert_result(result)
    assert not result.ok


@PROPERTY_SETTINGS
@given(
    values=st.lists(cell_text | st.integers() | st.floats(allow_nan=True), max_size=12),
    extra_columns=st.integers(min_value=0, max_value=3000),
)
def test_random_workbooks_give_problems_not_exceptions(tmp_path, values, extra_columns):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS + [f"x{i}" for i in range(extra_columns)])
    illegal = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}
    cells = [
        "".join(ch for ch in v if ch not in illegal) if isinstance(v, str) else v for v in values
    ]
    sheet.append([v if v == v else None for v in cells])
    raw = _layout(tmp_path, "UNIBO.csv", b"")
    (raw / "case_studies" / "UNIBO.csv").unlink()
    workbook.save(raw / "case_studies" / "UNIBO.xlsx")
    _assert_result(validate_raw(raw, root=tmp_path))


def test_a_huge_cell_and_thousands_of_columns_are_reported_not_read(tmp_path):
    header = HEADERS + [f"extra_{i}" for i in range(5000)]
    row = ["x" * 200_000] + ["1"] * (len(header) - 1)
    raw = _layout(tmp_path, "UNIBO.csv", _csv([header, row], ",").encode())
    result = validate_raw(raw, root=tmp_path)
    messages = [p.message for p in result.problems]
    assert any("5010 columns; at most 200 are read" in m for m in messages), messages
