"""Partner templates: generated from the contract and the taxonomy, readable by the validator."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string

from ktreport.contract import PARTNER_TABLES, Column, Table
from ktreport.partners import xlsx_template
from ktreport.partners.xlsx_template import (
    LAST_DATA_ROW,
    TemplateError,
    build_workbook,
    default_output,
    find_partner,
    read_partners,
    write_template,
)

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "partners"
CONSORTIUM = FIXTURES / "small_consortium"
TAXONOMY = CONSORTIUM / "skills_taxonomy.csv"
PARTNERS = CONSORTIUM / "partners.csv"
DATA_ROWS = f"2:{LAST_DATA_ROW}"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("template") / "ALPHA_template.xlsx"
    return write_template("ALPHA", out, TAXONOMY, PARTNERS)


@pytest.fixture(scope="module")
def workbook(template):
    return openpyxl.load_workbook(template)


def validations_by_column(sheet) -> dict[str, list]:
    """Column letter -> the data validations whose range starts in that column."""
    found: dict[str, list] = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            letter = re.match(r"[A-Z]+", cell_range.coord).group(0)
            found.setdefault(letter, []).append((validation, cell_range))
    return found


def column_validation(sheet, table: Table, column: Column):
    letter = openpyxl.utils.get_column_letter(table.column_names.index(column.name) + 1)
    matches = validations_by_column(sheet).get(letter, [])
    assert len(matches) == 1, f"{table.name}.{column.name}: {len(matches)} validations"
    validation, cell_range = matches[0]
    assert (cell_range.min_row, cell_range.max_row) == (2, LAST_DATA_ROW), column.name
    return validation


def all_columns():
    return [(table, column) for table in PARTNER_TABLES.values() for column in table.columns]


def test_one_sheet_per_table_named_like_the_table_plus_skills_and_help(workbook):
    assert workbook.sheetnames == ["help", *PARTNER_TABLES, "skills"]
    # Short allowed-value lists are inline: no hidden lists sheet is needed.
    assert "lists" not in workbook.sheetnames


def test_header_row_is_the_contract_columns_and_is_frozen(workbook):
    for table in PARTNER_TABLES.values():
        sheet = workbook[table.name]
        header = [cell.value for cell in sheet[1]]
        expected = [f"{c.name} *" if c.required else c.name for c in table.columns]
        assert header == expected
        assert sheet.max_row == 1, "the template has no data rows"
        # Row 1 stays in view while scrolling: the frozen pane starts in row 2.
        assert re.fullmatch(r"[A-Z]+2", sheet.freeze_panes), sheet.freeze_panes


def test_required_columns_are_marked_differently_from_optional_ones(workbook):
    for table in PARTNER_TABLES.values():
        sheet = workbook[table.name]
        for index, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=1, column=index)
            assert cell.font.b, f"{table.name}.{column.name} header not bold"
            fill = cell.fill.fgColor.rgb
            if column.required:
                assert fill.endswith("1F4E79"), f"{table.name}.{column.name}: {fill}"
            else:
                assert not fill.endswith("1F4E79"), f"{table.name}.{column.name}: {fill}"


def test_every_header_cell_has_a_comment_with_meaning_and_allowed_values(workbook):
    for table, column in all_columns():
        sheet = workbook[table.name]
        cell = sheet.cell(row=1, column=table.column_names.index(column.name) + 1)
        assert cell.comment is not None, f"{table.name}.{column.name} has no comment"
        text = cell.comment.text
        assert column.description in text
        assert ("REQUIRED" in text) == (column.required and not column.is_personal)
        for value in column.allowed:
            assert value in text, f"{table.name}.{column.name}: {value} not in the comment"
        if column.is_personal:
            assert "never published" in text


def test_enum_and_boolean_columns_have_a_dropdown_of_exactly_the_allowed_values(workbook):
    checked = 0
    for table, column in all_columns():
        if column.kind not in ("enum", "boolean"):
            continue
        validation = column_validation(workbook[table.name], table, column)
        assert validation.type == "list"
        assert validation.showErrorMessage and validation.errorStyle == "stop"
        offered = validation.formula1.strip('"').split(",")
        expected = ["yes", "no"] if column.kind == "boolean" else list(column.allowed)
        assert offered == expected, f"{table.name}.{column.name}"
        checked += 1
    assert checked >= 8


@pytest.mark.parametrize(
    ("table_name", "column_name", "kind", "operator", "bounds"),
    [
        ("interviews", "years_experience", "whole", "between", ("0", "60")),
        ("ratings", "importance", "whole", "between", ("1", "5")),
        ("ratings", "proficiency", "whole", "between", ("1", "5")),
        ("case_studies", "duration_hours", "decimal", "greaterThanOrEqual", ("0", None)),
    ],
)
def test_number_columns_check_the_contract_range(
    workbook, table_name, column_name, kind, operator, bounds
):
    table = PARTNER_TABLES[table_name]
    validation = column_validation(workbook[table_name], table, table.column(column_name))
    assert validation.type == kind
    assert validation.operator == operator
    assert (validation.formula1, validation.formula2) == bounds
    assert validation.errorStyle == "stop"


def test_every_number_integer_and_date_column_is_validated(workbook):
    expected = {"integer": "whole", "number": "decimal", "date": "date"}
    for table, column in all_columns():
        if column.kind in expected:
            validation = column_validation(workbook[table.name], table, column)
            assert validation.type == expected[column.kind], f"{table.name}.{column.name}"


def test_ratings_skill_dropdown_is_the_skill_ids_of_the_skills_sheet(workbook):
    table = PARTNER_TABLES["ratings"]
    validation = column_validation(workbook["ratings"], table, table.column("skill"))
    assert validation.type == "list"
    reference = workbook.defined_names[validation.formula1].attr_text
    sheet_name, cells = reference.split("!")
    assert sheet_name.strip("'") == "skills"
    listed = [cell.value for row in workbook["skills"][cells.replace("$", "")] for cell in row]
    assert listed == ["negotiation", "licensing", "teamwork"]


def test_skills_sheet_is_the_taxonomy_and_read_only(workbook):
    sheet = workbook["skills"]
    assert sheet.protection.sheet
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert rows[0] == ("skill_id", "label", "category", "cluster", "synonyms")
    assert rows[1:] == [
        ("negotiation", "Negotiation", "soft", "Interpersonal", "negotiating; negotiation skills"),
        (
            "licensing",
            "Licensing and agreement structuring",
            "hard",
            "IP and legal",
            "licensing; licence negotiation",
        ),
        (
            "teamwork",
            "Collaboration and teamwork",
            "soft",
            "Interpersonal",
            "collaboration; team work",
        ),
    ]


def test_help_sheet_explains_every_column_and_the_personal_data_rule(workbook):
    sheet = workbook["help"]
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "ALPHA (Alpha University)" in text
    for table, column in all_columns():
        assert column.description in text, f"{table.name}.{column.name}"
    assert "dropped when the data is cleaned" in text
    assert "never appear in any output" in text
    for personal in PARTNER_TABLES["interviews"].personal_columns:
        assert personal in text
    assert sheet.protection.sheet


def test_personal_columns_are_kept_but_visibly_marked(workbook):
    table = PARTNER_TABLES["interviews"]
    sheet = workbook["interviews"]
    for name in table.personal_columns:
        cell = sheet.cell(row=1, column=table.column_names.index(name) + 1)
        assert cell.fill.fgColor.rgb.endswith("FCE4D6"), name
        assert "removed when the data is cleaned" in cell.comment.text


def test_columns_are_wide_enough_for_their_header(workbook):
    for table in PARTNER_TABLES.values():
        sheet = workbook[table.name]
        for index, column in enumerate(table.columns, start=1):
            width = sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width
            header = sheet.cell(row=1, column=index).value
            assert len(header) + 2 <= width <= 60, f"{table.name}.{column.name}: {width}"


def test_the_readers_see_contract_names_in_the_marked_headers(workbook):
    readers = pytest.importorskip("ktreport.ingest.readers")
    for table in PARTNER_TABLES.values():
        header = [readers.header_key(cell.value) for cell in workbook[table.name][1]]
        assert tuple(header) == table.column_names


def test_validation_texts_fit_excels_limits(workbook):
    # Excel declares a file corrupt when a prompt or error message is longer than this.
    for table in PARTNER_TABLES.values():
        for validation in workbook[table.name].data_validations.dataValidation:
            assert len(validation.promptTitle or "") <= 32
            assert len(validation.prompt or "") <= 255
            assert len(validation.errorTitle or "") <= 32
            assert len(validation.error or "") <= 225


def test_every_column_shows_an_input_hint(workbook):
    for table, column in all_columns():
        validation = column_validation(workbook[table.name], table, column)
        assert validation.showInputMessage and validation.prompt, f"{table.name}.{column.name}"


def test_two_writes_give_the_same_bytes(tmp_path):
    first = write_template("ALPHA", tmp_path / "a.xlsx", TAXONOMY, PARTNERS).read_bytes()
    second = write_template("ALPHA", tmp_path / "b.xlsx", TAXONOMY, PARTNERS).read_bytes()
    assert first == second
    other = write_template("BETA", tmp_path / "c.xlsx", TAXONOMY, PARTNERS).read_bytes()
    assert other != first


def test_document_and_zip_dates_are_fixed(workbook, template):
    # Two writes within the same second match anyway; these dates must not be the clock's.
    assert workbook.properties.created == xlsx_template.TEMPLATE_DATE
    assert workbook.properties.modified == xlsx_template.TEMPLATE_DATE
    with zipfile.ZipFile(template) as archive:
        assert {info.date_time for info in archive.infolist()} == {xlsx_template.ZIP_DATE}


def test_a_long_list_of_allowed_values_goes_to_the_hidden_lists_sheet():
    many = tuple(f"value_number_{i:02d}" for i in range(30))  # > 255 characters inline
    table = Table(
        name="long_lists",
        description="A table with a long enumeration.",
        id_column=None,
        columns=(Column("choice", "enum", True, "One of many values.", allowed=many),),
    )
    partner = xlsx_template.Partner("ALPHA", "Alpha University", "IT")
    skill = xlsx_template.Skill("negotiation", "Negotiation", "soft", "Interpersonal", framework="")
    workbook = build_workbook(partner, (table,), (skill,))
    assert workbook["lists"].sheet_state == "hidden"
    assert workbook.sheetnames[-1] == "lists"
    (validation,) = workbook["long_lists"].data_validations.dataValidation
    sheet_name, cells = validation.formula1.split("!")
    assert sheet_name.strip("'") == "lists"
    listed = [cell.value for row in workbook["lists"][cells.replace("$", "")] for cell in row]
    assert listed == list(many)


def test_unknown_partner_is_refused_with_a_suggestion(tmp_path):
    with pytest.raises(TemplateError, match=r"Unknown partner id 'ALFA'.*Did you mean ALPHA\?"):
        write_template("ALFA", tmp_path / "x.xlsx", TAXONOMY, PARTNERS)
    assert not (tmp_path / "x.xlsx").exists()


def test_partner_id_case_does_not_matter():
    assert find_partner("beta", read_partners(PARTNERS)).partner_id == "BETA"


def test_missing_taxonomy_is_a_message_naming_the_file(tmp_path):
    with pytest.raises(TemplateError, match="skills_taxonomy.csv: file not found"):
        write_template("ALPHA", tmp_path / "x.xlsx", tmp_path / "skills_taxonomy.csv", PARTNERS)


def test_default_output_is_in_the_given_folder_but_never_in_raw(tmp_path):
    raw = tmp_path / "data" / "raw"
    (raw / "interviews").mkdir(parents=True)
    assert default_output("ALPHA", tmp_path, raw) == tmp_path / "ALPHA_template.xlsx"
    for inside in (raw, raw / "interviews"):
        with pytest.raises(TemplateError, match="--out"):
            default_output("ALPHA", inside, raw)


# ------------------------------------------------------------------------------------ the CLI
@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(PARTNERS, raw / "partners.csv")
    shutil.copy(TAXONOMY, raw / "skills_taxonomy.csv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str):
    from typer.testing import CliRunner

    from ktreport.cli import app

    if len(app.registered_commands) < 2:
        pytest.skip("typer runs a lone command without its name; other commands not yet added")
    return CliRunner().invoke(app, ["template", *args])


def test_cli_writes_the_template_in_the_current_folder(project):
    result = invoke("alpha")
    assert result.exit_code == 0, result.output
    written = project / "ALPHA_template.xlsx"
    assert written.is_file()
    assert openpyxl.load_workbook(written).sheetnames[1:4] == list(PARTNER_TABLES)


def test_cli_writes_where_out_says(project):
    result = invoke("BETA", "--out", "sub/beta.xlsx")
    assert result.exit_code == 0, result.output
    assert (project / "sub" / "beta.xlsx").is_file()


def test_cli_refuses_an_unknown_partner_without_a_traceback(project):
    result = invoke("ALFA")
    assert result.exit_code == 1
    assert "Did you mean ALPHA?" in result.output
    assert "Traceback" not in result.output
    assert not list(project.glob("*.xlsx"))


def test_cli_does_not_write_into_raw_unless_told(project, monkeypatch):
    raw = project / "data" / "raw"
    monkeypatch.chdir(raw)
    result = invoke("ALPHA", "--raw-dir", ".")
    assert result.exit_code == 1
    assert "--out" in result.output
    assert sorted(p.name for p in raw.iterdir()) == ["partners.csv", "skills_taxonomy.csv"]
    result = invoke("ALPHA", "--raw-dir", ".", "--out", "ALPHA.xlsx")
    assert result.exit_code == 0, result.output
    assert (raw / "ALPHA.xlsx").is_file()


def test_column_letters_of_validations_match_the_header(workbook):
    # A validation shifted by one column would offer the wrong list under a header.
    for table in PARTNER_TABLES.values():
        for letter, matches in validations_by_column(workbook[table.name]).items():
            index = column_index_from_string(letter)
            assert index <= len(table.columns), f"{table.name}: validation in column {letter}"
            for validation, _ in matches:
                assert validation.promptTitle == table.columns[index - 1].name


# ------------------------------------------------------------------- filled in and read back
def example_row(table: Table) -> dict[str, object]:
    """One row made of the contract's examples, typed as a partner's spreadsheet holds them."""
    row: dict[str, object] = {}
    for column in table.columns:
        if not column.example:
            continue
        if column.kind in ("integer", "number"):
            row[column.name] = int(column.example)
        elif column.kind == "date":
            row[column.name] = dt.datetime.fromisoformat(column.example)
        else:
            row[column.name] = column.example
    return row


def sample_rows(partner_id: str) -> dict[str, list[dict[str, object]]]:
    """The sample rows: the contract's examples plus a second row per table."""
    cases = example_row(PARTNER_TABLES["case_studies"])
    interviews = example_row(PARTNER_TABLES["interviews"])
    ratings = example_row(PARTNER_TABLES["ratings"])
    for row, key in ((cases, "case_id"), (interviews, "interview_id"), (ratings, "interview_id")):
        row[key] = str(row[key]).replace("UNIBO", partner_id)
    return {
        "case_studies": [
            cases,
            {
                **cases,
                "case_id": f"{partner_id}-C02",
                "programme": "Negotiation for KT officers",
                "provider_type": "university",
                "country": "Czech Republic",
                "delivery_mode": "blended",
                "duration_hours": 7.5,
                "certification": "no",
                "skills": "negotiation",
            },
        ],
        "interviews": [
            {**interviews, "name": "Maria Example", "email": "maria@example.org"},
            {
                **interviews,
                "interview_id": f"{partner_id}-I02",
                "respondent_group": "kt_expert",
                "country": "Italy",
                "gender": "male",
                "consent_to_quote": "no",
            },
        ],
        "ratings": [ratings, {**ratings, "skill": "licensing", "importance": 4}],
    }


def fill(template: Path, out: Path, rows: dict[str, list[dict[str, object]]]) -> Path:
    """Type ``rows`` into the template's sheets below the header, as a partner would."""
    workbook = openpyxl.load_workbook(template)
    for table_name, table_rows in rows.items():
        sheet = workbook[table_name]
        header = [str(cell.value).removesuffix(" *") for cell in sheet[1]]
        for number, row in enumerate(table_rows, start=2):
            for name, value in row.items():
                sheet.cell(row=number, column=header.index(name) + 1, value=value)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out


def test_a_filled_template_is_read_back_by_the_readers(tmp_path):
    readers = pytest.importorskip("ktreport.ingest.readers")
    template = write_template("ALPHA", tmp_path / "t.xlsx", TAXONOMY, PARTNERS)
    rows = sample_rows("ALPHA")
    filled = fill(template, tmp_path / "ALPHA.xlsx", rows)
    for table in PARTNER_TABLES.values():
        raw = readers.read_table(
            filled, filled.name, table.column_names, table.required_columns, table.name
        )
        assert raw.problems == [], table.name
        assert raw.sheet == table.name
        assert raw.header_row == 1
        assert raw.unknown_columns == []
        assert [r.number for r in raw.rows] == [2, 3]
        first = raw.rows[0].cells
        for name, value in rows[table.name][0].items():
            expected = value.date().isoformat() if isinstance(value, dt.datetime) else str(value)
            assert first[name] == expected, f"{table.name}.{name}"


# ------------------------------------------------------------- round trip with the validator
def validator():
    validate = pytest.importorskip("ktreport.ingest.validate")
    if not hasattr(validate, "validate_raw"):
        pytest.skip("ktreport.ingest.validate has no validate_raw yet")
    return validate


@pytest.fixture
def raw_with_template(tmp_path) -> tuple[Path, Path]:
    """A data/raw/ folder with the project's partners and taxonomy, and UNIBO's template."""
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    for name in ("partners.csv", "skills_taxonomy.csv"):
        shutil.copy(RAW / name, raw / name)
    template = write_template(
        "UNIBO", tmp_path / "UNIBO_template.xlsx", raw / "skills_taxonomy.csv", raw / "partners.csv"
    )
    return raw, template


def hand_over(filled: Path, raw: Path) -> None:
    """The coordinator puts the one workbook in the folder of each table (same file name)."""
    for table in PARTNER_TABLES:
        (raw / table).mkdir(exist_ok=True)
        shutil.copy(filled, raw / table / "UNIBO.xlsx")


def test_a_template_filled_with_the_sample_rows_validates_cleanly(raw_with_template):
    validate = validator()
    raw, template = raw_with_template
    hand_over(fill(template, raw.parent / "UNIBO.xlsx", sample_rows("UNIBO")), raw)
    result = validate.validate_raw(raw, root=raw.parent.parent)
    assert [p.line() for p in result.problems] == []
    assert result.ok
    assert sorted((f.table, f.n_rows) for f in result.files) == [
        ("case_studies", 2),
        ("interviews", 2),
        ("ratings", 2),
    ]


def test_a_wrong_enum_typed_in_is_caught_with_its_row_and_column(raw_with_template):
    validate = validator()
    raw, template = raw_with_template
    rows = sample_rows("UNIBO")
    rows["case_studies"][1]["provider_type"] = "universty"  # row 3 of the sheet
    rows["interviews"][0]["gender"] = "femal"  # row 2
    hand_over(fill(template, raw.parent / "UNIBO.xlsx", rows), raw)
    result = validate.validate_raw(raw, root=raw.parent.parent)
    assert not result.ok
    found = {(p.file, p.row, p.column, p.value) for p in result.problems if p.severity == "error"}
    assert found == {
        ("data/raw/case_studies/UNIBO.xlsx", 3, "provider_type", "universty"),
        ("data/raw/interviews/UNIBO.xlsx", 2, "gender", "femal"),
    }


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_template_saved_again_by_libreoffice_as_ods_still_validates(raw_with_template):
    validate = validator()
    raw, template = raw_with_template
    filled = fill(template, raw.parent / "filled" / "UNIBO.xlsx", sample_rows("UNIBO"))
    converted = raw.parent / "ods"
    # Its own profile, so that a LibreOffice already running elsewhere does not interfere.
    profile = (raw.parent / "lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "ods",
            "--outdir",
            str(converted),
            str(filled),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    for table in PARTNER_TABLES:
        (raw / table).mkdir(exist_ok=True)
        shutil.copy(converted / "UNIBO.ods", raw / table / "UNIBO.ods")
    result = validate.validate_raw(raw, root=raw.parent.parent)
    assert [p.line() for p in result.problems] == []
    assert sorted(f.n_rows for f in result.files) == [2, 2, 2]
