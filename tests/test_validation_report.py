"""The HTML validation report: each problem with row and column, self-contained, private."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ktreport.core.problems import Problem
from ktreport.partners.validation_report import render_html, write_html

validate = pytest.importorskip("ktreport.ingest.validate")
results = pytest.importorskip("ktreport.ingest.results")
FileReport = results.FileReport
ValidationResult = results.ValidationResult
RAW = Path(__file__).resolve().parents[1] / "data" / "raw"

CASES = "data/raw/case_studies/UJ.xlsx"
INTERVIEWS = "data/raw/interviews/UNIBO.csv"
CLEAN = "data/raw/interviews/UH.xlsx"
ELSEWHERE = "data/raw/case_studies/NETVAL.csv"


def Result(problems: list[Problem], files: list[FileReport]) -> ValidationResult:  # noqa: N802
    """A validation result as ``validate_raw`` returns it (the tables are not needed here)."""
    return ValidationResult(problems=problems, files=files)


WRONG_ENUM = Problem(
    CASES,
    3,
    "provider_type",
    "'uni versity' is not a provider type",
    "pick one of: university, kt_association, public_agency",
    "error",
    "uni versity",
)
UNKNOWN_SKILL = Problem(
    CASES,
    4,
    "skills",
    "'negociation' is not a skill of the taxonomy",
    "did you mean 'negotiation'?",
    "error",
    "negociation; licensing",
)
NOT_A_NUMBER = Problem(
    CASES,
    4,
    "duration_hours",
    "'3 days' is not a number",
    "write hours, e.g. 24",
    "warning",
    "3 days",
)
DUPLICATE_COLUMN = Problem(
    INTERVIEWS, None, None, "the column 'country' appears twice", "delete one of them", "error", ""
)
PERSONAL_PROBLEM = Problem(
    INTERVIEWS,
    2,
    "email",
    "'mario.rossi@unibo.it' does not look like an e-mail address",
    "",
    "warning",
    "mario.rossi@unibo.it",
)
ACROSS_FILES = Problem(
    ELSEWHERE,
    7,
    "case_id",
    "case_id 'UJ-C01' is also used in data/raw/case_studies/UJ.xlsx row 2",
    "give each case study its own id",
    "error",
    "UJ-C01",
)

CASES_PREVIEW = [
    (
        2,
        {
            "case_id": ("UJ-C01", "UJ-C01"),
            "provider_type": ("KT association", "kt_association"),
            "country": ("Czech Republic", "CZ"),
            "duration_hours": ("7,5", "7.5"),
            "certification": ("x", "yes"),
            "best_practice": ("", "no"),
            "notes": ("<script>alert('hi')</script> & more", "<script>alert('hi')</script> & more"),
        },
    ),
    (
        3,
        {
            "case_id": ("UJ-C02", "UJ-C02"),
            "provider_type": ("uni versity", "?"),
            "country": ("Polska", "PL"),
            "skills": ("licensing", "licensing"),
        },
    ),
    (
        4,
        {
            "case_id": ("UJ-C03", "UJ-C03"),
            "duration_hours": ("3 days", "?"),
            "skills": ("negociation; licensing", "?; licensing"),
        },
    ),
]
INTERVIEWS_PREVIEW = [
    (
        2,
        {
            "interview_id": ("UNIBO-I01", "UNIBO-I01"),
            "country": ("Italia", "IT"),
            "interview_date": ("31/03/2023", "2023-03-31"),
            # The validator leaves personal columns out; the report must not rely on it.
            "name": ("Mario Rossi", "Mario Rossi"),
            "email": ("mario.rossi@unibo.it", "mario.rossi@unibo.it"),
            "organisation": ("Rossi Consulting", "Rossi Consulting"),
            "phone": ("+39 051 000000", "+39 051 000000"),
        },
    )
]


def sample_result() -> Result:
    files = [
        FileReport(CASES, "case_studies", "UJ", 3, [WRONG_ENUM, UNKNOWN_SKILL, NOT_A_NUMBER]),
        FileReport(INTERVIEWS, "interviews", "UNIBO", 1, [DUPLICATE_COLUMN, PERSONAL_PROBLEM]),
        FileReport(CLEAN, "interviews", "UH", 1, [], [(2, {"country": ("Finland", "FI")})]),
    ]
    files[0].preview = CASES_PREVIEW
    files[1].preview = INTERVIEWS_PREVIEW
    problems = [*files[0].problems, *files[1].problems, ACROSS_FILES]
    return Result(problems, files)


class Tables(HTMLParser):
    """Every table of the page by class, in page order: {class: [[[cell, ...], ...], ...]}.

    ``classes`` holds the class attribute of each cell in the same layout.
    """

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[list[str]]]] = {}
        self.classes: dict[str, list[list[list[str]]]] = {}
        self.current: str | None = None
        self.row: list[str] | None = None
        self.row_classes: list[str] = []
        self.text: list[str] | None = None
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.attributes.extend(attrs)
        attributes = dict(attrs)
        if tag == "table":
            self.current = attributes.get("class", "")
            self.tables.setdefault(self.current, []).append([])
            self.classes.setdefault(self.current, []).append([])
        elif tag == "tr":
            self.row, self.row_classes = [], []
        elif tag in ("td", "th"):
            self.text = []
            self.row_classes.append(attributes.get("class") or "")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None:
            self.row.append(" ".join("".join(self.text).split()))
            self.text = None
        elif tag == "tr" and self.current is not None:
            self.tables[self.current][-1].append(self.row)
            self.classes[self.current][-1].append(self.row_classes)
            self.row = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)

    def rows(self, kind: str) -> list[list[str]]:
        """The rows of every table of this class, one after the other."""
        return [row for table in self.tables.get(kind, []) for row in table]


def parse(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(sample_result(), fingerprint="3f2a9c1e")


@pytest.fixture(scope="module")
def tables(html) -> Tables:
    return parse(html)


def test_each_problem_is_listed_with_its_row_column_value_message_and_hint(tables):
    rows = [row for row in tables.rows("problems") if row and row[0] in ("Error", "Warning")]
    listed = {(r[1], r[2], r[3], r[4], r[5]) for r in rows if len(r) == 6}
    for problem in (WRONG_ENUM, UNKNOWN_SKILL, NOT_A_NUMBER):
        expected = (str(problem.row), problem.column, problem.value, problem.message, problem.hint)
        assert expected in listed
    assert ("whole file", "", "", DUPLICATE_COLUMN.message, DUPLICATE_COLUMN.hint) in listed


def test_problems_are_ordered_by_row_within_a_file(tables):
    rows = [r for r in tables.rows("problems") if r and r[0] in ("Error", "Warning")]
    case_rows = [r[1] for r in rows if len(r) == 6 and r[2] in ("provider_type", "skills")]
    assert case_rows == ["3", "4"]


def test_a_problem_of_a_file_without_report_is_listed_with_its_file(tables):
    across = tables.tables["problems"][0]
    assert across[0][1] == "File"
    assert [r[1:4] for r in across[1:]] == [[ELSEWHERE, "7", "case_id"]]


def test_summary_per_partner_counts_and_status(tables):
    (summary,) = tables.tables["summary"]
    assert summary[0] == ["Partner", "Files", "Rows", "Errors", "Warnings", "Status"]
    assert summary[1:] == [
        ["UH", CLEAN, "1", "0", "0", "ready"],
        ["UJ", CASES, "3", "2", "1", "needs fixes"],
        ["UNIBO", INTERVIEWS, "1", "1", "1", "needs fixes"],
    ]


def test_overall_banner_says_what_to_do(html):
    assert "Needs fixes." in html
    # Errors: 2 (UJ) + 1 (UNIBO) + 1 across files; warnings: 1 + 1.
    assert "4 errors and 2 warnings in 3 files (5 rows checked)" in html


def test_a_clean_result_is_ready():
    result = Result([], [FileReport(CLEAN, "interviews", "UH", 1, [], [])])
    html = render_html(result)
    assert "Ready." in html and "Needs fixes" not in html
    assert "1 file, 1 row checked: no errors" in html
    assert "No problems found." in html


def preview_cells(table: list[list[str]]) -> dict[tuple[str, str], str]:
    """(row number, column) -> cell text of one preview table."""
    header = table[0]
    assert header[0] == "Row"
    return {(row[0], header[i]): row[i] for row in table[1:] for i in range(1, len(row))}


def test_preview_shows_how_values_were_understood(tables):
    # One preview per file, files in path order: UJ's case studies, UH's and UNIBO's interviews.
    cases, clean, interviews = tables.tables["preview"]
    cells = preview_cells(cases)
    assert cells[("2", "country")] == "Czech Republic → CZ"
    assert cells[("2", "provider_type")] == "KT association → kt_association"
    assert cells[("2", "duration_hours")] == "7,5 → 7.5"
    assert cells[("2", "certification")] == "x → yes"
    assert cells[("2", "best_practice")] == "(blank) → no"
    assert cells[("2", "case_id")] == "UJ-C01"
    assert cells[("3", "provider_type")] == "uni versity → ?"
    assert cells[("4", "skills")] == "negociation; licensing → ?; licensing"
    assert preview_cells(interviews)[("2", "interview_date")] == "31/03/2023 → 2023-03-31"
    assert preview_cells(clean) == {("2", "country"): "Finland → FI"}


def test_preview_columns_follow_the_contract_order(tables):
    header = tables.tables["preview"][0][0]
    assert header == [
        "Row",
        "case_id",
        "provider_type",
        "country",
        "duration_hours",
        "certification",
        "skills",
        "best_practice",
        "notes",
    ]


def test_problem_cells_are_highlighted_by_severity(tables):
    preview, classes = tables.tables["preview"][0], tables.classes["preview"][0]
    header = preview[0]
    marked = {
        (row[0], header[i]): classes[r][i].split()
        for r, row in enumerate(preview)
        if r
        for i in range(1, len(row))
    }
    assert "error" in marked[("3", "provider_type")]
    assert "error" in marked[("4", "skills")]
    assert "warning" in marked[("4", "duration_hours")]
    assert "error" not in marked[("2", "country")] and "warning" not in marked[("2", "country")]
    assert "unknown" in marked[("4", "duration_hours")]


def test_partner_text_is_escaped(html):
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt; &amp; more" in html


def test_page_is_self_contained(html, tables):
    lowered = html.lower()
    for forbidden in ("<script", "<link", "<img", "<iframe", "<object", "@import", "url("):
        assert forbidden not in lowered, forbidden
    for name, value in tables.attributes:
        if name in ("href", "src"):
            assert value.startswith("#"), f"{name}={value}"
    assert "<style>" in html


def test_links_of_the_summary_lead_to_the_file_sections(html, tables):
    targets = {v[1:] for n, v in tables.attributes if n == "href"}
    ids = {v for n, v in tables.attributes if n == "id"}
    assert len(targets) == 3
    assert targets <= ids


def test_personal_data_never_appears(html, tables):
    for secret in ("Mario Rossi", "mario.rossi@unibo.it", "Rossi Consulting", "000000"):
        assert secret not in html
    assert "(personal data, not shown)" in html
    interviews_header = tables.tables["preview"][2][0]
    assert interviews_header == ["Row", "interview_id", "country", "interview_date"]


def test_a_problem_in_both_lists_is_counted_once():
    result = sample_result()
    result.files[0].problems.append(WRONG_ENUM)  # also in result.problems
    (summary,) = parse(render_html(result)).tables["summary"]
    assert summary[2][3] == "2"


def test_same_result_same_bytes_whatever_the_order_of_files_and_problems(html):
    result = sample_result()
    random.Random(5).shuffle(result.files)
    random.Random(6).shuffle(result.problems)
    assert render_html(result, fingerprint="3f2a9c1e") == html


def test_fingerprint_shown_when_given_and_no_clock_time(html):
    assert "3f2a9c1e" in html
    assert "fingerprint" not in render_html(sample_result())
    assert dt.date.today().isoformat() not in html


def test_fingerprint_is_taken_from_the_result_when_it_has_one():
    result = sample_result()
    result.fingerprint = "abc123def"
    assert "abc123def" in render_html(result)


def test_values_of_other_types_are_shown_as_a_partner_reads_them():
    # Not what the validator produces today (it gives text), but the report must not break.
    preview = [
        (
            2,
            {
                "duration_hours": ("7,5", 7.5),
                "certification": ("x", True),
                "interview_date": ("31/03/2023", dt.date(2023, 3, 31)),
                "skills": ("negociation; licensing", [None, "licensing"]),
            },
        )
    ]
    html = render_html(Result([], [FileReport(CASES, "case_studies", "UJ", 1, [], preview)]))
    (table,) = parse(html).tables["preview"]
    cells = preview_cells(table)
    assert cells[("2", "duration_hours")] == "7,5 → 7.5"
    assert cells[("2", "certification")] == "x → yes"
    assert cells[("2", "skills")] == "negociation; licensing → ?; licensing"


# ---------------------------------------------------------------- with the real validator
def test_report_of_a_real_validation_names_each_problem(tmp_path):
    raw = tmp_path / "data" / "raw"
    (raw / "case_studies").mkdir(parents=True)
    for name in ("partners.csv", "skills_taxonomy.csv"):
        shutil.copy(RAW / name, raw / name)
    (raw / "case_studies" / "UJ.csv").write_text(
        "case_id,programme,provider,provider_type,country,delivery_mode,audience,skills\n"
        "UJ-C01,Licensing basics,UJ,university,Czech Republic,online,researchers,licensing\n"
        "UJ-C02,Deal making,UJ,univercity,Polska,hybrid,researchers,negociation\n",
        encoding="utf-8",
    )
    result = validate.validate_raw(raw, root=tmp_path)
    assert not result.ok
    html = render_html(result)
    tables = parse(html)
    listed = {(r[1], r[2]) for r in tables.rows("problems") if len(r) == 6}
    for problem in result.problems:
        assert (str(problem.row), problem.column) in listed, problem.line()
    assert {(p.row, p.column) for p in result.problems} >= {(3, "provider_type"), (3, "skills")}
    cells = preview_cells(tables.tables["preview"][0])
    assert cells[("2", "country")] == "Czech Republic → CZ"
    assert cells[("3", "skills")] == "negociation → ?"
    (summary,) = tables.tables["summary"]
    assert summary[1][0] == "UJ" and summary[1][-1] == "needs fixes"


def test_write_html_writes_the_rendered_page(tmp_path):
    path = tmp_path / "out" / "validation_report.html"
    write_html(sample_result(), path)
    assert path.read_bytes() == render_html(sample_result()).encode("utf-8")


def test_no_files_gives_a_readable_page():
    html = render_html(Result([], []))
    assert "No partner files were found." in html


def test_each_file_heading_counts_only_what_there_is(html):
    assert "<h3>2 errors and 1 warning</h3>" in html  # UJ's case studies
    assert "<h3>1 error and 1 warning</h3>" in html  # UNIBO's interviews
    assert "0 warnings</h3>" not in html


def test_personal_values_typed_in_a_quote_are_never_shown(tmp_path):
    """Issue 17 §5: the quote and another cell hold the interviewee's e-mail, phone and
    name in other spellings; the page lists the problems but shows none of the values."""
    from ktreport.guard import scan
    from ktreport.guard.extract import html_text
    from ktreport.guard.matching import needles_for
    from ktreport.guard.values import read_personal_values

    raw = tmp_path / "data" / "raw"
    (raw / "interviews").mkdir(parents=True)
    for name in ("partners.csv", "skills_taxonomy.csv"):
        shutil.copy(RAW / name, raw / name)
    (raw / "interviews" / "UH.csv").write_text(
        "interview_id,respondent_group,country,skills_required,quote,consent_to_quote,"
        "name,email,organisation,phone\n"
        "UH-I01,hei_kt_professional,Finland,negotiation; Aino Makela,"
        '"Write to AINO.MAKELA@UH-TTO.EXAMPLE or call +358 9 1234 5678, says Aino.",yes,'
        "Aino Mäkelä,aino.makela@uh-tto.example,Helsingin yliopisto,09 1234 5678\n",
        encoding="utf-8",
    )
    result = validate.validate_raw(raw, root=tmp_path)
    html = render_html(result)
    errors = {(p.row, p.column, p.message) for p in result.problems if p.severity == "error"}
    assert {
        (2, "quote", "the quote contains the interviewee's own e-mail"),
        (2, "quote", "the quote contains the interviewee's own phone number"),
        (2, "skills_required", "the skills_required cell contains the interviewee's own name"),
    } <= errors
    lowered = html.lower()
    for spelling in ("aino.makela", "uh-tto", "makela", "mäkelä", "1234 5678", "12345678"):
        assert spelling not in lowered, spelling
    needles = needles_for(read_personal_values(raw, root=tmp_path), set())
    assert scan.scan_text(html_text(html), needles, "validation_report.html") == []
    assert "[e-mail]" in html and "[phone]" in html
    assert (
        "Personal data (names, e-mails, organisations,\nphone numbers of interviewees) is "
        "never shown." in html
    )
