"""validate: cells parsed by their contract kind, checks across files, parts, the dictionary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ktreport import contract
from ktreport.catalog import discover_partner_files
from ktreport.contract import CASE_STUDIES, INTERVIEWS, RATINGS
from ktreport.core.problems import Problem
from ktreport.ingest.cells import parse_cell, parse_date, parse_number
from ktreport.ingest.checks import check_partner_file
from ktreport.ingest.messages import format_problems, summary_line
from ktreport.ingest.parts import part_from_json, part_to_json
from ktreport.ingest.personal_row import anonymise
from ktreport.ingest.results import FileReport, PartnerFile
from ktreport.ingest.taxonomy import load_taxonomy
from ktreport.ingest.validate import validate_raw
from ktreport.partners import dictionary

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
TAXONOMY, _ = load_taxonomy(RAW / "skills_taxonomy.csv", "skills_taxonomy.csv")
CS_HEADER = ",".join(CASE_STUDIES.column_names)
CS_ROW = (
    "UNIBO-C01,Fundamentals,PraxisAuril,kt_association,UK,in person,21,kt_professionals,"
    'yes,"negotiation; licensing",no,https://example.org,'
)
INTERVIEW_HEADER = (
    "interview_id,respondent_group,country,interview_date,years_experience,gender,"
    "skills_possessed,skills_required,skills_desirable,preferred_formats,quote,consent_to_quote"
)
INTERVIEW_ROW = (
    "UNIBO-I01,hei_kt_professional,IT,2023-03-31,8,female,communication,"
    '"negotiation; conflict resolution",alliance building,"workshops; mentoring",,no'
)


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    for reference in ("partners.csv", "skills_taxonomy.csv"):
        shutil.copy(RAW / reference, raw / reference)
    for name, text in files.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text(text, encoding="utf-8")
    return raw


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("21", 21.0),
        ("2,5", 2.5),
        ("2.5", 2.5),
        ("1 234,5", 1234.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("-3", -3.0),
        ("abc", None),
        ("21 h", None),
        ("nan", None),
        ("inf", None),
        ("", None),
        ("1 500", 1500.0),
        ("1'500", 1500.0),
        ("1,500,000", 1500000.0),
        ("1.500.000", 1500000.0),
        ("1,234,567.89", 1234567.89),
        ("0,500", 0.5),
        ("1234,567", 1234.567),
        ("1.125", 1.125),  # how a workbook's number cell 1.125 reaches the parser
        ("1 5", None),  # not groups of three: no number, rather than 15
        ("1,5,0", None),
        ("1,500", None),  # ambiguous: never 1.5 (nor a guessed 1500)
    ],
)
def test_numbers_accept_decimal_commas_and_thousands_separators(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    ("text", "decimal_comma", "readings"),
    [
        ("1,500", False, ("1500", "1.5")),
        ("-1,500", False, ("-1500", "-1.5")),
        ("12,000", True, ("12000", "12")),
        ("1.500", True, ("1500", "1,5")),
        ("1,125", False, ("1125", "1.1250")),  # "1.125" is itself ambiguous in some files
    ],
)
def test_a_thousands_separator_that_could_be_a_decimal_mark_is_refused(
    text, decimal_comma, readings
):
    parsed = parse_cell(
        CASE_STUDIES.column("duration_hours"), text, TAXONOMY, decimal_comma=decimal_comma
    )
    [(severity, message, hint)] = parsed.problems
    assert (severity, parsed.value) == ("error", None)
    thousands, decimal = readings
    assert message == (
        f"'{text}' is ambiguous: {thousands} if '{text.strip('-0123456789')}' separates "
        f"thousands, {decimal} if it is the decimal mark"
    )
    assert hint == f"write {thousands} (without a thousands separator) or {decimal}"
    # The hint's readings are themselves unambiguous in that file.
    for reading in readings:
        again = parse_cell(
            CASE_STUDIES.column("duration_hours"), reading, TAXONOMY, decimal_comma=decimal_comma
        )
        assert again.problems == [] or "greater than" in str(again.problems)


def test_a_point_before_three_digits_is_a_decimal_point_unless_the_file_writes_commas():
    column = CASE_STUDIES.column("duration_hours")
    assert parse_cell(column, "1.500", TAXONOMY).value == 1.5
    assert parse_cell(column, "1.500", TAXONOMY, decimal_comma=True).value is None
    assert parse_cell(column, "1.500,5", TAXONOMY, decimal_comma=True).value == 1500.5


@pytest.mark.parametrize(
    ("text", "plain", "named"),
    [
        ("UNIBO-C01\u200b", "UNIBO-C01", "U+200B ZERO WIDTH SPACE"),
        ("\ufeffUNIBO-C01", "UNIBO-C01", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("UNI\u2060BO-C01", "UNIBO-C01", "U+2060 WORD JOINER"),
        ("\u202eUNIBO-C01", "UNIBO-C01", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066UNIBO-C01\u2069", "UNIBO-C01", "U+2066 LEFT-TO-RIGHT ISOLATE, U+2069"),
        ("UNIBO\u200e-C01", "UNIBO-C01", "U+200E LEFT-TO-RIGHT MARK"),
        ("UNIBO-C01\u061c", "UNIBO-C01", "U+061C ARABIC LETTER MARK"),
    ],
)
def test_invisible_characters_are_removed_from_ids_with_a_warning(text, plain, named):
    parsed = parse_cell(CASE_STUDIES.column("case_id"), text, TAXONOMY)
    assert parsed.value == plain
    [(severity, message, _)] = parsed.problems
    assert severity == "warning"
    assert named in message
    assert message.endswith(f"as '{plain}'")
    assert "<U+" in message and not set(message) & set(text) - set(plain)


def test_ids_are_read_in_their_compatibility_form():
    parsed = parse_cell(INTERVIEWS.column("interview_id"), "ＵＮＩＢＯ－Ｉ０１", TAXONOMY)
    assert parsed.value == "UNIBO-I01"
    [(severity, message, _)] = parsed.problems
    assert severity == "warning" and "look-alike" in message
    assert parse_cell(INTERVIEWS.column("interview_id"), "UNIBO-I01", TAXONOMY).problems == []


def test_an_id_of_invisible_characters_only_is_refused():
    parsed = parse_cell(CASE_STUDIES.column("case_id"), "\u200b\u200b", TAXONOMY)
    assert parsed.value is None and parsed.bad


def test_a_rating_matches_the_interview_whose_id_holds_a_bidi_control(tmp_path):
    interview = INTERVIEW_ROW.replace("UNIBO-I01", "UNIBO\u202e-I01", 1)
    raw = project(
        tmp_path,
        {
            "interviews/UNIBO.csv": f"{INTERVIEW_HEADER}\n{interview}\n",
            "ratings/UNIBO.csv": "interview_id,skill,importance,proficiency\n"
            "UNIBO-I01,negotiation,5,3\nUNIBO\u202e-I01,communication,4,2\n",
        },
    )
    result = validate_raw(raw, root=tmp_path)
    where = [(p.file.split("/")[-2], p.row, p.column, p.severity) for p in result.problems]
    assert where == [
        ("interviews", 2, "interview_id", "warning"),
        ("ratings", 3, "interview_id", "warning"),
    ]
    assert result.ok


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2023-03-31", "2023-03-31"),
        ("31/03/2023", "2023-03-31"),
        ("31.03.2023", "2023-03-31"),
        ("1/4/2023", "2023-04-01"),
        ("2023-03-31 00:00:00", "2023-03-31"),
    ],
)
def test_dates_in_the_accepted_forms(text, iso):
    date, reason = parse_date(text)
    assert (date.isoformat(), reason) == (iso, "")


def test_impossible_dates_say_why():
    assert parse_date("31/02/2023") == (None, "February 2023 has no day 31")
    assert parse_date("03/31/2023") == (None, "there is no month 31")
    assert parse_date("March 2023") == (None, "not a date")


@pytest.mark.parametrize(
    ("table", "column", "text", "value"),
    [
        (CASE_STUDIES, "delivery_mode", "In-person", "in_person"),
        (CASE_STUDIES, "delivery_mode", "face to face", "in_person"),
        (CASE_STUDIES, "delivery_mode", "BLENDED", "blended"),
        (CASE_STUDIES, "provider_type", "International Organization", "international_organisation"),
        (CASE_STUDIES, "country", "Czech Republic", "CZ"),
        (CASE_STUDIES, "duration_hours", "21,5", 21.5),
        (CASE_STUDIES, "certification", "X", True),
        (CASE_STUDIES, "certification", "0", False),
        (CASE_STUDIES, "certification", "", None),
        (CASE_STUDIES, "best_practice", "", False),
        (CASE_STUDIES, "skills", "Negotiation;IP management ; ", ["negotiation", "ip_management"]),
        (INTERVIEWS, "years_experience", "8", 8),
        (INTERVIEWS, "years_experience", "8.0", 8),
        (INTERVIEWS, "gender", "prefer not to say", "undisclosed"),
        (
            INTERVIEWS,
            "preferred_formats",
            "Role play; job-shadowing",
            ["role_play", "job_shadowing"],
        ),
        (INTERVIEWS, "consent_to_quote", "", False),
        (RATINGS, "skill", "Conflict Resolution", "conflict_resolution"),
    ],
)
def test_cells_are_parsed_by_the_kind_their_column_declares(table, column, text, value):
    parsed = parse_cell(table.column(column), text, TAXONOMY)
    assert parsed.problems == []
    assert parsed.value == value


@pytest.mark.parametrize(
    ("table", "column", "text", "hint"),
    [
        (CASE_STUDIES, "provider_type", "kt asociation", "did you mean 'kt_association'?"),
        (CASE_STUDIES, "delivery_mode", "blend", "did you mean 'blended'?"),
        (INTERVIEWS, "preferred_formats", "workshop; mentorng", "did you mean 'mentoring'?"),
        # Nothing close: no guess, the message lists what is allowed.
        (CASE_STUDIES, "audience", "students", ""),
    ],
)
def test_a_misspelt_choice_suggests_the_closest_allowed_value(table, column, text, hint):
    parsed = parse_cell(table.column(column), text, TAXONOMY)
    [(severity, message, given_hint)] = parsed.problems
    assert severity == "error"
    assert "is not one of" in message
    assert given_hint == hint


def test_the_preview_says_what_was_understood_and_marks_what_was_not(tmp_path):
    path = tmp_path / "UNIBO.csv"
    path.write_text(
        CS_HEADER
        + '\nC1,P,Q,uni,Czech Republic,online,2,5,mixed,x,"negociation; licensing",,,\n'.replace(
            "2,5", '"2,5"'
        ),
        encoding="utf-8",
    )
    part = check_partner_file([path], "case_studies", "UNIBO", TAXONOMY, tmp_path)
    number, cells = part.report.preview[0]
    assert number == 2
    assert cells["country"] == ("Czech Republic", "CZ")
    assert cells["provider_type"] == ("uni", "university")
    assert cells["duration_hours"] == ("2,5", "2.5")
    assert cells["certification"] == ("x", "yes")
    assert cells["skills"] == ("negociation; licensing", "?; licensing")
    assert cells["best_practice"] == ("", "no")


def test_anonymise_masks_name_parts_and_organisation_ignoring_case():
    quote = "anna told ROSSI and Anna Rossi at Fakecorp Ltd: ask Fakecorp Ltd. Al is fine."
    assert anonymise(quote, "Anna Rossi", "Fakecorp Ltd") == (
        "[name] told [name] and [name] at [organisation]: ask [organisation]. Al is fine."
    )
    # Parts shorter than three letters are left alone (they would mask ordinary words).
    assert anonymise("Al said so", "Al Bo", "") == "Al said so"


def test_personal_columns_never_reach_the_part_or_its_preview(tmp_path):
    path = tmp_path / "UNIBO.csv"
    header = (
        "interview_id,respondent_group,country,quote,consent_to_quote,name,email,organisation,phone"
    )
    path.write_text(
        header + "\nI1,other,IT,Ask Maria Fakename at Fakecorp,yes,Maria Fakename,"
        "m@example.org,Fakecorp,+00 000\n",
        encoding="utf-8",
    )
    part = check_partner_file([path], "interviews", "UNIBO", TAXONOMY, tmp_path)
    text = part_to_json(part)
    for personal in ("Maria", "Fakename", "m@example.org", "Fakecorp", "+00 000"):
        assert personal not in text
    assert part.rows[0]["quote"] == "Ask [name] at [organisation]"
    assert part.rows[0]["has_quote"] is True


def test_a_quote_without_consent_is_not_kept(tmp_path):
    path = tmp_path / "UNIBO.csv"
    path.write_text(
        "interview_id,respondent_group,country,quote,consent_to_quote\n"
        "I1,other,IT,Something said,no\nI2,other,IT,Something else,\n",
        encoding="utf-8",
    )
    part = check_partner_file([path], "interviews", "UNIBO", TAXONOMY, tmp_path)
    assert [(r["quote"], r["has_quote"], r["consent_to_quote"]) for r in part.rows] == [
        (None, True, False),
        (None, True, False),
    ]
    assert "Something" not in part_to_json(part)


def test_a_part_survives_its_json_round_trip_byte_for_byte(tmp_path):
    raw = project(tmp_path, {"case_studies/UNIBO.csv": f"{CS_HEADER}\n{CS_ROW}\n"})
    part = check_partner_file(
        [raw / "case_studies" / "UNIBO.csv"], "case_studies", "UNIBO", TAXONOMY, tmp_path
    )
    text = part_to_json(part)
    again = part_from_json(text)
    assert isinstance(again, PartnerFile)
    assert isinstance(again.report, FileReport)
    assert part_to_json(again) == text
    assert again.report.path == "data/raw/case_studies/UNIBO.csv"


def test_partner_files_are_discovered_whatever_their_extension(tmp_path):
    raw = project(
        tmp_path,
        {
            "case_studies/UNIBO.xlsx": "",
            "case_studies/UJ.csv": "",
            "case_studies/README.md": "",
            "case_studies/~$UNIBO.xlsx": "",
            "case_studies/.hidden.csv": "",
            "interviews/NEWPARTNER.ods": "",
            "notes/UNIBO.csv": "",
        },
    )
    found = discover_partner_files(raw)
    assert list(found) == [
        ("case_studies", "UJ"),
        ("case_studies", "UNIBO"),
        ("interviews", "NEWPARTNER"),
    ]


# Two case-study files with five problems between them.
TWO_MESSY_FILES = {
    "case_studies/UNIBO.csv": f"{CS_HEADER}\n"
    + CS_ROW.replace("UK", "Atlantis").replace("21", "abc")
    + "\n",
    "case_studies/UJ.csv": f"{CS_HEADER}\n{CS_ROW.replace('in person', 'by post')}\n",
}


def test_all_problems_of_all_files_are_reported_at_once(tmp_path):
    raw = project(tmp_path, TWO_MESSY_FILES)
    result = validate_raw(raw, root=tmp_path)
    assert [p.location for p in result.problems] == [
        "data/raw/case_studies/UJ.csv:2:case_id",
        "data/raw/case_studies/UJ.csv:2:delivery_mode",
        "data/raw/case_studies/UNIBO.csv:2:case_id",
        "data/raw/case_studies/UNIBO.csv:2:country",
        "data/raw/case_studies/UNIBO.csv:2:duration_hours",
    ]
    assert not result.ok
    assert result.n_rows == 2
    assert [f.path for f in result.files] == [
        "data/raw/case_studies/UJ.csv",
        "data/raw/case_studies/UNIBO.csv",
    ]
    assert [f.n_errors for f in result.files] == [2, 3]


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="the worker is forked only on Linux with two cores",
)
def test_the_files_checked_in_a_worker_beside_the_imports_give_the_same_result(tmp_path):
    # ``ktreport validate`` checks the files in a forked worker while pandas loads
    # (core.beside); a fresh interpreter, as the command is, so that it does fork.
    raw = project(
        tmp_path,
        {
            **TWO_MESSY_FILES,
            "interviews/UNIBO.csv": f"{INTERVIEW_HEADER}\n{INTERVIEW_ROW[:-2]}yes\n",
        },
    )
    script = textwrap.dedent(
        """
        import json, os, sys
        from pathlib import Path
        import ktreport.ingest.validate as v

        real = v.check_partner_file
        def spy(*args, **kwargs):
            with open(sys.argv[3], "a") as log:
                log.write(f"{os.getpid()}\\n")
            return real(*args, **kwargs)
        v.check_partner_file = spy
        out = {"parent": os.getpid()}
        for overlap in (False, True):
            open(sys.argv[3], "w").close()
            r = v.validate_raw(Path(sys.argv[1]), root=Path(sys.argv[2]), overlap=overlap)
            out[str(overlap)] = [
                [p.line() for p in r.problems],
                [(f.path, f.n_rows, f.n_errors) for f in r.files],
                sorted(r.tables),
            ]
            out["pids " + str(overlap)] = sorted(set(map(int, open(sys.argv[3]).read().split())))
        print(json.dumps(out))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(raw), str(tmp_path), str(tmp_path / "pids")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["pids False"] == [out["parent"]]
    (worker,) = out["pids True"]
    assert worker != out["parent"]  # the files were read by the worker
    assert out["True"] == out["False"]
    problems, files, _ = out["True"]
    assert "data/raw/case_studies/UNIBO.csv:2:country" in " ".join(problems)
    assert [f[0] for f in files] == [
        "data/raw/case_studies/UJ.csv",
        "data/raw/case_studies/UNIBO.csv",
        "data/raw/interviews/UNIBO.csv",
    ]


def test_checking_one_file_reports_only_its_problems_but_checks_it_against_the_others(tmp_path):
    raw = project(
        tmp_path,
        {
            "case_studies/UNIBO.csv": f"{CS_HEADER}\n{CS_ROW.replace('UK', 'Atlantis')}\n",
            "case_studies/UJ.csv": f"{CS_HEADER}\n{CS_ROW}\n",
        },
    )
    result = validate_raw(raw, [raw / "case_studies" / "UJ.csv"], root=tmp_path)
    assert [p.line() for p in result.problems] == [
        "data/raw/case_studies/UJ.csv:2:case_id: 'UNIBO-C01' is used more than once (also in "
        "data/raw/case_studies/UNIBO.csv row 2) — each case_id must be unique across all "
        "partners: give one of them another id, e.g. starting with your partner id"
    ]
    assert [f.path for f in result.files] == ["data/raw/case_studies/UJ.csv"]


def test_a_file_from_outside_stands_in_for_the_partners_file(tmp_path):
    raw = project(tmp_path, {"case_studies/UNIBO.csv": f"{CS_HEADER}\n{CS_ROW}\n"})
    outside = tmp_path / "inbox" / "case_studies" / "UNIBO.csv"
    outside.parent.mkdir(parents=True)
    outside.write_text(f"{CS_HEADER}\n{CS_ROW}\n", encoding="utf-8")
    result = validate_raw(raw, [outside], root=tmp_path)
    assert result.problems == []  # not a duplicate of the file it replaces
    assert [f.path for f in result.files] == ["inbox/case_studies/UNIBO.csv"]


def test_problems_are_printed_grouped_by_file_with_a_summary(tmp_path):
    problems = [
        Problem("b.csv", 3, "country", "'X' is bad", "fix it"),
        Problem("a.csv", None, None, "empty", severity="warning"),
        Problem("b.csv", 2, "url", "'y' is bad"),
    ]
    assert format_problems(problems) == (
        "a.csv (0 errors, 1 warning)\n"
        "  warning: a.csv: empty\n"
        "\n"
        "b.csv (2 errors, 0 warnings)\n"
        "  error: b.csv:2:url: 'y' is bad\n"
        "  error: b.csv:3:country: 'X' is bad — fix it"
    )


def test_summary_line_counts_files_rows_errors_and_warnings(tmp_path):
    raw = project(tmp_path, {"case_studies/UNIBO.csv": f"{CS_HEADER}\n{CS_ROW}\n"})
    assert summary_line(validate_raw(raw, root=tmp_path)) == "1 file, 1 row: 0 errors, 0 warnings"


def test_every_contract_kind_is_documented_and_parsed():
    kinds = {c.kind for t in contract.PARTNER_TABLES.values() for c in t.columns}
    for table in contract.PARTNER_TABLES.values():
        for column in table.columns:
            assert dictionary.values_text(column, table)
            parse_cell(column, "", TAXONOMY)  # no kind is unknown to the parser
    assert "personal" in kinds


def test_the_committed_data_dictionary_is_the_generated_one():
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == dictionary.render_dictionary(RAW / "skills_taxonomy.csv"), (
        "docs/data-dictionary.md is out of date: run `ktreport dictionary`"
    )


# ----------------------------------------------------------------------------- the sample data

SAMPLE_FILES = sorted((RAW / "interviews").glob("*.*")) if (RAW / "interviews").is_dir() else []
needs_sample = pytest.mark.skipif(not SAMPLE_FILES, reason="no sample data in data/raw yet")


@pytest.fixture(scope="module")
def sample_result():
    return validate_raw(RAW, root=ROOT)


@needs_sample
def test_the_sample_data_validates_without_errors_or_warnings(sample_result):
    assert [p.line() for p in sample_result.problems] == []


@needs_sample
def test_the_sample_reproduces_the_published_composition(sample_result):
    tables = sample_result.tables
    assert len(tables["case_studies"]) == 30
    interviews = tables["interviews"]
    assert len(interviews) == 60
    assert interviews["respondent_group"].value_counts().to_dict() == {
        "hei_kt_professional": 24,
        "business_kt_professional": 18,
        "kt_expert": 12,
        "other": 6,
    }


# ----------------------------------------------------------------------------- the command


def test_a_missing_raw_folder_is_one_clear_problem(tmp_path):
    result = validate_raw(tmp_path / "nowhere", root=tmp_path)
    assert [p.line() for p in result.problems] == [
        "nowhere: this folder of partner data does not exist — run the command in the project "
        "folder, or name the folder with --raw-dir"
    ]


def test_a_bug_ends_in_a_short_message_and_a_log_not_a_traceback(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ktreport import cli
    from ktreport import ingest as validation

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(validation, "validate_raw", broken)
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(cli.app, ["validate"])
    assert run.exit_code == 2
    assert "Traceback" not in run.output
    assert "internal error (KeyError)" in run.output
    assert "logs/ktreport-validate.log" in run.output
    assert "Traceback" in (tmp_path / "logs" / "ktreport-validate.log").read_text()


def test_the_command_checks_only_the_paths_it_is_given(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ktreport import cli

    project(
        tmp_path,
        {
            "case_studies/UNIBO.csv": f"{CS_HEADER}\n{CS_ROW.replace('UK', 'Atlantis')}\n",
            "case_studies/UJ.csv": f"{CS_HEADER}\n{CS_ROW.replace('UNIBO-C01', 'UJ-C01')}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    clean = CliRunner().invoke(cli.app, ["validate", "data/raw/case_studies/UJ.csv"])
    assert (clean.exit_code, clean.output) == (0, "1 file, 1 row: 0 errors, 0 warnings\n")
    dirty = CliRunner().invoke(cli.app, ["validate"])
    assert dirty.exit_code == 1
    assert "data/raw/case_studies/UNIBO.csv:2:country: 'Atlantis'" in dirty.output
    assert dirty.output.endswith("2 files, 2 rows: 1 error, 0 warnings\n")


# ----------------------------------------------------------------------------- odd entries


def _odd_project(tmp_path: Path) -> Path:
    """A project whose table folders hold a link, a dangling link, a folder and a pipe."""
    raw = project(
        tmp_path, {"case_studies/UJ.csv": f"{CS_HEADER}\n{CS_ROW.replace('UNIBO', 'UJ')}\n"}
    )
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(f"{CS_HEADER}\n{CS_ROW.replace('UK', 'Atlantis')}\n", encoding="utf-8")
    (raw / "case_studies" / "UNIBO.csv").symlink_to(outside)
    (raw / "case_studies" / "UH.xlsx").symlink_to(tmp_path / "missing.xlsx")
    (raw / "interviews").mkdir()
    (raw / "interviews" / "UNIBO.xlsx").mkdir()
    os.mkfifo(raw / "interviews" / "UJ.csv")
    (raw / "interviews" / ".cache").mkdir()  # hidden: ignored, as hidden files are
    return raw


def returns(function, *args):
    """``function(*args)``, failing (not hanging) if it blocks, as reading a named pipe does.

    The call runs in a daemon thread; the timeout only ends a failure, nothing is timed.
    """
    import threading

    results = []
    thread = threading.Thread(target=lambda: results.append(function(*args)), daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert results, "the call blocked (or raised): a named pipe was opened?"
    return results[0]


ODD_LINES = [
    "data/raw/case_studies/UH.xlsx: this is a link, not a file: partner files are read only "
    "as real files inside data/raw/ — copy the file itself here, in place of the link",
    "data/raw/case_studies/UNIBO.csv: this is a link, not a file: partner files are read only "
    "as real files inside data/raw/ — copy the file itself here, in place of the link",
    "data/raw/interviews/UJ.csv: this is a named pipe (FIFO), not a partner file: it is not "
    "read — put the partner's file here instead, or remove this entry",
    "data/raw/interviews/UNIBO.xlsx: this is a folder, not a partner file: nothing in it is "
    "read — move the files it holds into the table's folder (one per partner), or remove it",
]


def test_links_folders_and_pipes_named_like_partner_files_are_errors_not_skipped(tmp_path):
    raw = _odd_project(tmp_path)
    assert list(discover_partner_files(raw)) == [("case_studies", "UJ")]
    result = returns(lambda: validate_raw(raw, root=tmp_path))
    assert [p.line() for p in result.problems] == ODD_LINES
    assert {p.severity for p in result.problems} == {"error"}
    # The link's target is not read: its Atlantis would be an error of its own.
    assert [f.path for f in result.files] == ["data/raw/case_studies/UJ.csv"]


def test_a_linked_table_folder_is_an_error(tmp_path):
    raw = project(tmp_path, {})
    real = tmp_path / "real_ratings"
    real.mkdir()
    (raw / "ratings").symlink_to(real, target_is_directory=True)
    [problem] = validate_raw(raw, root=tmp_path).problems
    assert problem.line() == (
        "data/raw/ratings: this table's folder is a link: no file in it is read — "
        "put a real folder here, holding the partner files"
    )


def test_the_combining_step_reports_odd_entries_too(tmp_path):
    from ktreport.ingest.crossfile import combine_parts

    raw = _odd_project(tmp_path)
    result = returns(combine_parts, [], raw / "partners.csv", raw / "skills_taxonomy.csv", tmp_path)
    assert [p.line() for p in result.problems] == ODD_LINES
    assert not result.ok


@pytest.mark.parametrize(
    "path",
    ["data/raw/interviews/UJ.csv", "data/raw/interviews", "data/raw/interviews/UNIBO.xlsx"],
)
def test_validate_of_a_pipe_or_a_folder_as_path_never_blocks(tmp_path, path):
    import subprocess
    import sys

    _odd_project(tmp_path)
    # A read of the pipe would wait for a writer for ever; the timeout only ends a failure.
    run = subprocess.run(
        [sys.executable, "-m", "ktreport.cli", "validate", path],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    wanted = [line.split(":")[0] for line in ODD_LINES if line.startswith(path)]
    assert wanted
    for line in ODD_LINES:
        assert (line.split(":")[0] in run.stdout) == (line.split(":")[0] in wanted), run.stdout


def test_a_named_pipe_is_not_opened_by_the_csv_reader(tmp_path):
    from ktreport.ingest.readers import read_table

    path = tmp_path / "partners.csv"  # the references are read by the same reader
    os.mkfifo(path)
    table = returns(read_table, path, "partners.csv", ("partner_id", "name"), ("partner_id",))
    assert [p.line() for p in table.problems] == [
        "partners.csv: the file is not read: it is not a regular file — "
        "put a real file in its place"
    ]


def test_the_preview_shows_invisible_characters_as_their_codes(tmp_path):
    path = tmp_path / "UNIBO.csv"
    row = CS_ROW.replace("UNIBO-C01", "UNIBO-C01\u202e")
    path.write_text(f"{CS_HEADER}\n{row}\n", encoding="utf-8")
    part = check_partner_file([path], "case_studies", "UNIBO", TAXONOMY, tmp_path)
    [(_, shown)] = part.report.preview
    assert shown["case_id"] == ("UNIBO-C01<U+202E>", "UNIBO-C01")
    assert part.rows[0]["case_id"] == "UNIBO-C01"
