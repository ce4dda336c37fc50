"""The guard reads a Word file whole: body, tables, headers, comments, tracked changes and
properties, so a personal value anywhere in the review copy is found."""

import docx
import pytest

from ktreport.guard.extract import GuardProblem, file_text


def test_every_part_of_a_word_file_is_searched(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("Body text by Alice Example.")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Table cell Bob Sample"
    document.sections[0].header.paragraphs[0].text = "Header Carol Person"
    document.add_comment(paragraph.runs, "Comment naming Dave Reviewer", author="Erin Author")
    document.core_properties.author = "Frank Property"
    path = tmp_path / "review.docx"
    document.save(str(path))
    text = file_text(path)
    for value in ("Alice Example", "Bob Sample", "Carol Person", "Dave Reviewer", "Erin Author"):
        assert value in text
    assert "Frank Property" in text


def test_a_broken_word_file_is_an_error_not_a_pass(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(GuardProblem, match="not a readable Word file"):
        file_text(path)
