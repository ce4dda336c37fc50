"""The SAMPLE data of data/raw/ and the synthetic-data generator (ktreport.tools.synth*).

The sample is read here directly, the way a partner's files are (pandas, openpyxl), not through
the pipeline's readers: these tests pin down what the files contain, so that the pipeline's own
tests can rely on it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pycountry
import pytest
from typer.testing import CliRunner

from ktreport import contract
from ktreport.cli import app
from ktreport.tools import synth

PARTNERS = ("ASTP", "NETVAL", "SOPU", "UH", "UJ", "UNIBO")
TABLES = ("case_studies", "interviews", "ratings")
# Short and local country names the contract accepts beyond pycountry's names and codes.
COUNTRY_ALIASES = {"uk": "GB", "deutschland": "DE"}
# Regions of the countries the sample and the synthetic data use.
REGIONS = {
    "Europe": (
        "AT", "BE", "BG", "CH", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR",
        "HU", "IE", "IT", "LT", "LU", "LV", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
    ),
    "Americas": ("BR", "CA", "CL", "MX", "US"),
    "Asia": ("CN", "IL", "IN", "JP", "SG"),
    "Africa": ("KE", "ZA", "ZW"),
    "Oceania": ("AU", "NZ"),
}  # fmt: skip
REGION_OF = {country: region for region, codes in REGIONS.items() for country in codes}
SOFT_SKILLS_IN_DEMAND = (
    "negotiation",
    "conflict_resolution",
    "alliance_building",
    "influencing",
    "stakeholder_engagement",
)


# --------------------------------------------------------------------------- reading


def fold(text: str) -> str:
    """Lower case, no accents, punctuation and spaces -> one space (how matching works)."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", plain.lower()).strip()


def text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def csv_delimiter(path: Path) -> str:
    header = path.read_bytes().decode("utf-8-sig").splitlines()[0]
    return max((",", ";"), key=lambda d: len(next(csv.reader([header], delimiter=d))))


def read_raw(path: Path) -> pd.DataFrame:
    """A partner file as a frame: headers as the contract names them, cells as stored
    (spreadsheet dates stay dates, numbers stay numbers)."""
    if path.suffix == ".csv":
        frame = pd.read_csv(
            io.StringIO(path.read_bytes().decode("utf-8-sig")),
            sep=csv_delimiter(path),
            dtype=str,
            keep_default_na=False,
        )
    elif path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        frame = pd.DataFrame(rows, columns=header, dtype=object)
    else:
        frame = pd.read_excel(path, engine="odf", sheet_name=0, dtype=object)
    frame.columns = [fold(str(c)).replace(" ", "_") for c in frame.columns]
    frame.insert(0, "partner", path.stem)
    return frame


def read_tables(raw_dir: Path) -> dict[str, pd.DataFrame]:
    return {
        name: pd.concat(
            [read_raw(p) for p in sorted((raw_dir / name).iterdir())], ignore_index=True
        )
        for name in TABLES
    }


def taxonomy_index(raw_dir: Path) -> dict[str, str]:
    index = {}
    with (raw_dir / "skills_taxonomy.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for spelling in [row["skill_id"], row["label"], *row["synonyms"].split(";")]:
                index[fold(spelling)] = row["skill_id"]
    return index


def categories(raw_dir: Path) -> dict[str, str]:
    with (raw_dir / "skills_taxonomy.csv").open(encoding="utf-8") as handle:
        return {row["skill_id"]: row["category"] for row in csv.DictReader(handle)}


def split(cell: object) -> list[str]:
    return [part.strip() for part in text(cell).split(";") if part.strip()]


def country_code(value: str) -> str:
    if fold(value) in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[fold(value)]
    return pycountry.countries.lookup(value).alpha_2


def enum_value(column: contract.Column, value: str) -> str | None:
    """The allowed value a cell stands for under the contract's rule, None when none."""
    squeezed = re.sub(r"[\s_-]+", "", value.lower())
    for allowed in column.allowed:
        if squeezed == allowed.replace("_", ""):
            return allowed
    return column.aliases.get(" ".join(value.lower().split()))


def group_of(value: str) -> str | None:
    return enum_value(contract.INTERVIEWS.column("respondent_group"), text(value))


@pytest.fixture(scope="module")
def tables(raw_dir: Path) -> dict[str, pd.DataFrame]:
    return read_tables(raw_dir)


@pytest.fixture(scope="module")
def skill_of(raw_dir: Path) -> dict[str, str]:
    return taxonomy_index(raw_dir)


def mentions(frame: pd.DataFrame, column: str, skill_of: dict[str, str]) -> Counter:
    """How many rows name each skill in ``column``."""
    return Counter(s for cell in frame[column] for s in {skill_of[fold(x)] for x in split(cell)})


# --------------------------------------------------------------------------- the files


def sample_files(raw_dir: Path) -> dict[str, bytes]:
    names = ["README.md", "partners.csv", "skills_taxonomy.csv"]
    names += [f"{t}/{p.name}" for t in TABLES for p in sorted((raw_dir / t).iterdir())]
    return {name: (raw_dir / name).read_bytes() for name in names}


def test_committed_sample_is_exactly_what_write_sample_writes(raw_dir, tmp_path):
    synth.write_sample(tmp_path)
    committed, written = sample_files(raw_dir), sample_files(tmp_path)
    assert sorted(written) == sorted(committed)
    changed = [name for name in committed if committed[name] != written[name]]
    details = [_zip_difference(committed[name], written[name]) for name in changed]
    assert changed == [], (
        f"regenerate with: ktreport synth --sample --out data/raw --force; {details}"
    )


def _zip_difference(old: bytes, new: bytes) -> str:
    """Which members of two spreadsheet archives differ, and where (for a failing test)."""
    if not (old.startswith(b"PK") and new.startswith(b"PK")):
        return "not a zip archive"
    with zipfile.ZipFile(io.BytesIO(old)) as a, zipfile.ZipFile(io.BytesIO(new)) as b:
        names = sorted(set(a.namelist()) | set(b.namelist()))
        out = []
        for name in names:
            x = a.read(name) if name in a.namelist() else b""
            y = b.read(name) if name in b.namelist() else b""
            if x != y:
                at = next((i for i, (c, d) in enumerate(zip(x, y, strict=False)) if c != d), None)
                at = min(len(x), len(y)) if at is None else at
                window = slice(max(0, at - 60), at + 60)
                out.append(f"{name}@{at}: {x[window]!r} vs {y[window]!r}")
        return "; ".join(out) or "archives differ only in their zip headers"


def test_write_sample_twice_gives_identical_bytes(tmp_path):
    synth.write_sample(tmp_path / "first")
    synth.write_sample(tmp_path / "second")
    assert sample_files(tmp_path / "first") == sample_files(tmp_path / "second")


def test_spreadsheets_say_they_are_sample_data_and_carry_fixed_dates(raw_dir):
    workbooks = sorted(raw_dir.glob("*/*.xlsx"))
    assert len(workbooks) >= 4
    for path in workbooks:
        properties = openpyxl.load_workbook(path, read_only=True).properties
        assert properties.title == "KT SoftSkills SAMPLE DATA", path
        assert properties.created == properties.modified == dt.datetime(2023, 1, 1), path
        with zipfile.ZipFile(path) as archive:
            assert {i.date_time for i in archive.infolist()} == {(2023, 1, 1, 0, 0, 0)}, path
    for path in sorted(raw_dir.glob("*/*.ods")):
        with zipfile.ZipFile(path) as archive:
            assert archive.namelist()[0] == "mimetype"
            assert b"KT SoftSkills SAMPLE DATA" in archive.read("meta.xml"), path


def test_partners_keep_their_files_in_different_formats(raw_dir):
    def extensions(table):
        return {p.stem: p.suffix for p in (raw_dir / table).iterdir()}

    assert extensions("interviews") == {
        "UNIBO": ".xlsx",
        "UJ": ".csv",
        "UH": ".csv",
        "SOPU": ".ods",
        "NETVAL": ".xlsx",
        "ASTP": ".csv",
    }
    assert "SOPU" not in extensions("case_studies")  # a partner without case studies
    assert sorted(extensions("ratings")) == ["SOPU", "UH", "UNIBO"]
    uj = (raw_dir / "case_studies" / "UJ.csv").read_text(encoding="utf-8")
    assert csv_delimiter(raw_dir / "case_studies" / "UJ.csv") == ";"
    assert re.search(r";\d+,\d+;", uj), "UJ writes a decimal comma"
    assert (raw_dir / "interviews" / "UH.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (raw_dir / "interviews" / "ASTP.csv").read_bytes()
    with (raw_dir / "partners.csv").open(encoding="utf-8") as handle:
        known = {row["partner_id"] for row in csv.DictReader(handle)}
    assert {p.stem for t in TABLES for p in (raw_dir / t).iterdir()} <= known == set(PARTNERS)


def test_every_file_starts_with_its_header_row_no_comment_lines(raw_dir):
    for table in TABLES:
        known = set(contract.PARTNER_TABLES[table].column_names)
        for path in sorted((raw_dir / table).iterdir()):
            header = set(read_raw(path).columns) - {"partner"}
            assert header <= known, path
            assert set(contract.PARTNER_TABLES[table].required_columns) <= header, path


# --------------------------------------------------------------------------- composition


def test_sample_has_30_case_studies_and_60_interviews_split_24_18_12_6(tables):
    assert len(tables["case_studies"]) == 30
    assert len(tables["interviews"]) == 60
    groups = Counter(group_of(g) for g in tables["interviews"]["respondent_group"])
    assert groups == {
        "hei_kt_professional": 24,
        "business_kt_professional": 18,
        "kt_expert": 12,
        "other": 6,
    }
    assert set(tables["interviews"]["partner"]) == set(PARTNERS)


def test_ids_are_unique_across_partners(tables):
    for table, column in (("case_studies", "case_id"), ("interviews", "interview_id")):
        ids = tables[table][column].map(text)
        assert ids.is_unique and (ids != "").all(), table


def test_ratings_rate_30_interviews_on_about_10_skills_each(tables, skill_of):
    ratings = tables["ratings"]
    assert set(ratings["interview_id"]) <= set(tables["interviews"]["interview_id"])
    per_interview = ratings.groupby("interview_id").size()
    assert len(per_interview) == 30
    assert per_interview.between(8, 12).all()
    for column in ("importance", "proficiency"):
        assert ratings[column].map(lambda v: int(text(v))).between(1, 5).all()
    assert all(fold(text(s)) in skill_of for s in ratings["skill"])
    pairs = ratings.assign(skill_id=[skill_of[fold(text(s))] for s in ratings["skill"]])
    assert not pairs.duplicated(["interview_id", "skill_id"]).any()


# --------------------------------------------------------------------------- validity


def test_every_skill_matches_the_taxonomy_and_spellings_vary(tables, skill_of):
    cells = [*tables["case_studies"]["skills"]]
    for dimension in ("possessed", "required", "desirable"):
        cells += [*tables["interviews"][f"skills_{dimension}"]]
    typed = [s for cell in cells for s in split(cell)]
    unknown = sorted({s for s in typed if fold(s) not in skill_of})
    assert unknown == []
    for cell in cells:  # a skill is not named twice in one cell
        ids = [skill_of[fold(s)] for s in split(cell)]
        assert len(ids) == len(set(ids)), cell
    assert all(split(c) for c in tables["case_studies"]["skills"])  # required column
    labels = {fold(s): s for s in typed}
    assert any(s.islower() for s in typed) and any(s[:1].isupper() for s in typed)
    assert len(labels) > 80, "skills are written by label, synonym and id"


def test_every_country_resolves_and_local_forms_occur(tables):
    for table in ("case_studies", "interviews"):
        for value in tables[table]["country"]:
            assert country_code(text(value)) in REGION_OF, value
    typed = set(tables["case_studies"]["country"]) | set(tables["interviews"]["country"])
    assert {"UK", "Deutschland", "Czech Republic", "ITA"} <= typed


def test_enumerated_cells_use_accepted_spellings(tables):
    for table_name, table in (
        ("case_studies", contract.CASE_STUDIES),
        ("interviews", contract.INTERVIEWS),
    ):
        for column in table.columns:
            if column.kind not in ("enum", "multi") or column.name not in tables[table_name]:
                continue
            for cell in tables[table_name][column.name]:
                values = split(cell) if column.kind == "multi" else [text(cell)]
                for value in values:
                    if value or column.required:
                        assert enum_value(column, value), f"{column.name}: {value!r}"
    modes = set(tables["case_studies"]["delivery_mode"])
    assert {"In-person", "face to face"} <= modes


def test_yes_no_cells_use_accepted_spellings_in_several_styles(tables):
    accepted = {*contract.YES_VALUES, *contract.NO_VALUES, ""}
    typed = set()
    for table, columns in (
        ("case_studies", ("certification", "best_practice")),
        ("interviews", ("consent_to_quote",)),
    ):
        for column in columns:
            typed |= {text(v) for v in tables[table][column]}
    assert {v.lower() for v in typed} <= accepted
    assert {"Y", "x", "TRUE"} <= typed


def test_dates_are_excel_cells_or_day_first_text_of_2023(tables):
    dates = tables["interviews"][["partner", "interview_date"]]
    kinds = Counter()
    for partner, value in dates.itertuples(index=False):
        if isinstance(value, dt.datetime):
            kinds["cell"] += 1
            day = value.date()
        elif text(value) == "":
            continue
        else:
            value = text(value)
            for pattern, kind in (
                ("%d/%m/%Y", "d/m/y"),
                ("%d.%m.%Y", "d.m.y"),
                ("%Y-%m-%d", "iso"),
            ):
                try:
                    day = dt.datetime.strptime(value, pattern).date()
                except ValueError:
                    continue
                kinds[kind] += 1
                break
            else:
                pytest.fail(f"{partner}: {value!r} is not a contract date")
        assert day.year == 2023, (partner, value)
    assert kinds["cell"] >= 10 and kinds["d/m/y"] >= 5 and kinds["d.m.y"] >= 5 and kinds["iso"]


def test_numbers_are_within_the_contract_ranges(tables):
    hours = [text(v).replace(",", ".") for v in tables["case_studies"]["duration_hours"]]
    assert all(float(h) > 0 for h in hours if h)
    years = [text(v) for v in tables["interviews"]["years_experience"]]
    assert all(y.isdigit() and 0 <= int(y) <= 60 for y in years if y)


def test_case_studies_name_real_programmes_across_regions(tables):
    cases = tables["case_studies"]
    providers = " ".join(cases["provider"].map(text))
    for name in ("PraxisAuril", "ASTP", "AUTM", "LES", "WIPO", "EPO", "Netval", "RedTransfer"):
        assert name in providers, name
    programmes = " ".join(cases["programme"].map(text))
    for name in ("PROFNIT", "KT2A", "Technology Transfer Academy for the Americas", "ASEAN"):
        assert name in programmes, name
    regions = Counter(REGION_OF[country_code(text(c))] for c in cases["country"])
    assert set(regions) == {"Europe", "Americas", "Asia", "Africa", "Oceania"}
    assert regions["Europe"] > len(cases) / 2
    best = cases["best_practice"].map(lambda v: text(v).lower() in contract.YES_VALUES)
    assert 6 <= best.sum() <= 8
    urls = [text(u) for u in cases.get("url", []) if text(u)]
    assert len(urls) >= 10 and all(re.match(r"https?://\S+\.\S+$", u) for u in urls)
    assert (cases["notes"].map(text) != "").sum() >= 5


# --------------------------------------------------------------------------- privacy


def test_personal_data_is_obviously_fake(tables):
    interviews = tables["interviews"]
    patterns = {
        "name": r"Sample Person \d{2}",
        "email": r"sample\.person\d{2}@example\.org",
        "organisation": r"(Example|Sample) [A-Z][\w ]+",
        "phone": r"\+00 000 \d{4}",
    }
    for column, pattern in patterns.items():
        present = interviews[column].map(text)
        present = present[present != ""]
        assert len(present) >= 40, column
        assert present.map(lambda v, p=pattern: re.fullmatch(p, v) is not None).all(), column


def test_quotes_with_and_without_consent_and_some_naming_the_interviewee(tables):
    interviews = tables["interviews"]
    quoted = interviews[interviews["quote"].map(text) != ""]
    assert 20 <= len(quoted) <= 30
    consent = quoted["consent_to_quote"].map(lambda v: text(v).lower() in contract.YES_VALUES)
    assert 0 < (~consent).sum() < consent.sum()
    names_self = [
        text(r.name) in text(r.quote) or text(r.organisation) in text(r.quote)
        for r in quoted.itertuples()
    ]
    own = quoted[consent & pd.Series(names_self, index=quoted.index)]
    assert len(own) >= 2, "quotes that the pipeline must redact"


# --------------------------------------------------------------------------- the story


def test_negotiation_is_the_most_required_skill(tables, skill_of):
    required = mentions(tables["interviews"], "skills_required", skill_of)
    (top, count), *_ = required.most_common()
    assert top == "negotiation" and 35 <= count <= 45


def test_soft_skills_are_required_far_more_often_than_training_offers_them(tables, skill_of):
    offered = mentions(tables["case_studies"], "skills", skill_of)
    required = mentions(tables["interviews"], "skills_required", skill_of)
    for skill in SOFT_SKILLS_IN_DEMAND:
        offered_share = offered[skill] / len(tables["case_studies"])
        required_share = required[skill] / len(tables["interviews"])
        assert required_share >= 2 * offered_share and required_share >= 0.4, skill
    for skill in ("conflict_resolution", "alliance_building", "influencing"):
        assert offered[skill] <= 2, skill


def test_training_offers_mostly_hard_skills_plus_communication(tables, skill_of, raw_dir):
    category = categories(raw_dir)
    offered = mentions(tables["case_studies"], "skills", skill_of)
    top = [skill for skill, _ in offered.most_common(6)]
    assert all(category[s] == "hard" or s == "communication" for s in top), top
    assert {"ip_management", "licensing", "contracts"} <= set(top)


def test_interviewees_possess_domain_knowledge_ip_management_and_communication(tables, skill_of):
    possessed = mentions(tables["interviews"], "skills_possessed", skill_of)
    top = {skill for skill, _ in possessed.most_common(3)}
    assert top == {"domain_knowledge", "ip_management", "communication"}


def test_training_should_add_soft_skills(tables, skill_of):
    desirable = mentions(tables["interviews"], "skills_desirable", skill_of)
    top = {skill for skill, _ in desirable.most_common(5)}
    assert top == {
        "conflict_resolution",
        "alliance_building",
        "influencing",
        "resilience",
        "negotiation",
    }


def test_borich_needs_rank_soft_skills_on_top(tables, skill_of):
    ratings = tables["ratings"].assign(
        skill_id=[skill_of[fold(text(s))] for s in tables["ratings"]["skill"]],
        importance=lambda f: f["importance"].map(lambda v: int(text(v))),
        proficiency=lambda f: f["proficiency"].map(lambda v: int(text(v))),
    )
    borich = ratings.groupby("skill_id").apply(
        lambda g: (g["importance"] - g["proficiency"]).mean() * g["importance"].mean(),
        include_groups=False,
    )
    top = list(borich.sort_values(ascending=False).index[:3])
    assert set(top) <= {"conflict_resolution", "negotiation", "alliance_building", "influencing"}
    assert borich["domain_knowledge"] < 0  # what they master best


def test_groups_need_different_skills(tables, skill_of):
    interviews = tables["interviews"].assign(
        group=lambda f: f["respondent_group"].map(group_of),
        required=lambda f: f["skills_required"].map(
            lambda cell: {skill_of[fold(s)] for s in split(cell)}
        ),
    )

    def share(group: str, skill: str) -> float:
        members = interviews[interviews["group"] == group]
        return members["required"].map(lambda skills: skill in skills).mean()

    for skill in ("market_analysis", "negotiation"):
        assert share("business_kt_professional", skill) > share("hei_kt_professional", skill)
    for skill in ("ip_management", "contracts"):
        assert share("hei_kt_professional", skill) > share("business_kt_professional", skill)


def test_workshops_and_mentoring_are_preferred_and_practice_goes_with_soft_skills(tables, skill_of):
    column = contract.INTERVIEWS.column("preferred_formats")
    interviews = tables["interviews"]
    formats = interviews["preferred_formats"].map(
        lambda cell: {enum_value(column, f) for f in split(cell)}
    )
    counts = Counter(f for chosen in formats for f in chosen)
    assert {f for f, _ in counts.most_common(2)} == {"workshops", "mentoring"}
    wants_soft = interviews["skills_desirable"].map(
        lambda cell: bool({skill_of[fold(s)] for s in split(cell)} & {"conflict_resolution"})
    )
    practice = formats.map(lambda chosen: bool(chosen & {"role_play", "peer_learning"}))
    assert practice[wants_soft].mean() > practice[~wants_soft].mean()


# --------------------------------------------------------------------------- synthetic data


def test_synthetic_data_is_scale_times_the_sample_over_more_partners(tmp_path, raw_dir):
    synth.write_synthetic(tmp_path, scale=2, seed=3)
    data = read_tables(tmp_path)
    assert len(data["case_studies"]) == 60
    assert len(data["interviews"]) == 120
    groups = Counter(group_of(g) for g in data["interviews"]["respondent_group"])
    assert groups == {
        "hei_kt_professional": 48,
        "business_kt_professional": 36,
        "kt_expert": 24,
        "other": 12,
    }
    assert 500 <= len(data["ratings"]) <= 700
    assert set(data["ratings"]["interview_id"]) <= set(data["interviews"]["interview_id"])
    for table, column in (("case_studies", "case_id"), ("interviews", "interview_id")):
        assert data[table][column].is_unique
    with (tmp_path / "partners.csv").open(encoding="utf-8") as handle:
        partners = {row["partner_id"] for row in csv.DictReader(handle)}
    assert len(partners) > len(PARTNERS)
    stems = {p.stem for t in TABLES for p in (tmp_path / t).iterdir()}
    assert stems <= partners and len(stems) > len(PARTNERS)
    skill_of = taxonomy_index(tmp_path)
    assert (tmp_path / "skills_taxonomy.csv").read_bytes() == (
        raw_dir / "skills_taxonomy.csv"
    ).read_bytes()
    for cell in data["interviews"]["skills_required"]:
        assert all(fold(s) in skill_of for s in split(cell))
    countries = {country_code(text(c)) for c in data["interviews"]["country"]}
    assert len(countries) > 20
    assert "SYNTHETIC" in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_synthetic_data_is_deterministic_for_a_seed(tmp_path):
    synth.write_synthetic(tmp_path / "a", scale=1, seed=5)
    synth.write_synthetic(tmp_path / "b", scale=1, seed=5)
    synth.write_synthetic(tmp_path / "c", scale=1, seed=6)
    assert sample_files(tmp_path / "a") == sample_files(tmp_path / "b")
    assert sample_files(tmp_path / "a") != sample_files(tmp_path / "c")


def test_synthetic_data_replaces_the_previous_partner_files(tmp_path):
    synth.write_synthetic(tmp_path, scale=2, seed=1)  # 12 partners
    synth.write_synthetic(tmp_path, scale=1, seed=1)  # 6 partners
    stems = {p.stem for t in TABLES for p in (tmp_path / t).iterdir()}
    assert stems == set(PARTNERS)
    assert len(read_tables(tmp_path)["interviews"]) == 60


# --------------------------------------------------------------------------- the command


def test_cli_synth_writes_a_new_folder(tmp_path):
    result = CliRunner().invoke(app, ["synth", "--scale", "1", "--out", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert len(read_tables(tmp_path / "new")["interviews"]) == 60


def test_cli_synth_refuses_a_folder_that_is_not_empty_without_force(tmp_path):
    keep = tmp_path / "keep.txt"
    keep.write_text("a partner's file", encoding="utf-8")
    result = CliRunner().invoke(app, ["synth", "--scale", "1", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "--force" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    forced = CliRunner().invoke(app, ["synth", "--scale", "1", "--out", str(tmp_path), "--force"])
    assert forced.exit_code == 0, forced.output
    assert keep.read_text(encoding="utf-8") == "a partner's file"


def test_cli_synth_needs_an_out_folder_and_a_scale(tmp_path):
    missing_out = CliRunner().invoke(app, ["synth", "--scale", "1"])
    assert missing_out.exit_code != 0
    missing_scale = CliRunner().invoke(app, ["synth", "--out", str(tmp_path / "x")])
    assert missing_scale.exit_code == 2 and "--scale" in missing_scale.output
    assert "Traceback" not in missing_scale.output and not (tmp_path / "x").exists()


def test_synthetic_quotes_name_no_organisation_where_the_file_has_no_organisation_column(
    tmp_path,
):
    # A quote naming an organisation in a file without the organisation column cannot be
    # anonymised: the personal-data guard then (rightly) stops the build of the 10x data.
    synth.write_synthetic(tmp_path, 10, seed=1)
    interviews = read_tables(tmp_path)["interviews"]
    organisations = {text(o) for o in interviews["organisation"] if text(o)}
    without = interviews[interviews["organisation"].map(text) == ""]
    assert len(without) > 0  # partners in ASTP's style keep no organisation column
    named = [q for q in without["quote"].map(text) if any(o in q for o in organisations)]
    assert named == []


def test_ods_bytes_do_not_depend_on_what_the_process_read_before(tmp_path, raw_dir):
    """odfpy declares every namespace the process has met; reading another .ods first (as
    other tests do) must not change the sample's bytes."""
    pd.read_excel(raw_dir / "interviews" / "SOPU.ods", engine="odf")
    synth.write_sample(tmp_path)
    for name in ("interviews/SOPU.ods", "ratings/SOPU.ods"):
        assert (tmp_path / name).read_bytes() == (raw_dir / name).read_bytes(), name
