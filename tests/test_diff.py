"""ktreport diff: tracked changes between two built versions (numbers, text, figures, rows)."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from ktreport import catalog
from ktreport.review import output as review_output
from ktreport.review.changes import CellChange, Changes, FileChange, Segment, SentenceChange
from ktreport.review.diff import compare
from ktreport.review.figures import compare_figures
from ktreport.review.keyfigures import compare_key_figures
from ktreport.review.output import Written, format_delta, format_value, write_changes
from ktreport.review.rows import WITHHELD_QUOTE, compare_raw_file
from ktreport.review.snapshots import repository_root
from ktreport.review.text import (
    compare_chapters,
    compare_templates,
    readable_text,
    sentence_changes,
    split_sections,
    split_sentences,
    word_diff,
)
from ktreport.review.tree import KEY_FIGURES_PATH, Snapshot
from ktreport.run.snakemake import build_tree

TWO_VERSIONS = FIXTURES / "diff" / "two_versions"
PERSONAL_VALUES = ("Anna Rossi", "anna.rossi@example.org", "Alma Labs", "+39 051 000001")
PERSONAL_VALUES += ("Marco Bianchi", "Bianchi Srl", "Jan Kowalski", "jan@example.org")


@pytest.fixture(scope="module")
def two_versions() -> Changes:
    return compare(Snapshot(TWO_VERSIONS / "old", "v1.0"), Snapshot(TWO_VERSIONS / "new", "v1.1"))


@pytest.fixture(scope="module")
def written(tmp_path_factory, two_versions) -> Written:
    return write_changes(two_versions, tmp_path_factory.mktemp("diff") / "v1.0..v1.1")


def _file(changes: Changes, table: str, name: str) -> FileChange:
    return next(f for f in changes.files if (f.table, f.name) == (table, name))


# --- words and sentences ------------------------------------------------------------------


def test_word_diff_of_one_sentence_marks_only_the_changed_words():
    segments = word_diff(
        "Of the 60 interviewees, 41 named negotiation as required.",
        "Of the 62 interviewees, 41 named negotiation and networking as required.",
    )
    assert segments == [
        Segment("equal", "Of the "),
        Segment("delete", "60"),
        Segment("insert", "62"),
        Segment("equal", " interviewees, 41 named negotiation "),
        Segment("insert", "and networking "),
        Segment("equal", "as required."),
    ]


def test_word_diff_reads_a_multi_word_replacement_as_one_deletion_and_one_insertion():
    segments = word_diff("Interviews were coded.", "Two researchers coded.")
    assert segments == [
        Segment("delete", "Interviews were"),
        Segment("insert", "Two researchers"),
        Segment("equal", " coded."),
    ]


def test_word_diff_keeps_a_decimal_number_as_one_token():
    segments = word_diff("a share of 41.7 %", "a share of 43.2 %")
    assert [s for s in segments if s.op != "equal"] == [
        Segment("delete", "41.7"),
        Segment("insert", "43.2"),
    ]


def test_rewrapped_lines_are_no_change():
    old = "The gap is widest\nfor negotiation.\n"
    new = "The gap is widest for\nnegotiation.\n"
    assert all(s.op == "equal" for s in word_diff(old, new))
    sections = compare_chapters({"c.qmd": "# A\n\n" + old}, {"c.qmd": "# A\n\n" + new})
    assert [s.status for s in sections] == ["unchanged"]


def test_sentences_changed_only_in_numbers_are_told_apart_from_edited_ones():
    old = "Of the 60 interviewees, 41 named it (68.3 %). Most were happy."
    new = "Of the 62 interviewees, 43 named it (69.4 %). Most were very happy."
    assert sentence_changes(old, new) == [
        SentenceChange(
            "data",
            "Of the 60 interviewees, 41 named it (68.3 %).",
            "Of the 62 interviewees, 43 named it (69.4 %).",
        ),
        SentenceChange("edited", "Most were happy.", "Most were very happy."),
    ]


def test_a_changed_key_figure_label_and_a_table_row_are_changes_of_computed_values():
    def chapter(skill: str, row: str) -> str:
        span = f'[{skill}]{{data-kf="top_gap_skill" title="top_gap_skill"}}'
        return (
            f"# Gaps\n\nThe largest shortfall is for {span}.\n\n| Skill | n |\n|:--|--:|\n{row}\n"
        )

    (section,) = compare_chapters(
        {"c.qmd": chapter("Negotiation", "| Negotiation | 5 |")},
        {"c.qmd": chapter("Conflict resolution", "| Conflict resolution | 6 |")},
    )
    assert [(c.kind, c.new) for c in section.sentences] == [
        ("data", "The largest shortfall is for Conflict resolution."),
        ("data", "| Conflict resolution | 6 |"),
    ]
    assert "\ue000" not in "".join(s.text for s in section.segments)


def test_a_word_changed_next_to_a_computed_value_is_an_edit():
    span = '[41]{data-kf="n" title="n"}'
    (section,) = compare_chapters(
        {"c.qmd": f"# A\n\nWe met {span} people.\n"},
        {"c.qmd": f"# A\n\nWe interviewed {span} people.\n"},
    )
    assert [c.kind for c in section.sentences] == ["edited"]


def test_template_edits_are_the_sentences_authors_changed():
    old = {"01-intro.md.j2": "# Intro\n\nWe met {{ kf.n }} people. It was\nuseful.\n"}
    new = {"01-intro.md.j2": "# Intro\n\nWe met {{ kf.n }} people. It was\nvery useful.\n"}
    (edit,) = compare_templates(old, new)
    assert (edit.template, edit.kind, edit.old, edit.new) == (
        "01-intro.md.j2",
        "edited",
        "It was useful.",
        "It was very useful.",
    )
    assert Segment("insert", "very ") in edit.segments


def test_added_and_removed_sentences():
    changes = sentence_changes("One. Two.", "One. Three. Two.")
    assert changes == [SentenceChange("added", "", "Three.")]
    assert sentence_changes("One. Two.", "Two.") == [SentenceChange("removed", "One.", "")]


def test_sections_split_at_headings_but_not_inside_code_blocks():
    text = (
        "Intro text.\n\n# Title {#sec-t}\n\nBody.\n\n```\n# not a heading\n```\n\n## Sub\n\nMore.\n"
    )
    assert [h for h, _ in split_sections(text)] == ["", "Title", "Sub"]
    assert "# not a heading" in split_sections(text)[1][1]


def test_chapter_sections_changed_unchanged_and_removed(two_versions):
    status = {(s.chapter, s.heading): s.status for s in two_versions.sections}
    assert status == {
        ("01-introduction.qmd", "Introduction"): "unchanged",
        ("01-introduction.qmd", "The sample"): "changed",
        ("01-introduction.qmd", "Method"): "changed",
        ("02-training-offer.qmd", "Training offer"): "unchanged",
        ("03-conclusions.qmd", "Conclusions"): "removed",
    }
    edited = [
        (c.old, c.new)
        for s in two_versions.sections
        if s.status == "changed"
        for c in s.sentences
        if c.kind == "edited"
    ]
    assert edited == [
        (
            "Interviews were coded against the skills taxonomy.",
            "Two researchers coded every interview against the skills taxonomy.",
        )
    ]


def test_key_figure_source_spans_and_markup_are_read_as_the_reader_sees_them():
    markdown = (
        "## The sample {#sec-sample}\n\n"
        'Of the [60]{data-kf="n_interviews" title="n_interviews — Interviews: n = 60"} '
        "interviewees, 5\\$ each \\(see @fig-a\\).\n\n"
        '::: {#fig-a}\n![](figures/fig-a.svg){fig-alt="Bars"}\n\n**Title.** Caption.\n:::\n'
    )
    assert readable_text(markdown) == (
        "## The sample\n\nOf the 60 interviewees, 5$ each (see @fig-a).\n\n"
        "\n[figure: fig-a]\n\n**Title.** Caption.\n\n"
    )


def test_lines_of_a_paragraph_are_joined_but_list_items_and_table_rows_are_not():
    markdown = "Of the\n60 people,\nmost agreed.\n\n- one\n  more\n- two\n\n| a |\n| b |\n"
    assert readable_text(markdown) == (
        "Of the 60 people, most agreed.\n\n- one more\n- two\n\n| a |\n| b |\n"
    )


def test_a_number_in_a_source_span_changes_as_a_number_only():
    def chapter(n: int) -> str:
        span = f'[{n}]{{data-kf="n_interviews" title="n_interviews — Interviews: n = {n}"}}'
        return f"# Sample\n\nWe interviewed {span} people.\n"

    (section,) = compare_chapters({"c.qmd": chapter(60)}, {"c.qmd": chapter(62)})
    assert section.sentences == (
        SentenceChange("data", "We interviewed 60 people.", "We interviewed 62 people."),
    )
    assert [s for s in section.segments if s.op != "equal"] == [
        Segment("delete", "60"),
        Segment("insert", "62"),
    ]


def test_the_authors_edit_is_listed_from_the_templates(two_versions):
    assert [(e.template, e.old, e.new) for e in two_versions.template_edits] == [
        (
            "01-introduction.md.j2",
            "Interviews were coded against the skills taxonomy.",
            "Two researchers coded every interview against the skills taxonomy.",
        )
    ]


def test_a_renamed_heading_is_a_changed_section_not_a_removal():
    sections = compare_chapters(
        {"c.qmd": "# Results\n\nText.\n"}, {"c.qmd": "# Findings\n\nText.\n"}
    )
    assert [(s.heading, s.status) for s in sections] == [("Findings", "changed")]


# --- key figures -------------------------------------------------------------------------


def test_key_figure_delta_and_changed_ones_first(two_versions):
    rows = [(k.name, k.status, k.old_value, k.new_value, k.delta) for k in two_versions.key_figures]
    assert rows == [
        ("median_years_experience", "changed", 12.0, 13.0, 1.0),
        ("n_interviews", "changed", 5, 6, 1),
        ("share_required_negotiation", "changed", 0.6, 0.5, -0.1),
        ("n_added_later", "added", None, 2, None),
        ("n_removed_later", "removed", 7, None, None),
        ("n_case_studies", "unchanged", 1, 1, None),
        ("top_required_skill", "unchanged", "Negotiation", "Negotiation", None),
    ]
    share = next(k for k in two_versions.key_figures if k.name == "share_required_negotiation")
    assert (share.old_n, share.old_denominator, share.new_n, share.new_denominator) == (3, 5, 3, 6)


def test_a_changed_label_has_no_delta():
    old = {"top_skill": {"value": "Negotiation", "unit": "label"}}
    new = {"top_skill": {"value": "Communication", "unit": "label"}}
    (change,) = compare_key_figures(old, new)
    assert (change.status, change.delta) == ("changed", None)


def test_shares_read_as_percentages_and_their_delta_in_points():
    assert format_value(0.41666, "share") == "41.7 %"
    assert format_delta(-0.1, "share") == "-10.0 pp"
    assert format_value(12345, "count") == "12\u202f345"
    assert format_delta(2, "count") == "+2"
    assert format_value(8.0, "score") == "8"
    assert format_delta(-1.25, "score") == "-1.25"


# --- figures -----------------------------------------------------------------------------


def test_figure_with_new_data_is_changed_and_identical_one_is_not(two_versions):
    figures = {f.figure_id: f for f in two_versions.figures}
    assert figures["fig-supply-demand"].status == "changed"
    assert figures["fig-supply-demand"].data_changed
    assert figures["fig-offer"].status == "unchanged"


def test_figure_whose_drawing_alone_changed_is_changed_with_its_data_unchanged():
    svg = b"<svg xmlns='http://www.w3.org/2000/svg'><rect width='1' height='1'/></svg>"
    old = {"fig-a": {"title": "A", "svg": svg, "data": '{"y": [1]}'}}
    new = {"fig-a": {"title": "A", "svg": svg.replace(b"'1'", b"'2'"), "data": '{"y": [1]}'}}
    (change,) = compare_figures(old, new)
    assert (change.status, change.data_changed, change.drawing_changed) == (
        "changed",
        False,
        True,
    )


def test_figure_json_is_compared_by_content_not_by_key_order(tmp_path):
    for side, text in (("old", '{"a": 1, "b": 2}'), ("new", '{"b": 2, "a": 1}')):
        folder = tmp_path / side / catalog.FIGURES_DIR
        folder.mkdir(parents=True)
        (folder / "fig-a.json").write_text(text)
        (folder / "fig-a.svg").write_bytes(b"<svg/>")
    (change,) = compare_figures(
        Snapshot(tmp_path / "old", "o").figures(), Snapshot(tmp_path / "new", "n").figures()
    )
    assert change.status == "unchanged"


# --- partner data ------------------------------------------------------------------------


def test_rows_added_removed_and_modified_by_id_with_changed_cells(two_versions):
    unibo = _file(two_versions, "interviews", "UNIBO")
    assert [r.key for r in unibo.rows_added] == ["UNIBO-I04", "UNIBO-I05"]
    assert [r.new_row for r in unibo.rows_added] == [5, 6]
    assert unibo.rows_removed == ()
    (modified,) = unibo.rows_modified
    assert (modified.key, modified.old_row, modified.new_row) == ("UNIBO-I02", 3, 3)
    assert modified.changes == (CellChange("years_experience", "12", "14"),)
    uj = _file(two_versions, "interviews", "UJ")  # a semicolon-separated CSV
    assert [(r.key, r.old_row) for r in uj.rows_removed] == [("UJ-I02", 3)]
    assert (uj.rows_added, uj.rows_modified) == ((), ())
    assert _file(two_versions, "case_studies", "ASTP").status == "unchanged"
    summary = two_versions.summary
    assert (summary.rows_added, summary.rows_removed, summary.rows_modified) == (2, 1, 1)


def _write_csv(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_ratings_rows_are_matched_by_interview_and_skill(tmp_path):
    header = "interview_id,skill,importance,proficiency\n"
    old = _write_csv(
        tmp_path / "old/data/raw/ratings/UH.csv",
        header + "UH-I01,negotiation,5,3\nUH-I01,communication,4,4\n",
    )
    new = _write_csv(
        tmp_path / "new/data/raw/ratings/UH.csv",
        header + "UH-I01,communication,4,4\nUH-I01,negotiation,5,4\nUH-I02,negotiation,3,2\n",
    )
    change = compare_raw_file("ratings", "UH", old, new, tmp_path / "old", tmp_path / "new")
    assert [r.key for r in change.rows_added] == ["UH-I02 / negotiation"]
    assert [(r.key, r.changes) for r in change.rows_modified] == [
        ("UH-I01 / negotiation", (CellChange("proficiency", "3", "4"),))
    ]


def test_moving_a_row_within_a_file_is_no_change(tmp_path):
    header = "case_id,programme\n"
    old = _write_csv(tmp_path / "o/data/raw/case_studies/UH.csv", header + "C1,A\nC2,B\n")
    new = _write_csv(tmp_path / "n/data/raw/case_studies/UH.csv", header + "C2,B\nC1,A\n")
    change = compare_raw_file("case_studies", "UH", old, new, tmp_path / "o", tmp_path / "n")
    assert change.status == "unchanged"


def test_xlsx_cells_are_compared_as_text_with_the_csv_they_replace(tmp_path):
    import datetime as dt

    import openpyxl

    old = _write_csv(
        tmp_path / "old/data/raw/interviews/UH.csv",
        "interview_id,years_experience,interview_date\nUH-I01,12,2023-03-01\n",
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Interview ID", "Years experience", "Interview date"])
    sheet.append(["UH-I01", 12, dt.datetime(2023, 3, 1)])
    new = tmp_path / "new/data/raw/interviews/UH.xlsx"
    new.parent.mkdir(parents=True)
    workbook.save(new)
    change = compare_raw_file("interviews", "UH", old, new, tmp_path / "old", tmp_path / "new")
    assert (change.rows_added, change.rows_removed, change.rows_modified) == ((), (), ())
    assert change.status == "changed"  # the file itself moved from .csv to .xlsx


def test_an_unreadable_file_is_reported_not_a_crash(tmp_path):
    old = _write_csv(tmp_path / "old/data/raw/interviews/UH.xlsx", "not a workbook")
    new = _write_csv(tmp_path / "new/data/raw/interviews/UH.xlsx", "not a workbook either")
    change = compare_raw_file("interviews", "UH", old, new, tmp_path / "old", tmp_path / "new")
    assert change.status == "changed"
    assert "could not be read" in change.note


def test_personal_columns_are_neither_compared_nor_written(two_versions, written):
    for change in two_versions.files:
        if change.table == "interviews":
            assert change.columns and not {"name", "email", "organisation", "phone"} & set(
                change.columns
            )
    for path in (written.html, written.json):
        text = path.read_text(encoding="utf-8")
        for value in PERSONAL_VALUES:
            assert value not in text, (path.name, value)


def test_a_quote_without_consent_is_withheld_and_one_with_consent_is_shown(tmp_path):
    header = "interview_id,quote,consent_to_quote,name\n"
    old = _write_csv(tmp_path / "o/data/raw/interviews/UH.csv", header)
    new = _write_csv(
        tmp_path / "n/data/raw/interviews/UH.csv",
        header + 'UH-I01,"Secret words",no,Ann\nUH-I02,"Public words",yes,Bob\n',
    )
    change = compare_raw_file("interviews", "UH", old, new, tmp_path / "o", tmp_path / "n")
    quotes = {r.key: dict(r.cells)["quote"] for r in change.rows_added}
    assert quotes == {"UH-I01": WITHHELD_QUOTE, "UH-I02": "Public words"}


# --- provenance of each side -------------------------------------------------------------


def test_each_side_names_its_version_commit_date_and_fingerprint(two_versions):
    assert two_versions.old.version == "v1.0"
    assert two_versions.old.commit == "1" * 40
    assert two_versions.new.build_date == "2024-05-02"
    assert two_versions.new.data_fingerprint == "bbbbbbbbbbbb"


def test_without_build_information_the_fingerprint_is_computed_from_the_raw_files(tmp_path):
    for side in ("a", "b"):
        shutil.copytree(TWO_VERSIONS / "old" / "data", tmp_path / side / "data")
    (tmp_path / "b/data/raw/partners.csv").write_text("partner_id,name,country\n")
    first, second = Snapshot(tmp_path / "a", "a").info(), Snapshot(tmp_path / "b", "b").info()
    assert first.data_fingerprint and first.version == ""
    assert first.data_fingerprint != second.data_fingerprint


def test_identical_versions_have_no_change():
    same = compare(Snapshot(TWO_VERSIONS / "old", "a"), Snapshot(TWO_VERSIONS / "old", "b"))
    assert not same.anything_changed


# --- outputs -----------------------------------------------------------------------------


def test_changes_json_lists_the_same_changes_for_machines(written):
    data = json.loads(written.json.read_text(encoding="utf-8"))
    assert data["summary"]["rows_added"] == 2 and data["summary"]["anything_changed"]
    assert data["key_figures"][1] == {
        "name": "n_interviews",
        "status": "changed",
        "definition": "Interviews in the sample.",
        "unit": "count",
        "old_value": 5,
        "new_value": 6,
        "delta": 1,
        "old_n": None,
        "new_n": None,
        "old_denominator": None,
        "new_denominator": None,
        "in_text": False,
    }
    unibo = next(f for f in data["files"] if f["name"] == "UNIBO")
    assert [r["key"] for r in unibo["rows_added"]] == ["UNIBO-I04", "UNIBO-I05"]


def test_outputs_are_the_same_bytes_on_every_run(tmp_path, two_versions):
    first = write_changes(two_versions, tmp_path / "a")
    second = write_changes(two_versions, tmp_path / "b")
    for name in ("changes.html", "changes.json", "changes.pdf"):
        assert (first.folder / name).read_bytes() == (second.folder / name).read_bytes(), name


def test_html_shows_summary_numbers_sentences_figures_and_rows(written):
    html = written.html.read_text(encoding="utf-8")
    assert "<del>Interviews were</del><ins>Two researchers</ins>" in html
    assert "<del>12</del><ins>14</ins>" in html  # the changed cell of UNIBO-I02
    assert "UNIBO-I04" in html and "UJ-I02" in html
    assert html.count('src="data:image/svg+xml;base64,') == 2  # old and new of one figure
    assert "-10.0 pp" in html and "60.0 %" in html and "50.0 %" in html
    assert '<details class="unchanged section">' in html


def test_html_is_self_contained(written):
    html = written.html.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html
    for attribute in ('src="http', "src='http", 'href="http', "url(http", "@import"):
        assert attribute not in html


def test_html_escapes_hostile_text_from_every_source(tmp_path):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    for side in ("old", "new"):
        shutil.copytree(TWO_VERSIONS / side, tmp_path / side)
    chapter = tmp_path / "new" / catalog.CHAPTERS_DIR / "01-introduction.qmd"
    chapter.write_text(chapter.read_text() + f"\n## {hostile}\n\nText {hostile}.\n")
    figures = json.loads((tmp_path / "new" / KEY_FIGURES_PATH).read_text())
    figures["n_interviews"]["definition"] = hostile
    figures["top_required_skill"]["value"] = hostile
    (tmp_path / "new" / KEY_FIGURES_PATH).write_text(json.dumps(figures))
    manifest = tmp_path / "new" / catalog.FIGURES_DIR / "figures.json"
    manifest.write_text(manifest.read_text().replace("Skills required and possessed", hostile))
    unibo = tmp_path / "new/data/raw/interviews/UNIBO.csv"
    unibo.write_text(unibo.read_text().replace("UNIBO-I05,kt_expert", f'"{hostile}",kt_expert'))
    changes = compare(Snapshot(tmp_path / "old", "v1"), Snapshot(tmp_path / "new", hostile))
    written = write_changes(changes, tmp_path / "out", pdf=False)
    html = written.html.read_text(encoding="utf-8")
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_pdf_is_the_same_page_and_fetches_nothing_from_outside(written):
    from pypdf import PdfReader

    reader = PdfReader(written.pdf)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Changes from v1.0 to v1.1" in text and "UNIBO-I04" in text
    fetcher = review_output.DataUrlsOnly()
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.org/logo.png")


# --- revisions: git worktrees, cache, errors ---------------------------------------------

# A toy project whose "build" copies a fixture snapshot into place: the revision layer
# (worktrees, working-tree copy, cache, errors) is tested without the real pipeline.
TOY_SNAKEFILE = """
rule all:
    input:
        "report/output/key_figures.json",


rule build:
    input:
        "version.txt",
    output:
        "report/output/key_figures.json",
    shell:
        "cp -r snapshots/$(cat version.txt)/report . && mkdir -p report/output && "
        "cp snapshots/$(cat version.txt)/report/output/key_figures.json report/output/ && "
        "test \\"$(cat version.txt)\\" != broken"
"""


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture()
def toy_repo(tmp_path) -> Path:
    repo = tmp_path / "toy"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "test@example.org")
    _git(repo, "config", "user.name", "Test")
    (repo / "Snakefile").write_text(TOY_SNAKEFILE)
    (repo / ".gitignore").write_text("/.cache/\n/report/\n/.snakemake/\n")
    for side in ("old", "new"):
        shutil.copytree(TWO_VERSIONS / side / "report", repo / "snapshots" / side / "report")
        # Provenance then comes from the build's own record of its revision.
        (repo / "snapshots" / side / catalog.BUILD_INFO).unlink()
    shutil.copytree(TWO_VERSIONS / "old" / "data", repo / "data")
    (repo / "version.txt").write_text("old\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "v1.0")
    _git(repo, "tag", "v1.0")
    return repo


def _run_cli(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ktreport.cli", "diff", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "HOME": str(repo)},
    )


def test_working_tree_against_latest_tag_is_built_in_worktrees_and_cached(toy_repo):
    shutil.rmtree(toy_repo / "data" / "raw" / "interviews")
    shutil.copytree(TWO_VERSIONS / "new/data/raw/interviews", toy_repo / "data/raw/interviews")
    (toy_repo / "version.txt").write_text("new\n")  # uncommitted: the working tree is new
    result = _run_cli(toy_repo, "--no-pdf")
    assert result.returncode == 0, result.stderr
    data = json.loads((toy_repo / "report/output/diff/v1.0..working-tree/changes.json").read_text())
    assert data["summary"]["key_figures_changed"] == 3
    assert data["summary"]["rows_added"] == 2
    assert data["old"]["commit"] == _git(toy_repo, "rev-parse", "HEAD")
    assert _git(toy_repo, "worktree", "list").count("\n") == 0  # worktrees removed
    builds = sorted(p.name for p in (toy_repo / ".cache/ktreport/builds").iterdir())
    assert len(builds) == 2 and any(b.startswith("worktree-") for b in builds)
    again = _run_cli(toy_repo, "--no-pdf", "--fail-on-change")
    assert again.returncode == 1  # changes found, for CI
    assert again.stderr.count("using the cached build") == 2


def test_two_commits_by_name_and_no_change_between_a_commit_and_itself(toy_repo):
    result = _run_cli(toy_repo, "v1.0", "HEAD", "--no-pdf", "--fail-on-change")
    assert result.returncode == 0, result.stderr  # nothing changed
    assert (toy_repo / "report/output/diff/v1.0..HEAD/changes.html").is_file()


def test_unknown_revision_is_a_clear_error_without_traceback(toy_repo):
    result = _run_cli(toy_repo, "v9.9")
    assert result.returncode == 2
    assert "'v9.9' is not a tag, branch or commit of this repository" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_no_tag_means_the_old_version_must_be_named(toy_repo):
    _git(toy_repo, "tag", "-d", "v1.0")
    result = _run_cli(toy_repo)
    assert result.returncode == 2
    assert "no tag in this repository" in result.stderr


def test_a_revision_that_cannot_be_built_names_itself_and_its_log(toy_repo):
    (toy_repo / "version.txt").write_text("broken\n")
    _git(toy_repo, "commit", "-q", "-am", "broken build")
    result = _run_cli(toy_repo, "v1.0", "main", "--no-pdf")
    assert result.returncode == 2
    assert "main" in result.stderr and "could not be built" in result.stderr
    log = result.stderr.split("log: ")[-1].strip()
    assert Path(log).is_file() and "Error" in Path(log).read_text()
    assert "Traceback" not in result.stderr


def test_two_folders_are_compared_without_git(tmp_path):
    result = _run_cli(
        tmp_path, str(TWO_VERSIONS / "old"), str(TWO_VERSIONS / "new"), "--out", "here", "--no-pdf"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "here/changes.json").read_text())["summary"]["rows_removed"] == 1


def test_build_tree_runs_the_trees_own_library(tmp_path):
    tree = tmp_path / "tree"
    (tree / "workflow" / "ktreport").mkdir(parents=True)
    (tree / "workflow" / "ktreport" / "__init__.py").write_text("MARK = 'tree'\n")
    (tree / "Snakefile").write_text(
        'rule all:\n    output:\n        "mark.txt",\n    run:\n'
        "        import ktreport\n"
        '        open(output[0], "w").write(getattr(ktreport, "MARK", "main"))\n'
    )
    result = build_tree(tree, 1)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tree / "mark.txt").read_text() == "tree"


def test_the_project_tree_is_a_git_repository():
    assert repository_root(ROOT) is not None


# --- end to end: two commits of the real project -----------------------------------------

STATIC_SENTENCE = re.compile(r"^[A-Z][^{}#*_`\[\]|<>@$\\\\]{40,200}\.$")


def _copy_tracked_files(target: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.decode()
    for relative in filter(None, listed.split("\0")):
        source = ROOT / relative
        if source.is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / relative)


def _static_sentence(chapters: Path) -> tuple[Path, str]:
    """A sentence of plain prose in a chapter template (no jinja, no Markdown markup)."""
    for template in sorted(chapters.glob("*.md.j2")):
        for block in re.split(r"\n\s*\n", template.read_text(encoding="utf-8")):
            if "{" in block or block.lstrip().startswith(("#", "|", "-", ":", ">", "!", "*")):
                continue
            for sentence in split_sentences(block):
                if STATIC_SENTENCE.match(sentence) and len(sentence.split()) >= 8:
                    return template, sentence
    raise AssertionError(f"no plain sentence found in {chapters}")


def _replace_sentence(template: Path, sentence: str, new_sentence: str) -> None:
    """Replace a sentence of a template, whatever its line breaks."""
    pattern = re.compile(r"\s+".join(map(re.escape, sentence.split())))
    text = template.read_text(encoding="utf-8")
    assert len(pattern.findall(text)) == 1, sentence
    template.write_text(pattern.sub(lambda _: new_sentence, text), encoding="utf-8")


def _append_interviews(path: Path, copies: dict[str, str]) -> list[dict[str, str]]:
    """Append copies of existing interviews under new ids (and new personal values)."""
    raw = path.read_bytes()
    bom = raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig")
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    added = []
    for new_id, source_id in copies.items():
        row = dict(next(r for r in rows if r["interview_id"] == source_id))
        row["interview_id"] = new_id
        for personal in ("name", "email", "organisation", "phone"):
            if personal in row:
                row[personal] = f"{personal} of {new_id}"
        added.append(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows + added)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + out.getvalue().encode("utf-8"))
    return added


def _edit_cell(path: Path, row_id: str, column: str, value: str) -> str:
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["interview_id"] == row_id)
    old, row[column] = row[column], value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return old


def _all_interviews(raw: Path):
    """Every interview row of every partner file, read with pandas (independently of ktreport)."""
    import pandas as pd

    frames = []
    for path in sorted((raw / "interviews").iterdir()):
        if path.suffix == ".csv":
            sample = path.read_text(encoding="utf-8-sig").split("\n", 1)[0]
            frame = pd.read_csv(
                path,
                sep=";" if sample.count(";") > sample.count(",") else ",",
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
            )
        else:
            engine = "odf" if path.suffix == ".ods" else "openpyxl"
            frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine=engine)
            frame.columns = [
                str(c).replace("*", "").strip().lower().replace(" ", "_") for c in frame.columns
            ]
        frames.append(frame[frame["interview_id"].str.strip() != ""])
    return pd.concat(frames, ignore_index=True)


def _respondent_group(value: str) -> str:
    """A respondent group as the data contract declares its spellings ("HEI KT professional")."""
    from ktreport.contract import INTERVIEWS

    column = INTERVIEWS.column("respondent_group")
    key = " ".join(value.strip().lower().replace("_", " ").replace("-", " ").split())
    allowed = {a.replace("_", " "): a for a in column.allowed}
    return column.aliases.get(key) or allowed.get(key, value)


@pytest.mark.e2e
def test_diff_of_two_commits_lists_exactly_the_changed_numbers_sentence_and_rows(tmp_path):
    repo = tmp_path / "repo"
    _copy_tracked_files(repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "test@example.org")
    _git(repo, "config", "user.name", "Test")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "version 1.0")
    _git(repo, "tag", "v1.0")
    before = _all_interviews(repo / "data/raw")

    # Version 1.1: two interviews added in a CSV file, one cell edited in another file,
    # one sentence of one chapter rewritten.
    added = _append_interviews(
        repo / "data/raw/interviews/UH.csv", {"UH-I91": "UH-I01", "UH-I92": "UH-I02"}
    )
    astp = repo / "data/raw/interviews/ASTP.csv"
    astp_rows = csv.DictReader(io.StringIO(astp.read_text(encoding="utf-8-sig")))
    old_years = next(r for r in astp_rows if r["interview_id"] == "ASTP-I01")["years_experience"]
    new_years = str(int(old_years) + 5)
    _edit_cell(astp, "ASTP-I01", "years_experience", new_years)

    template, sentence = _static_sentence(repo / "report/chapters")
    new_sentence = sentence[:-1] + ", as the partners agreed."
    _replace_sentence(template, sentence, new_sentence)
    _git(repo, "commit", "-q", "-am", "version 1.1")
    after = _all_interviews(repo / "data/raw")

    result = _run_cli(repo, "v1.0", "HEAD")
    assert result.returncode == 0, result.stderr
    folder = repo / "report/output/diff/v1.0..HEAD"
    changes = json.loads((folder / "changes.json").read_text(encoding="utf-8"))

    # Exactly those rows.
    changed_files = [f for f in changes["files"] if f["status"] != "unchanged"]
    assert [(f["table"], f["name"]) for f in changed_files] == [
        ("interviews", "ASTP"),
        ("interviews", "UH"),
    ]
    astp, uh = changed_files
    assert [r["key"] for r in uh["rows_added"]] == ["UH-I91", "UH-I92"]
    assert (uh["rows_removed"], uh["rows_modified"], astp["rows_added"], astp["rows_removed"]) == (
        [],
        [],
        [],
        [],
    )
    assert [(r["key"], r["changes"]) for r in astp["rows_modified"]] == [
        ("ASTP-I01", [{"column": "years_experience", "old": old_years, "new": new_years}])
    ]

    # Exactly the changed key figures, old and new values as each build computed them ...
    def key_figures(revision: str) -> dict:
        sha = _git(repo, "rev-parse", revision)
        path = repo / ".cache/ktreport/builds" / sha / "report/output/key_figures.json"
        return json.loads(path.read_text(encoding="utf-8"))

    old_kf, new_kf = key_figures("v1.0"), key_figures("HEAD")
    expected = {
        name: (old_kf.get(name, {}).get("value"), new_kf.get(name, {}).get("value"))
        for name in sorted(set(old_kf) | set(new_kf))
        if (name in old_kf) != (name in new_kf) or old_kf[name]["value"] != new_kf[name]["value"]
    }
    listed = {
        k["name"]: (k["old_value"], k["new_value"])
        for k in changes["key_figures"]
        if k["status"] != "unchanged"
    }
    assert listed == expected
    # ... and those values agree with the raw data, counted here with pandas.
    assert listed["n_interviews"] == (len(before), len(after)) == (len(before), len(before) + 2)
    for group in {_respondent_group(row["respondent_group"]) for row in added}:
        old_n = int((before["respondent_group"].map(_respondent_group) == group).sum())
        new_n = int((after["respondent_group"].map(_respondent_group) == group).sum())
        assert listed[f"n_group_{group}"] == (old_n, new_n)

    def median_years(frame) -> float:
        years = frame["years_experience"].str.strip()
        return float(years[years != ""].astype(float).median())

    if median_years(before) != median_years(after):
        assert listed["median_years_experience"] == (median_years(before), median_years(after))
    else:
        assert "median_years_experience" not in listed

    # Exactly that sentence was edited by the authors, and the report's text shows it.
    edits = [(e["template"], e["kind"], e["old"], e["new"]) for e in changes["template_edits"]]
    assert edits == [(template.name, "edited", sentence, new_sentence)]
    rendered = [
        (c["kind"], c["old"], c["new"])
        for section in changes["sections"]
        for c in section["sentences"]
        if sentence in c["old"] or new_sentence in c["new"]
    ]
    assert rendered == [("edited", sentence, new_sentence)]

    # And changes.html shows them.
    html = (folder / "changes.html").read_text(encoding="utf-8")
    assert html.count("<ins>, as the partners agreed</ins>") == 2  # template and report
    assert "UH-I91" in html and "UH-I92" in html and "ASTP-I01" in html
    assert f"<del>{old_years}</del><ins>{new_years}</ins>" in html
    for name in listed:
        assert f"<code>{name}</code>" in html
    assert "of UH-I91" not in html  # the added rows' personal values
    assert (folder / "changes.pdf").stat().st_size > 1000
