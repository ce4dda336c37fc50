"""Each prose block of a written chapter knows its template line, and the markers that
carry it never change the chapter's text."""

from pathlib import Path

import jinja2
import pytest

from ktreport.chapters.sources import SourceLines, anchor_line, mark, unmark

TEMPLATE = """\
{## a comment ##}
{% set n = 3 %}
# Title {#sec-x}

First paragraph with {{ n }} things,
continued here.

{% if n > 2 %}
Second paragraph, inside an if.
{% endif %}

{{ n }} starts the third paragraph
and {%- if n %} joins{% endif %} lines.

- item one
- item {{ n }}

| a | b |
|---|---|
| 1 | 2 |

: A table {#tbl-x}

{{ block() }}

> A quote
"""


def _environment(tmp_path: Path, extensions=()) -> jinja2.Environment:
    (tmp_path / "t.md.j2").write_text(TEMPLATE, encoding="utf-8")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(tmp_path)),
        comment_start_string="{##",
        comment_end_string="##}",
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=list(extensions),
    )
    env.globals["block"] = lambda: "::: {#fig-a}\n![](a.svg)\n\nCaption\n:::\n"
    return env


def test_markers_leave_the_rendered_text_unchanged(tmp_path):
    plain = _environment(tmp_path).get_template("t.md.j2").render()
    marked = _environment(tmp_path, [SourceLines]).get_template("t.md.j2").render()
    assert marked != plain  # the markers are there ...
    assert unmark(marked)[0] == plain  # ... and nothing else changed


def test_every_prose_block_gets_its_template_line(tmp_path):
    marked = _environment(tmp_path, [SourceLines]).get_template("t.md.j2").render()
    text, blocks = unmark(marked)
    lines = text.split("\n")
    found = {lines[out - 1]: template for out, template in blocks}
    assert found == {
        "# Title {#sec-x}": 3,
        "First paragraph with 3 things,": 5,
        "Second paragraph, inside an if.": 9,
        "3 starts the third paragraph": 12,
        "- item one": 15,
        "- item 3": 16,
        "> A quote": 26,
    }


def test_lines_inside_a_multiline_tag_are_not_marked():
    source = '{% set one = {"a": 1,\n              "b": 2} %}\nText\n'
    assert mark(source) == '{% set one = {"a": 1,\n              "b": 2} %}\n\ue0003\ue001Text\n'


@pytest.mark.parametrize(
    ("line", "anchored"),
    [
        ("Plain text", "[]{#x}Plain text"),
        ("## Heading", "## []{#x}Heading"),
        ("- item", "- []{#x}item"),
        ("> quote", "> []{#x}quote"),
    ],
)
def test_the_anchor_goes_before_the_text_of_a_block(line, anchored):
    assert anchor_line(line, "[]{#x}") == anchored


def test_blocks_from_one_template_line_get_distinct_bookmarks(tmp_path):
    """A loop writes several paragraphs from one line: bookmark names must stay unique
    (LibreOffice renames a second one, which would no longer match)."""
    from ktreport.chapters.write import write_chapters
    from ktreport.render.docx import anchored_chapters

    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "01-loop.md.j2").write_text(
        "{% for n in [1, 2] %}\nParagraph {{ n }}.\n\n{% endfor %}\n", encoding="utf-8"
    )
    written = write_chapters(chapters, {}, tmp_path / "out")
    text = anchored_chapters(written, tmp_path / "docx")[0].read_text(encoding="utf-8")
    assert "[]{#src_01_loop_2}Paragraph 1." in text
    assert "[]{#src_01_loop_2_r2}Paragraph 2." in text
