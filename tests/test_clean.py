"""clean and the ingest rules: tidy, deterministic tables with no personal data; raw untouched."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ktreport.contract import PROCESSED_KEYS, PROCESSED_TABLES
from ktreport.ingest.tables import duration_class, format_value, write_processed
from ktreport.ingest.validate import validate_raw

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
BAD_INPUTS = ROOT / "tests" / "fixtures" / "bad_inputs"
HAS_SAMPLE = any((RAW / "interviews").glob("*.*")) if (RAW / "interviews").is_dir() else False

CS_HEADER = (
    "case_id,programme,provider,provider_type,country,delivery_mode,duration_hours,audience,"
    "certification,skills,best_practice,url,notes"
)
IV_HEADER = (
    "interview_id,respondent_group,country,interview_date,years_experience,gender,"
    "skills_possessed,skills_required,skills_desirable,preferred_formats,quote,"
    "consent_to_quote,name,email,organisation,phone"
)
PERSONAL = {
    "name": "Maria Fakename",
    "email": "maria.fakename@example.org",
    "organisation": "Fakecorp Institute",
    "phone": "+39 000 111 2222",
}


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    for reference in ("partners.csv", "skills_taxonomy.csv"):
        shutil.copy(RAW / reference, raw / reference)
    for name, text in files.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text(text, encoding="utf-8")
    return raw


def small_project(tmp_path: Path) -> Path:
    personal = ",".join(PERSONAL.values())
    return project(
        tmp_path,
        {
            "case_studies/UNIBO.csv": CS_HEADER
            + '\nUNIBO-C02,Winter school,Netval,kt_association,Italia,blended,"21,5",'
            'mixed,,"licensing; Negotiation; negotiating",,,"a note, with a comma"\n'
            "UNIBO-C01,Fundamentals,PraxisAuril,kt_association,UK,in person,21.0,"
            "kt_professionals,yes,negotiation,x,https://example.org,\n",
            "interviews/UNIBO.csv": IV_HEADER
            + "\nUNIBO-I02,kt expert,IT,31/03/2023,8,f,communication,negotiation,"
            f"alliance building,workshops,Maria Fakename of Fakecorp Institute: ask maria.,yes,"
            f"{personal}\n"
            "UNIBO-I01,other,Polska,,,,,,,,Said without consent,no,Jan Fakeski,j@example.org,"
            "Fake Uni,+48 000\n",
            "ratings/UNIBO.csv": "interview_id,skill,importance,proficiency\n"
            "UNIBO-I02,negotiation,5,2\nUNIBO-I01,Conflict resolution,4,1\n",
        },
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture
def written(tmp_path):
    raw = small_project(tmp_path)
    result = validate_raw(raw, root=tmp_path)
    assert [p.line() for p in result.problems] == [
        "data/raw/case_studies/UNIBO.csv:2:skills: 'negotiating' names negotiation, which is "
        "already listed; counted once"
    ]
    out = tmp_path / "data" / "processed"
    write_processed(result.tables, out, result.problems)
    return out


def test_every_processed_table_is_written_with_the_contract_columns(written):
    for name, columns in PROCESSED_TABLES.items():
        text = (written / f"{name}.csv").read_text(encoding="utf-8")
        assert text.splitlines()[0] == ",".join(columns)
    assert (
        (written / "problems.csv")
        .read_text(encoding="utf-8")
        .startswith("file,row,column,message,hint,severity,value\n")
    )


def test_rows_are_sorted_by_the_key_columns(written):
    for name, keys in PROCESSED_KEYS.items():
        rows = read_csv(written / f"{name}.csv")
        assert rows == sorted(rows, key=lambda r: tuple(r[k] for k in keys)), name


def test_values_are_typed_and_formatted_once_and_for_all(written):
    cases = read_csv(written / "case_studies.csv")
    assert [(c["case_id"], c["duration_hours"], c["duration_class"]) for c in cases] == [
        ("UNIBO-C01", "21", "2–5 days (9–40 h)"),
        ("UNIBO-C02", "21.5", "2–5 days (9–40 h)"),
    ]
    assert [(c["certification"], c["best_practice"]) for c in cases] == [
        ("true", "true"),
        ("", "false"),
    ]
    assert [(c["country"], c["country_name"], c["region"]) for c in cases] == [
        ("GB", "United Kingdom", "Europe"),
        ("IT", "Italy", "Europe"),
    ]
    assert cases[1]["notes"] == "a note, with a comma"
    interviews = read_csv(written / "interviews.csv")
    assert [
        (i["interview_id"], i["interview_date"], i["years_experience"], i["gender"])
        for i in interviews
    ] == [("UNIBO-I01", "", "", ""), ("UNIBO-I02", "2023-03-31", "8", "female")]
    skills = read_csv(written / "case_study_skills.csv")
    assert [(s["case_id"], s["skill_id"]) for s in skills] == [
        ("UNIBO-C01", "negotiation"),
        ("UNIBO-C02", "licensing"),
        ("UNIBO-C02", "negotiation"),  # listed twice in the cell, counted once
    ]
    assert read_csv(written / "interview_skills.csv") == [
        {"interview_id": "UNIBO-I02", "skill_id": "alliance_building", "dimension": "desirable"},
        {"interview_id": "UNIBO-I02", "skill_id": "communication", "dimension": "possessed"},
        {"interview_id": "UNIBO-I02", "skill_id": "negotiation", "dimension": "required"},
    ]
    assert read_csv(written / "ratings.csv") == [
        {
            "interview_id": "UNIBO-I01",
            "skill_id": "conflict_resolution",
            "importance": "4",
            "proficiency": "1",
        },
        {
            "interview_id": "UNIBO-I02",
            "skill_id": "negotiation",
            "importance": "5",
            "proficiency": "2",
        },
    ]


def test_files_are_utf8_with_unix_line_ends(written):
    for path in written.glob("*.csv"):
        data = path.read_bytes()
        assert b"\r\n" not in data
        data.decode("utf-8")


def test_only_consented_quotes_are_exported_and_anonymised(written):
    assert read_csv(written / "quotes.csv") == [
        {
            "interview_id": "UNIBO-I02",
            "respondent_group": "kt_expert",
            "country": "IT",
            "quote": "[name] of [organisation]: ask [name].",
        }
    ]
    interviews = read_csv(written / "interviews.csv")
    assert [(i["has_quote"], i["consent_to_quote"]) for i in interviews] == [
        ("true", "false"),
        ("true", "true"),
    ]


def test_personal_data_reaches_no_processed_table(written):
    personal_columns = {"name", "email", "organisation", "phone"}
    everything = ""
    for path in sorted(written.glob("*.csv")):
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        if path.stem not in ("partners", "skills", "problems"):  # names of organisations
            assert not personal_columns & set(header), path.name
        everything += path.read_text(encoding="utf-8")
    for value in [*PERSONAL.values(), "Maria", "Fakename", "Jan Fakeski", "j@example.org"]:
        assert value not in everything
    assert "Said without consent" not in everything


def test_two_runs_write_the_same_bytes(tmp_path):
    outputs = []
    for run in ("first", "second"):
        raw = small_project(tmp_path / run)
        result = validate_raw(raw, root=tmp_path / run)
        out = tmp_path / run / "processed"
        write_processed(result.tables, out, result.problems)
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]


def test_number_and_boolean_formats_do_not_flap():
    import pandas as pd

    assert format_value(21.0) == "21"
    assert format_value(21) == "21"
    assert format_value(2.50) == "2.5"
    assert format_value(1 / 3) == "0.333333"
    assert format_value(True) == "true"
    assert format_value(pd.NA) == ""
    assert format_value(None) == ""
    assert format_value(float("nan")) == ""


@pytest.mark.parametrize(
    ("hours", "label"),
    [
        (None, "not stated"),
        (8, "up to 1 day (≤ 8 h)"),
        (8.5, "2–5 days (9–40 h)"),
        (40, "2–5 days (9–40 h)"),
        (120, "1–3 weeks (41–120 h)"),
        (500, "longer (> 120 h)"),
    ],
)
def test_duration_classes(hours, label):
    assert duration_class(hours) == label


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.skipif(not HAS_SAMPLE, reason="no sample data in data/raw yet")
def test_raw_files_are_byte_identical_after_validation_and_cleaning(tmp_path):
    before = _fingerprint(RAW)
    result = validate_raw(RAW, root=ROOT)
    write_processed(result.tables, tmp_path / "processed", result.problems)
    assert _fingerprint(RAW) == before


@pytest.mark.skipif(not HAS_SAMPLE, reason="no sample data in data/raw yet")
def test_no_personal_value_of_the_sample_reaches_a_processed_table(tmp_path):
    from ktreport.ingest.readers import read_table

    personal = ("name", "email", "organisation", "phone")
    personal_values = set()
    for path in sorted((RAW / "interviews").iterdir()):
        table = read_table(path, path.name, personal, (), sheet_name="interviews")
        for row in table.rows:
            personal_values.update(row.cells[c] for c in personal if len(row.cells.get(c, "")) >= 4)
    assert personal_values, "the sample has personal columns filled with fake values"
    result = validate_raw(RAW, root=ROOT)
    write_processed(result.tables, tmp_path, result.problems)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.csv")))
    assert sorted(v for v in personal_values if v in text) == []


# ----------------------------------------------------------------------------- the rules

SNAKEFILE = f"""
configfile: "{ROOT / "config.yaml"}"
include: "{ROOT / "workflow" / "rules" / "common.smk"}"
include: "{ROOT / "workflow" / "rules" / "ingest.smk"}"
"""


def snakemake(project: Path, *args: str) -> subprocess.CompletedProcess:
    (project / "Snakefile").write_text(SNAKEFILE, encoding="utf-8")
    return subprocess.run(
        [str(Path(sys.executable).parent / "snakemake"), "--cores", "2", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_ingest_rules_write_what_the_library_writes_and_rebuild_only_a_changed_file(
    tmp_path,
):
    raw = small_project(tmp_path)
    run = snakemake(tmp_path, "data/processed/interviews.csv")
    assert run.returncode == 0, run.stderr
    processed = tmp_path / "data" / "processed"
    bundles = sorted(p.name for p in (processed / "parts").glob("*.json"))
    assert bundles == ["case_studies.json", "interviews.json", "ratings.json"]
    assert (tmp_path / "logs" / "combine_tables.log").exists()
    expected = tmp_path / "expected"
    result = validate_raw(raw, root=tmp_path)
    write_processed(result.tables, expected, result.problems)
    for path in sorted(expected.iterdir()):
        assert (processed / path.name).read_bytes() == path.read_bytes(), path.name

    # A changed ratings file re-runs its own table's step and the combination, nothing else.
    ratings = raw / "ratings" / "UNIBO.csv"
    ratings.write_text(ratings.read_text(encoding="utf-8") + "UNIBO-I02,licensing,3,3\n")
    dry = snakemake(tmp_path, "-n", "data/processed/interviews.csv")
    jobs = " ".join((dry.stdout + dry.stderr).split())
    assert "clean_table 1 combine_tables 1 total 2" in jobs, jobs
    assert "wildcards: table=ratings" in jobs


def test_the_ingest_rules_stop_on_errors_and_print_them_all(tmp_path):
    raw = small_project(tmp_path)
    path = raw / "case_studies" / "UNIBO.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Italia", "Atlantis"))
    run = snakemake(tmp_path, "data/processed/interviews.csv")
    assert run.returncode != 0
    assert (
        "data/raw/case_studies/UNIBO.csv:2:country: 'Atlantis' is not a country name or ISO code"
        in run.stderr
    )
    assert "Traceback" not in (tmp_path / "logs" / "combine_tables.log").read_text()
    assert not (tmp_path / "data" / "processed" / "interviews.csv").exists()


def test_a_link_a_folder_or_a_pipe_among_the_partner_files_stops_the_built_rules(tmp_path):
    raw = small_project(tmp_path)
    assert snakemake(tmp_path, "data/processed/interviews.csv").returncode == 0
    # Up to date, then odd entries appear: only the params of combine_tables change.
    (raw / "interviews" / "UH.csv").symlink_to(raw / "interviews" / "UNIBO.csv")
    (raw / "ratings" / "UJ.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    (raw / "case_studies" / "UH.csv").mkdir()
    os.mkfifo(raw / "case_studies" / "UJ.csv")
    run = snakemake(tmp_path, "data/processed/interviews.csv")
    assert run.returncode != 0
    for line in (
        "data/raw/case_studies/UH.csv: this is a folder, not a partner file",
        "data/raw/case_studies/UJ.csv: this is a named pipe (FIFO), not a partner file",
        "data/raw/interviews/UH.csv: this is a link, not a file",
        "data/raw/ratings/UJ.xlsx: this is a link, not a file",
    ):
        assert line in run.stderr, run.stderr
    assert "Traceback" not in (tmp_path / "logs" / "combine_tables.log").read_text()
