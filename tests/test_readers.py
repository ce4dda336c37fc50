"""readers: what partners' tools really save is read as the partner sees it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from ktreport.contract import CASE_STUDIES, INTERVIEWS
from ktreport.ingest import readers, workbook_grid
from ktreport.ingest.readers import clean_cell, column_letter, fold, header_key, read_table

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bad_inputs"


def read_cases(path: Path):
    return read_table(path, path.name, CASE_STUDIES.column_names, CASE_STUDIES.required_columns)


def read_interviews(path: Path, sheet_name: str = ""):
    return read_table(
        path, path.name, INTERVIEWS.column_names, INTERVIEWS.required_columns, sheet_name
    )


HEADER = ",".join(CASE_STUDIES.column_names)
ROW = (
    "UNIBO-C01,Fundamentals,PraxisAuril,kt_association,UK,in person,21,kt_professionals,"
    'yes,"negotiation; licensing",no,https://example.org,'
)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Case ID", "case_id"),
        ("case_id", "case_id"),
        ("CASE-ID", "case_id"),
        ("  Duration (hours) ", "duration_hours"),
        ("Country *", "country"),
        ("E-mail", "email"),
        ("Organization", "organisation"),
    ],
)
def test_header_names_ignore_case_spaces_and_punctuation(written, key):
    assert header_key(written) == key


def test_fold_removes_accents_case_and_punctuation():
    assert fold("  Négociation--Skills ") == "negociation skills"
    assert fold("Łódź") == "lodz"


def test_cells_are_trimmed_and_nfc_normalised():
    decomposed = "Universita\u0300 "
    assert clean_cell(decomposed) == "Università"


def test_column_letters_are_those_of_a_spreadsheet():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_csv_rows_keep_the_row_numbers_the_partner_sees(tmp_path):
    path = tmp_path / "UNIBO.csv"
    path.write_text(f"{HEADER}\n{ROW}\n,,,,\n\n{ROW.replace('C01', 'C02')}\n", encoding="utf-8")
    table = read_cases(path)
    assert table.header_row == 1
    assert [row.number for row in table.rows] == [2, 5]
    assert table.rows[1].cells["case_id"] == "UNIBO-C02"


def test_semicolon_csv_is_detected(tmp_path):
    path = tmp_path / "UNIBO.csv"
    path.write_text(HEADER.replace(",", ";") + "\n" + "A;B;C\n", encoding="utf-8")
    table = read_cases(path)
    assert table.delimiter == ";"
    assert table.rows[0].cells["programme"] == "B"


def test_comma_csv_with_semicolons_inside_cells_stays_comma(tmp_path):
    # The skills cells hold ';' (unquoted), more ';' than ',' on a row.
    path = tmp_path / "UNIBO.csv"
    row = "X1,P,Q,university,IT,online,,mixed,,a; b; c; d; e; f; g; h; i; j; k; l; m,,,"
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    table = read_cases(path)
    assert table.delimiter == ","
    assert table.rows[0].cells["skills"].startswith("a; b")


@pytest.mark.parametrize(
    ("encoding", "prefix", "detected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp1252", b"", "cp1252"),
        ("utf-16", b"", "utf-16"),
    ],
)
def test_encodings_are_detected_not_guessed(tmp_path, encoding, prefix, detected):
    path = tmp_path / "UNIBO.csv"
    text = f"{HEADER}\nC1,Università – “Formazione”,Ñandú,university,España,online\n"
    path.write_bytes(prefix + text.encode(encoding))
    table = read_cases(path)
    assert table.encoding == detected
    assert table.rows[0].cells["programme"] == "Università – “Formazione”"
    assert table.rows[0].cells["provider"] == "Ñandú"


def test_latin1_bytes_that_cp1252_lacks_still_decode(tmp_path):
    path = tmp_path / "UNIBO.csv"
    path.write_bytes(f"{HEADER}\nC1,Caf\xe9 \x81,P\n".encode("latin-1"))
    table = read_cases(path)
    assert table.encoding == "latin-1"
    assert table.rows[0].cells["programme"] == "Café \x81"


def test_a_header_below_title_rows_is_found_at_its_spreadsheet_row():
    table = read_cases(FIXTURES / "xlsx_title_rows" / "case_studies" / "UNIBO.xlsx")
    assert table.header_row == 4
    assert [row.number for row in table.rows] == [5, 6]


def test_hidden_sheets_are_ignored():
    table = read_cases(FIXTURES / "xlsx_hidden_first_sheet" / "case_studies" / "UNIBO.xlsx")
    assert table.sheet == "Sheet2"
    assert [row.cells["case_id"] for row in table.rows] == ["UNIBO-C01", "UNIBO-C02"]


def test_the_sheet_named_after_the_table_wins_over_the_first():
    path = FIXTURES / "sheet_named_after_table" / "interviews" / "UNIBO.xlsx"
    table = read_interviews(path, sheet_name="interviews")
    assert table.sheet == "Interviews"
    assert len(table.rows) == 2


def test_merged_cells_give_their_value_to_every_cell_they_cover():
    table = read_cases(FIXTURES / "merged_cells" / "case_studies" / "UNIBO.xlsx")
    assert [row.cells["country"] for row in table.rows] == ["Italy", "Italy"]


def test_formulas_are_read_as_their_cached_values():
    table = read_cases(FIXTURES / "formula_cell" / "case_studies" / "UNIBO.xlsx")
    assert [row.cells["duration_hours"] for row in table.rows] == ["-21", "21"]


def test_date_cells_become_iso_dates():
    table = read_interviews(FIXTURES / "excel_date_cells" / "interviews" / "UNIBO.xlsx")
    assert [row.cells["interview_date"] for row in table.rows] == ["2023-03-31", "2041-01-01"]


def test_numbers_stored_as_text_and_numbers_read_alike(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["interview_id", "respondent_group", "country", "years_experience"])
    sheet.append(["I1", "other", "IT", 8])
    sheet.append(["I2", "other", "IT", "8"])
    sheet.append(["I3", "other", "IT", 8.5])
    workbook.save(tmp_path / "UNIBO.xlsx")
    table = read_interviews(tmp_path / "UNIBO.xlsx")
    assert [row.cells["years_experience"] for row in table.rows] == ["8", "8", "8.5"]


def test_trailing_empty_rows_and_columns_are_ignored(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["interview_id", "respondent_group", "country"])
    sheet.append(["I1", "other", "IT"])
    sheet.cell(row=40, column=30, value="   ")  # a formatted-looking but empty cell
    sheet.cell(row=41, column=2, value="")
    workbook.save(tmp_path / "UNIBO.xlsx")
    table = read_interviews(tmp_path / "UNIBO.xlsx")
    assert len(table.rows) == 1
    assert table.unknown_columns == []
    assert table.problems == []


@pytest.mark.parametrize(
    ("case", "path", "rows"),
    [
        ("ods_file", "interviews/UNIBO.ods", 2),
        ("xls_file", "case_studies/UNIBO.xls", 1),
    ],
)
def test_ods_and_xls_workbooks_are_read(case, path, rows):
    file = FIXTURES / case / path
    reader = read_interviews if "interviews" in path else read_cases
    table = reader(file)
    assert table.problems == []
    assert len(table.rows) == rows


def test_spreadsheet_cells_become_the_text_a_partner_reads():
    assert workbook_grid.cell_text(21.0) == "21"
    assert workbook_grid.cell_text(2.5) == "2.5"
    assert workbook_grid.cell_text(True) == "true"
    assert workbook_grid.cell_text(dt.datetime(2023, 3, 31, 0, 0)) == "2023-03-31"
    assert workbook_grid.cell_text(dt.datetime(2023, 3, 31, 9, 30)) == "2023-03-31 09:30:00"
    assert workbook_grid.cell_text(None) == ""
    assert workbook_grid.cell_text(" x ") == "x"


def test_limits_are_problems_not_crashes(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    monkeypatch.setattr(readers, "GRID_ROW_LIMIT", 3 + readers.HEADER_SEARCH_ROWS + 10)
    path = tmp_path / "UNIBO.csv"
    path.write_text(HEADER + "\n" + "\n".join([ROW] * 4) + "\n", encoding="utf-8")
    table = read_cases(path)
    assert table.rows == []
    assert [p.message for p in table.problems] == [
        "the table has more than 3 rows; larger tables are not read"
    ]


def test_a_sheet_longer_than_the_read_limit_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "GRID_ROW_LIMIT", 5)
    path = tmp_path / "UNIBO.csv"
    path.write_text(HEADER + "\n" + "\n" * 20 + ROW + "\n", encoding="utf-8")
    table = read_cases(path)
    assert table.rows == []
    assert "more than" in table.problems[0].message


def test_header_not_in_the_first_rows_is_reported(tmp_path):
    path = tmp_path / "UNIBO.csv"
    path.write_text("\n" * 35 + HEADER + "\n" + ROW + "\n", encoding="utf-8")
    table = read_cases(path)
    assert table.header_row is None
    assert table.problems[0].message.startswith("no row with the column names")


def test_a_password_protected_or_damaged_workbook_is_a_problem(tmp_path):
    path = tmp_path / "UNIBO.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip file")
    table = read_cases(path)
    assert table.header_row is None
    assert table.problems[0].message.startswith("the workbook cannot be read")


def test_a_workbook_whose_visible_sheet_is_blank_is_empty(tmp_path):
    workbook = Workbook()
    workbook.active.title = "hidden data"
    workbook.active.append(["case_id", "programme"])
    workbook.active.sheet_state = "hidden"
    workbook.create_sheet("Sheet2")
    workbook.active = 1
    workbook.save(tmp_path / "UNIBO.xlsx")
    table = read_cases(tmp_path / "UNIBO.xlsx")
    assert [p.message for p in table.problems] == ["the file is empty"]


# ----------------------------------------------------------------------------- quotes left open


# A row without quotes: a '"' typed in it is the only one around.
PLAIN_ROW = ROW.replace('"negotiation; licensing"', "negotiation; licensing")


def _open_quote_problems(table):
    return [
        (p.row, p.column, p.message) for p in table.problems if '" opens this cell' in p.message
    ]


def test_a_quote_left_open_is_reported_where_it_opens_and_the_rows_below_are_still_read(
    tmp_path,
):
    rows = [PLAIN_ROW.replace("C01", f"C0{i}") for i in range(1, 5)]
    rows[1] = rows[1].replace("PraxisAuril", '"PraxisAuril, London')  # column C, mid-row
    path = tmp_path / "UNIBO.csv"
    path.write_bytes("\r\n".join([HEADER, *rows, ""]).encode())
    table = read_cases(path)
    [(row, column, message)] = _open_quote_problems(table)
    assert (row, column) == (3, "provider")
    assert "the 2 lines below it would all be read into this cell" in message
    assert [r.cells["case_id"] for r in table.rows] == [
        "UNIBO-C01",
        "UNIBO-C02",
        "UNIBO-C03",
        "UNIBO-C04",
    ]
    assert table.rows[1].cells["provider"].startswith("PraxisAuril, London")
    assert table.rows[3].cells["url"] == "https://example.org"


def test_a_quote_left_open_on_the_last_line_is_reported_too(tmp_path):
    path = tmp_path / "UNIBO.csv"
    path.write_text(f'{HEADER}\n{ROW}"Unfinished note', encoding="utf-8")
    table = read_cases(path)
    [(row, column, message)] = _open_quote_problems(table)
    assert (row, column) == (2, "notes")
    assert "never closed: the cell runs to the end of the file" in message
    assert table.rows[0].cells["notes"] == "Unfinished note"


def test_a_quote_closed_only_rows_below_is_reported_where_it_opens(tmp_path):
    # The '"' of row 4 closes the one of row 2: rows 3 and 4 are read into row 2's notes.
    rows = [
        PLAIN_ROW.replace("C01", f"C0{i}") + ('"open' if i in (2, 4) else "") for i in range(1, 6)
    ]
    path = tmp_path / "UNIBO.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    table = read_cases(path)
    [(row, column, message)] = _open_quote_problems(table)
    assert (row, column) == (3, "notes")
    assert "2 lines that look like rows are read into this cell" in message


def test_closed_quotes_over_several_lines_are_no_problem(tmp_path):
    notes = '"First line, with a comma\nsecond line with ""quoted"" words\nthird"'
    semicolon = HEADER.replace(",", ";") + "\n" + ROW.replace(",", ";") + notes + "\n"
    for name, text in (("comma.csv", f"{HEADER}\n{ROW}{notes}\n"), ("semi.csv", semicolon)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        table = read_cases(path)
        assert _open_quote_problems(table) == []
        assert table.rows[0].cells["notes"].endswith('""quoted"" words\nthird'.replace('""', '"'))


def test_a_quote_inside_a_cell_is_a_character_not_an_opening(tmp_path):
    path = tmp_path / "UNIBO.csv"
    path.write_text(f'{HEADER}\n{ROW}the "best" course\n{ROW}\n', encoding="utf-8")
    table = read_cases(path)
    assert _open_quote_problems(table) == []
    assert table.rows[0].cells["notes"] == 'the "best" course'
    assert len(table.rows) == 2
