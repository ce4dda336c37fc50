"""A reviewed Word copy comes back: every comment and tracked change at its chapter line.

A small report (two chapter templates, sentences on known lines) is written and rendered
to its review copy as the build does it; a reviewer's work is then added with python-docx
(comments) and raw WordprocessingML (tracked insertions and deletions, a comment on an
insertion, a rewritten paragraph that lost its bookmark, a new paragraph), and the copy
is also saved again by LibreOffice. ``ktreport comments`` must place every remark on the
template line that holds the words it is about.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from ktreport.chapters.keyfigures import KeyFigure
from ktreport.chapters.write import write_chapters
from ktreport.render.docx import render_docx
from ktreport.review.comments_page import collect_comments

ROOT = Path(__file__).resolve().parents[1]
INTRO = """\
# Introduction {#sec-intro}

This study asked {{ kf.n_people }} people about
their *training* needs in detail.

A second paragraph that a reviewer rewrites completely later on today.

- A list item about delivery formats.
"""
FINDINGS = """\
{% set unused = 1 %}
## Findings {#sec-findings}

The largest gap is in negotiation,
followed by **communication** skills.

Nothing else to report here for now.
"""
# What each remark (by its comment text, or its inserted/deleted text) is about.
EXPECTED = {
    "whole paragraph": "01-intro.md.j2:3",
    "why italics?": "01-intro.md.j2:4",
    "check this number": "01-intro.md.j2:3",
    "list item": "01-intro.md.j2:8",
    "heading": "02-findings.md.j2:2",
    "bold word": "02-findings.md.j2:5",
    " yet": "02-findings.md.j2:7",
    "skills.": "02-findings.md.j2:5",
    "on my insertion": "02-findings.md.j2:7",
    "rewritten": "01-intro.md.j2:6",
    "brand new": "not placed",
}


@pytest.fixture(scope="module")
def review_copy(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("project")
    chapters = project / "report" / "chapters"
    chapters.mkdir(parents=True)
    (chapters / "01-intro.md.j2").write_text(INTRO, encoding="utf-8")
    (chapters / "02-findings.md.j2").write_text(FINDINGS, encoding="utf-8")
    kf = {"n_people": KeyFigure("n_people", 42, "people asked", unit="count")}
    written = write_chapters(chapters, {"kf": kf}, project / "report/_build/chapters")
    context = {
        "config": {"sample_data": True, "report": {"title": "Test report"}},
        "build": {"version": "t1", "date": "2026-01-01", "source_date_epoch": 1700000000},
    }
    out = project / "report/_build/output/KT_Skills_Investigation_Report_review.docx"
    docx_dir = project / "report/_build/docx"
    render_docx(written, out, context=context, report_dir=ROOT / "report", docx_dir=docx_dir)
    return out


def _paragraph(document, starts: str):
    return next(p for p in document.paragraphs if p.text.startswith(starts))


def _run(paragraph, text: str):
    return next(r for r in paragraph.runs if r.text == text)


def _tracked(kind: str, run, number: int):
    change = etree.SubElement(run._r.getparent(), qn(f"w:{kind}"))
    change.set(qn("w:id"), str(number))
    change.set(qn("w:author"), "Reviewer Two")
    change.set(qn("w:date"), "2026-02-03T10:00:00Z")
    return change


def review(copy_path: Path, target: Path) -> Path:
    """The review copy with a reviewer's comments and tracked changes."""
    document = docx.Document(str(copy_path))
    add = document.add_comment
    study = _paragraph(document, "This study asked")
    add(study.runs, "whole paragraph", author="Reviewer One")
    add(_run(study, "training"), "why italics?", author="Reviewer One")
    add(_run(study, "42"), "check this number", author="Reviewer One")
    add(_paragraph(document, "A list item").runs, "list item", author="Reviewer One")
    add(_paragraph(document, "1.1 Findings").runs, "heading", author="Reviewer One")
    gap = _paragraph(document, "The largest gap")
    add(_run(gap, "communication"), "bold word", author="Reviewer One")
    # A tracked deletion of "skills." and a tracked insertion of " yet" (commented on).
    skills = _run(gap, "skills.")
    deletion = _tracked("del", skills, 901)
    skills._r.addprevious(deletion)
    deletion.append(skills._r)
    for text in skills._r.iter(qn("w:t")):
        text.tag = qn("w:delText")
    nothing = _paragraph(document, "Nothing else")
    insertion = _tracked("ins", nothing.runs[-1], 902)
    inserted = copy.deepcopy(nothing.runs[-1]._r)
    inserted.find(qn("w:t")).text = " yet"
    inserted.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    insertion.append(inserted)
    nothing.runs[-1]._r.addnext(insertion)
    comment = add(nothing.runs[-1], "on my insertion", author="Reviewer Two")
    start = next(nothing._p.iter(qn("w:commentRangeStart")))
    end = next(nothing._p.iter(qn("w:commentRangeEnd")))
    insertion.addprevious(start)
    insertion.addnext(end)
    assert comment.comment_id is not None
    # A paragraph rewritten by hand: its bookmark is gone, most of its words stay.
    second = _paragraph(document, "A second paragraph")
    for bookmark in [*second._p.iter(qn("w:bookmarkStart")), *second._p.iter(qn("w:bookmarkEnd"))]:
        bookmark.getparent().remove(bookmark)
    second.runs[0].text = "A second paragraph that the reviewer rewrote completely later today."
    add(second.runs, "rewritten", author="Reviewer One")
    new = document.add_paragraph("Something no chapter ever said about llamas.")
    add(new.runs, "brand new", author="Reviewer One")
    document.save(str(target))
    return target


def _placements(run) -> dict[str, str]:
    return {(r.text if r.kind == "comment" else r.text): r.where for r in run.remarks}


def test_every_comment_and_change_maps_to_its_chapter_line(review_copy, tmp_path):
    reviewed = review(review_copy, tmp_path / "reviewed.docx")
    run = collect_comments(
        reviewed, review_copy.parents[3], out=tmp_path / "out", reference=review_copy
    )
    assert _placements(run) == EXPECTED
    figure = next(r for r in run.remarks if r.text == "check this number")
    assert figure.key_figure == "n_people"
    deletion = next(r for r in run.remarks if r.kind == "deletion")
    assert (
        deletion.suggestion
        == "delete “skills.” after “is in negotiation, followed by communication”"
    )
    rewritten = next(r for r in run.remarks if r.text == "rewritten")
    assert rewritten.placed == "text"


def test_the_page_and_the_json_list_every_remark_and_the_unplaced_one(review_copy, tmp_path):
    reviewed = review(review_copy, tmp_path / "reviewed.docx")
    run = collect_comments(
        reviewed, review_copy.parents[3], out=tmp_path / "out", reference=review_copy
    )
    page = run.html.read_text(encoding="utf-8")
    data = json.loads(run.json.read_text(encoding="utf-8"))
    assert len(data) == len(EXPECTED)
    assert {entry["where"] for entry in data} == set(EXPECTED.values())
    assert "Not placed" in page and "brand new" in page and "Reviewer Two" in page
    assert "report/chapters/02-findings.md.j2" in page and "02-findings.md.j2:7" in page


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_bookmarks_comments_and_changes_survive_a_libreoffice_save(review_copy, tmp_path):
    reviewed = review(review_copy, tmp_path / "reviewed.docx")
    saved = tmp_path / "libreoffice"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(saved),
            str(reviewed),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    run = collect_comments(
        saved / "reviewed.docx", review_copy.parents[3], out=tmp_path / "out", reference=review_copy
    )
    assert _placements(run) == EXPECTED
