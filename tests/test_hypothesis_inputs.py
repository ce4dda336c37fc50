"""No traceback, ever, on partner input (issue 6 §1): generated partner files — random cell
text, random headers, random bytes, mixed encodings, odd workbooks, odd file names, huge
cells, thousands of columns — are either valid or reported as problems; ``validate_raw``
never raises, the partners' HTML validation report is always written, and the
``ktreport validate`` command exits 0 or 1 with a summary and no traceback.

Workbooks with extreme extents (issue 17) — a value, a space or formatting far down and
right, any declared dimension, .ods rows and cells repeated up to millions of times — are
read or refused without an abort inside python-calamine: such an abort ends this test run.

Every property runs with a fixed seed (``derandomize=True``): CI sees the same examples on
every run. The examples add up to ``TOTAL_EXAMPLES`` (at least 500)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from project_builds import environment
from test_bounded_reading import ods_cell, ods_row, ods_table, write_ods, write_xlsx

from conftest import RAW, ROOT
from ktreport.catalog import SUPPORTED_EXTENSIONS
from ktreport.contract import PARTNER_TABLES
from ktreport.core.problems import Problem
from ktreport.ingest import extent, readers
from ktreport.ingest.messages import format_problems, summary_line
from ktreport.ingest.results import ValidationResult
from ktreport.ingest.validate import validate_raw
from ktreport.partners.validation_report import write_html

EXAMPLES = {
    "cells": 150,
    "text_files": 100,
    "headers": 100,
    "bytes": 120,
    "encodings": 60,
    "workbooks": 60,
    "file_names": 40,
    "huge_cells": 12,
    "many_columns": 12,
    "extreme_extents": 40,
}
TOTAL_EXAMPLES = sum(EXAMPLES.values())
TABLES = sorted(PARTNER_TABLES)
PARTNERS = ("UH", "UNIBO", "NOT_A_PARTNER")


def _settings(name: str):
    return settings(
        max_examples=EXAMPLES[name],
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# Any character a file can hold (surrogates cannot be encoded, NUL is tested via bytes).
any_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)
cell_text = st.one_of(
    any_text,
    st.sampled_from(
        [
            "",
            " ",
            '"',
            '""',
            ";",
            ",",
            "\n",
            "\r\n",
            "=1/0",
            "#REF!",
            "NaN",
            "1e309",
            "-0",
            "9" * 40,
            "31/02/2023",
            "yes;no",
            "\ufeff",
            "\u202e",
            "<script>",
        ]
    ),
)


def _raw_dir(base: Path) -> Path:
    raw = base / "raw"
    raw.mkdir()
    for name in ("partners.csv", "skills_taxonomy.csv"):
        shutil.copy(RAW / name, raw / name)
    return raw


def _partner_file(raw: Path, table: str, partner: str, suffix: str) -> Path:
    folder = raw / table
    folder.mkdir(exist_ok=True)
    return folder / f"{partner}{suffix}"


def _check(raw: Path, base: Path) -> ValidationResult:
    """The property every generated input must satisfy."""
    result = validate_raw(raw, root=base)
    assert isinstance(result, ValidationResult)
    for problem in result.problems:
        assert isinstance(problem, Problem)
        assert problem.file and problem.message.strip()
        assert problem.severity in ("error", "warning")
        assert problem.row is None or (isinstance(problem.row, int) and problem.row >= 1)
        assert "Traceback" not in problem.message
    assert result.ok == (result.n_errors == 0)
    assert summary_line(result)
    format_problems(result.problems)
    write_html(result, base / "validation_report.html")
    assert (
        (base / "validation_report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    )
    return result


def _csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


# --------------------------------------------------------------------------- text and tables
@st.composite
def contract_tables(draw):
    """A table with some of its contract's columns (in any order) and random cells."""
    table = draw(st.sampled_from(TABLES))
    columns = list(PARTNER_TABLES[table].column_names)
    header = draw(st.lists(st.sampled_from(columns), min_size=1, max_size=len(columns)))
    rows = draw(st.lists(st.lists(cell_text, min_size=0, max_size=len(header) + 2), max_size=8))
    return table, [header, *rows]


@_settings("cells")
@given(
    table=contract_tables(),
    partner=st.sampled_from(PARTNERS),
    delimiter=st.sampled_from([",", ";"]),
)
def test_random_cells_under_contract_headers_give_problems_not_exceptions(
    table, partner, delimiter
):
    name, rows = table
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        raw = _raw_dir(base)
        path = _partner_file(raw, name, partner, ".csv")
        path.write_text(_csv_text(rows, delimiter), encoding="utf-8")
        _check(raw, base)


@_settings("text_files")
@given(
    table=st.sampled_from(TABLES),
    content=st.text(
        alphabet=st.sampled_from(list('ab1;,"\n\r \t\x0b\x0c\u00e9\u2028#=')), max_size=400
    ),
)
def test_random_text_in_a_csv_file_gives_problems_not_exceptions(table, content):
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        raw = _raw_dir(base)
        header = ",".join(PARTNER_TABLES[table].required_columns)
        _partner_file(raw, table, "UH", ".csv").write_text(
            header + "\n" + content, encoding="utf-8"
        )
        _check(raw, base)


@_settings("headers")
@given(
    table=st.sampled_from(TABLES),
    header=st.lists(any_text, min_size=0, max_size=25),
    rows=st.lists(st.lists(any_text, max_size=25), max_size=5),
    title_rows=st.integers(min_value=0, max_value=35),
)
def test_random_headers_give_problems_not_exceptions(table, header, rows, title_rows):
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        raw = _raw_dir(base)
        grid = [["title"]] * title_rows + [header, *rows]
        _partner_file(raw, table, "UH", ".csv").write_text(_csv_text(grid), encoding="utf-8")
        _check(raw, base)


# --------------------------------------------------------------------------- bytes and encodings
@_settings("bytes")
@given(
    table=st.sampled_from(TABLES),
    suffix=st.sampled_from([".csv", ".xlsx", ".ods", ".xls", ".txt", ""]),
    content=st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),  # a broken zip
        st.binary(max_size=500).map(lambda b: b"\xd0\xcf\x11\xe0" + b),  # a broken .xls
        st.binary(max_size=500).map(lambda b: b"\xef\xbb\xbf" + b),  # BOM, then anything
        st.binary(max_size=500).map(lambda b: b"\xff\xfe" + b),  # UTF-16 BOM
    ),
)
def test_random_bytes_give_problems_not_exceptions(table, suffix, content):
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        raw = _raw_dir(base)
        _partner_file(raw, table, "UH", suffix).write_bytes(content)
        result = _check(raw, base)
        if suffix not in SUPPORTED_EXTENSIONS:
            assert not result.ok


ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "cp1250")


@_settings("encodings")
@given(
    lines=st.lists(
        st.tuples(st.lists(cell_text, min_size=1, max_size=6), st.sampled_from(ENCODINGS)),
        min_size=1,
        max_size=6,
    )
)
def test_lines_in_mixed_encodings_give_problems_not_exceptions(lines):
    """A file merged from several partners' exports: each line in its own encoding."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        raw = _raw_dir(base)
        header = ",".join(PARTNER_TABLES["interviews"].column_names) + "\n"
        data = header.encode("utf-8")
        for cells, encoding in lines:
            data += _csv_text([cells]).encode(encoding, errors="replace")
        _partner_file(raw, "interviews", "UH", ".csv").write_bytes(data)
        _check(raw, base)


# --------------------------------------------------------------------------- workbooks
workbook_value = st.one_of(
    cell_text.filter(lambda t: not any(0 < ord(c) < 32 and c not in "\t\n\r" for c in t)),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["=1/0", "=NA()", "=A1", "=SUM(A:A)", '="x"&"y"', "#N/A"]),
    st.none(),
)


@_settings("workbooks")
@given(
    table=st.sampled_from(TABLES),
    use_contract_header=st.booleans(),
    values=st.lists(st.lists(workbook_value, max_size=8), max_size=6),
    sheet_title=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="[]:*?/\\'"),
        min_size=1,
        max_size=31,
    ),
    hidden_first=st.booleans(),
    merge=st.booleans(),
)
def test_odd_workbooks_give_problems_not_exceptions(
    table, use_contract_header, values, sheet_title, hidden_first, merge
):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    if use_contract_header:
        sheet.append(list(PARTNER_TABLES[table].column_names))
    for row in values:
        sheet.append(row)
    if merge:
        sheet.merge_cells("A2:C4")
    if hidden_first:
        workbook.create_sheet("visible")
        sheet.sheet_state = "hidden"
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        raw = _raw_dir(base)
        workbook.save(_partner_file(raw, table, "UH", ".xlsx"))
        _check(raw, base)


# --------------------------------------------------------------------------- names and limits
@_settings("file_names")
@given(
    stem=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
        min_size=1,
        max_size=30,
    ).filter(lambda s: s not in (".", "..") and len(s.encode()) < 200),
    table=st.sampled_from(TABLES),
)
def test_any_file_name_gives_problems_not_exceptions(stem, table):
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        raw = _raw_dir(base)
        header = ",".join(PARTNER_TABLES[table].required_columns)
        _partner_file(raw, table, stem, ".csv").write_text(header + "\nx,y,z\n", "utf-8")
        _check(raw, base)


@_settings("huge_cells")
@given(
    length=st.integers(min_value=readers.MAX_CELL_CHARS - 5, max_value=readers.MAX_CELL_CHARS * 30),
    column=st.sampled_from(["quote", "interview_id", "skills_required", "name"]),
)
def test_a_cell_longer_than_the_limit_is_an_error_at_its_row_and_column(length, column):
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        raw = _raw_dir(base)
        header = ["interview_id", "respondent_group", "country", column]
        if column == "interview_id":
            header = header[:3]
        row = {"interview_id": "UH-1", "respondent_group": "kt_expert", "country": "FI"}
        row[column] = "ä" * length
        cells = [row[name] for name in header]
        path = _partner_file(raw, "interviews", "UH", ".csv")
        path.write_text(_csv_text([header, cells]), encoding="utf-8")
        result = _check(raw, base)
        too_long = [p for p in result.problems if "characters; at most" in p.message]
        if length > readers.MAX_CELL_CHARS:
            assert [(p.row, p.column, p.severity) for p in too_long] == [(2, column, "error")]
            assert all(len(p.value) <= readers.MAX_CELL_CHARS for p in result.problems)
        else:
            assert too_long == []


@_settings("many_columns")
@given(n_columns=st.integers(min_value=readers.MAX_COLUMNS - 3, max_value=5000))
def test_thousands_of_columns_are_an_error_not_a_crash(n_columns):
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        raw = _raw_dir(base)
        header = ["interview_id", "respondent_group", "country"]
        header += [f"extra_{i}" for i in range(n_columns - len(header))]
        row = ["UH-1", "kt_expert", "FI"] + ["x"] * (n_columns - 3)
        path = _partner_file(raw, "interviews", "UH", ".csv")
        path.write_text(_csv_text([header, row]), encoding="utf-8")
        result = _check(raw, base)
        wide = [p for p in result.problems if "columns; at most" in p.message]
        assert bool(wide) == (n_columns > readers.MAX_COLUMNS)


far_cell = st.tuples(
    st.integers(min_value=1, max_value=1_048_576), st.integers(min_value=1, max_value=16_384)
)


@st.composite
def extreme_workbooks(draw):
    """(suffix, writer): a small .xlsx or .ods whose declared or real extent may be huge."""
    if draw(st.booleans()):
        cells = draw(
            st.lists(st.tuples(far_cell, st.sampled_from(["v", " ", "styled"])), max_size=3)
        )
        rows = "".join(
            f'<row r="{row}"><c r="{readers.column_letter(col - 1)}{row}" s="0"/></row>'
            if kind == "styled"
            else f'<row r="{row}"><c r="{readers.column_letter(col - 1)}{row}" '
            f't="inlineStr"><is><t>{kind}</t></is></c></row>'
            for (row, col), kind in sorted(cells)
        )
        declared_row, declared_col = draw(far_cell)
        dimension = f"A1:{readers.column_letter(declared_col - 1)}{declared_row}"
        valued = [(1, 3)] + [cell for cell, kind in cells if kind != "styled"]
        corner = max(row for row, _ in valued) * max(col for _, col in valued)
        return (
            ".xlsx",
            lambda path: write_xlsx(path, _xlsx_rows() + rows, dimension=dimension),
            corner > extent.MAX_SHEET_CELLS,
        )
    repeats = st.integers(min_value=1, max_value=2_000_000)
    extra = draw(
        st.lists(
            st.tuples(repeats, st.integers(min_value=1, max_value=20_000), st.booleans()),
            max_size=3,
        )
    )
    rows = "".join(
        ods_row(
            ods_cell("x", cols)
            if content
            else f'<table:table-cell table:number-columns-repeated="{cols}"/>',
            reps,
        )
        for reps, cols, content in extra
    )
    last_row, last_col, row = 2, 3, 2
    for reps, cols, content in extra:
        row += reps
        if content:
            last_row, last_col = row, max(last_col, cols)
    too_far = last_row * last_col > extent.MAX_SHEET_CELLS
    return ".ods", lambda path: write_ods(path, ods_table(rows)), too_far


def _xlsx_rows() -> str:
    header = "".join(
        f'<c r="{c}1" t="inlineStr"><is><t>{v}</t></is></c>'
        for c, v in zip("ABC", ("interview_id", "respondent_group", "country"), strict=True)
    )
    return f'<row r="1">{header}</row>'


@_settings("extreme_extents")
@given(workbook=extreme_workbooks())
def test_workbooks_with_extreme_extents_are_read_or_refused_never_an_abort(workbook):
    suffix, write, too_far = workbook
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        raw = _raw_dir(base)
        path = write(_partner_file(raw, "interviews", "UH", suffix))
        assert path.stat().st_size < 100_000
        result = _check(raw, base)
        mine = [p for p in result.problems if p.file.endswith(f"interviews/UH{suffix}")]
        refused = [p for p in mine if "reaches cell" in p.message]
        assert [(p.row, p.column, p.severity) for p in refused] == (
            [(None, None, "error")] if too_far else []
        )
        if too_far:
            assert "sheet 'interviews'" in refused[0].message
            assert mine == refused  # nothing else is read from that file


def test_the_properties_run_at_least_500_examples():
    assert TOTAL_EXAMPLES >= 500


# --------------------------------------------------------------------------- the command
def _nasty_inputs(raw: Path) -> dict[str, Path]:
    """A few of the inputs above, written for the command line."""
    files = {}
    files["bytes.xlsx"] = _partner_file(raw, "case_studies", "UH", ".xlsx")
    files["bytes.xlsx"].write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    header = ["interview_id", "respondent_group", "country"] + [f"c{i}" for i in range(3000)]
    files["wide.csv"] = _partner_file(raw, "interviews", "UH", ".csv")
    files["wide.csv"].write_text(_csv_text([header, ["UH-1", "kt_expert", "FI"]]), "utf-8")
    files["mixed.csv"] = _partner_file(raw, "interviews", "UJ", ".csv")
    files["mixed.csv"].write_bytes(
        b"interview_id,respondent_group,country,quote\n"
        + "UJ-1,kt_expert,PL,Łódź\n".encode("cp1250")
        + "UJ-2,kt_expert,PL,Zürich\n".encode("utf-16")
    )
    files["huge.csv"] = _partner_file(raw, "ratings", "UH", ".csv")
    files["huge.csv"].write_text(
        "interview_id,skill,importance,proficiency\nUH-1,negotiation,5," + "9" * 500_000 + "\n",
        encoding="utf-8",
    )
    return files


@pytest.mark.parametrize("with_html", [False, True])
def test_the_validate_command_exits_0_or_1_with_a_summary_and_no_traceback(tmp_path, with_html):
    raw = _raw_dir(tmp_path)
    _nasty_inputs(raw)
    command = [sys.executable, "-m", "ktreport.cli", "validate", "--raw-dir", str(raw)]
    if with_html:
        command += ["--html", str(tmp_path / "report.html")]
    result = subprocess.run(
        command, cwd=tmp_path, env=environment(ROOT), capture_output=True, text=True, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert "errors" in result.stdout.splitlines()[-1 if not with_html else -2]
    for name in ("case_studies/UH.xlsx", "interviews/UH.csv", "ratings/UH.csv"):
        assert name in result.stdout
    if with_html:
        assert (tmp_path / "report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
