"""The Word review copy of the sample build: published beside the HTML and the PDF, with
the notice, PNG figures, numbered figures and tables, and a bookmark per paragraph that
points at the template line holding that paragraph's words, also after LibreOffice saved
the file again."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from project_builds import built

from ktreport.review.comments import read_remarks, template_of

pytestmark = pytest.mark.e2e
DOCX = "report/output/KT_Skills_Investigation_Report_review.docx"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    result = built("sample", tmp_path_factory)
    assert result.ok, result.explain()
    return result.tree


def _literal_words(line: str) -> set[str]:
    literal = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", line)
    literal = re.sub(r"\{[#.][^}]*\}", " ", literal)  # a heading's {#id .class}
    return set(re.findall(r"[a-z]{4,}", literal.lower()))


def _anchored(path: Path):
    return [p for p in read_remarks(path)[1] if p.anchor]


def test_the_review_copy_is_published_with_notice_figures_and_numbers(sample):
    path = sample / DOCX
    with zipfile.ZipFile(path) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        document = archive.read("word/document.xml").decode("utf-8")
    assert len([m for m in media if m.endswith(".png")]) == 10 and not any(
        m.endswith(".svg") for m in media
    )
    assert "SAMPLE DATA" in document and "REVIEW COPY" in document
    assert "Figure 1:" in document and "Table 1:" in document
    assert {z.date_time for z in zipfile.ZipFile(path).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_every_bookmark_points_at_the_template_line_of_its_paragraph(sample):
    templates = {
        p.name: p.read_text(encoding="utf-8").splitlines()
        for p in (sample / "report/chapters").glob("*.md.j2")
    }
    paragraphs = _anchored(sample / DOCX)
    assert {template_of(p.anchor, templates)[0] for p in paragraphs} == set(templates)
    wrong = []
    for paragraph in paragraphs:
        template, line = template_of(paragraph.anchor, templates)
        words = _literal_words(templates[template][line - 1])
        text = paragraph.text.lower()
        if words and not any(word in text for word in words):
            wrong.append(f"{template}:{line}: {paragraph.text[:60]}")
    assert len(paragraphs) > 150
    assert not wrong, "\n".join(wrong[:10])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_keeps_every_paragraph_bookmark(sample, tmp_path):
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless"]
        + ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path), str(sample / DOCX)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    before = [p.anchor for p in _anchored(sample / DOCX)]
    after = [p.anchor for p in _anchored(tmp_path / Path(DOCX).name)]
    assert after == before
