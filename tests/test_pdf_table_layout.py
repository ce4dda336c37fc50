"""The PDF's tables are laid out with the column widths ``text.table()`` computed from their
cells (``table-layout: fixed`` on the print HTML's colgroup), so WeasyPrint measures no
cell to size a column (issue 16 §2); a word longer than its column still breaks inside
the column, so no table runs off the page."""

from __future__ import annotations

import re

import pytest
from test_render import REPORT_DIR, prepare
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from ktreport import render

PATH = "data/processed/aggregates/" + "very_long_directory_name_" * 8 + "case_study_list.csv"
TABLES = """# Tables {#sec-tables}

{% set rows = [] %}
{% for i in range(1, 5) %}
{% set _ = rows.append({"id": "C%02d" % i, "file": "PATH",
    "note": "A programme with a name of several ordinary words", "n": 10 * i}) %}
{% endfor %}
{{ table(rows, "tbl-files", "Files", columns={"id": "ID", "file": "File", "note": "Note",
   "n": "Rows"}) }}
""".replace("PATH", PATH)


ORDINARY = """# Tables {#sec-tables}

{% set rows = [] %}
{% for i in range(1, 5) %}
{% set _ = rows.append({"id": "C%02d" % i,
    "note": "A programme with a name of several ordinary words", "n": 10 * i}) %}
{% endfor %}
{{ table(rows, "tbl-counts", "Counts", columns={"id": "ID", "note": "Note", "n": "Rows"}) }}
"""


def _lay_out(base, chapter: str):
    """The print HTML of one chapter and WeasyPrint's layout of it (document, HTML)."""
    chapters_dir = base / "chapters"
    chapters_dir.mkdir()
    (chapters_dir / "01-tables.md.j2").write_text(chapter, encoding="utf-8")
    build_dir = base / "_build"
    chapters, context = prepare(build_dir, chapters_dir=chapters_dir)
    html, _ = render.print_html(
        chapters, context=context, report_dir=REPORT_DIR, build_dir=build_dir
    )
    fetcher = render.ReportFetcher(REPORT_DIR)
    document = HTML(
        string=html, base_url=(REPORT_DIR / "assets").as_uri() + "/", url_fetcher=fetcher
    ).render()
    return document, html


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    """A table whose one cell is a 250-character path, laid out (document, print HTML)."""
    return _lay_out(tmp_path_factory.mktemp("table-layout"), TABLES)


@pytest.fixture(scope="module")
def ordinary(tmp_path_factory):
    """A table of identifiers, words and counts, laid out (document, print HTML)."""
    return _lay_out(tmp_path_factory.mktemp("table-ordinary"), ORDINARY)


def _tables(document, table_id: str) -> list:
    found = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableBox) and box.element.get("id") == table_id:
                found.append((page, box))
    return found


def test_the_table_keeps_the_widths_of_its_colgroup_in_a_fixed_layout(laid_out):
    document, html = laid_out
    table_html = re.search(r'<table id="tbl-files".*?</table>', html, re.S).group(0)
    percents = [int(p) for p in re.findall(r'<col style="width: (\d+)%" />', table_html)]
    assert len(percents) == 4
    (_, table), *_ = _tables(document, "tbl-files")
    assert table.style["table_layout"] == "fixed"
    # Fixed layout: each column its percentage of the table, plus an equal share of what
    # pandoc's rounding down left over; the automatic layout would have widened the path's
    # column to its longest word (the whole path, wider than the page).
    spare = (table.width - sum(p / 100 * table.width for p in percents)) / len(percents)
    for width, percent in zip(table.column_widths, percents, strict=True):
        assert width == pytest.approx(percent / 100 * table.width + spare, abs=0.5)


def test_a_word_longer_than_its_column_wraps_inside_the_page(laid_out):
    document, _ = laid_out
    (page, table), *_ = _tables(document, "tbl-files")
    page_box = page._page_box
    content_right = page_box.content_box_x() + page_box.width
    assert table.position_x + table.width <= content_right + 0.5
    cells = [
        box
        for box in table.descendants()
        if isinstance(box, boxes.TableCellBox)
        and "very_long_directory_name"
        in "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
    ]
    assert len(cells) == 4
    for cell in cells:
        lines = [b for b in cell.descendants() if isinstance(b, boxes.LineBox)]
        assert len(lines) > 1  # the path broke across lines ...
        for line in lines:  # ... and every line stays inside its cell
            assert line.position_x + line.width <= cell.content_box_x() + cell.width + 0.5


def test_a_long_word_leaves_the_other_columns_room_for_their_words(laid_out):
    """The path breaks inside its column; it does not take the line and leave the other
    columns a letter's width ("Rows" set one letter a line)."""
    document, _ = laid_out
    (_, table), *_ = _tables(document, "tbl-files")
    for text, cell in _cells(table):
        lines = [b for b in cell.descendants() if isinstance(b, boxes.LineBox)]
        if text in ("ID", "Rows", "C01", "10"):
            assert len(lines) == 1, (text, cell.width)
        if text == "Note":
            assert len(lines) == 1, cell.width
        if text.startswith("A programme"):  # eight words, at most two to a line
            assert len(lines) <= 4, (text, cell.width)


def _cells(table) -> list[tuple[str, object]]:
    """(text, cell box) of every cell of ``table``, in document order."""
    return [
        ("".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox)), box)
        for box in table.descendants()
        if isinstance(box, boxes.TableCellBox)
    ]


def test_a_columns_alignment_is_a_class_that_aligns_its_cells_in_the_pdf(ordinary):
    document, html = ordinary
    table_html = re.search(r'<table id="tbl-counts".*?</table>', html, re.S).group(0)
    # pandoc aligned the count right and the rest left: as classes, not style attributes.
    assert "text-align" not in table_html
    assert table_html.count('class="align-right') == 5  # the header and 4 rows
    (_, table), *_ = _tables(document, "tbl-counts")
    cells = dict(_cells(table))
    for text in ("Rows", "10", "40"):
        cell = cells[text]
        assert cell.style["text_align_all"] == "right"
        (line,) = [b for b in cell.descendants() if isinstance(b, boxes.LineBox)]
        (word,) = [b for b in line.descendants() if isinstance(b, boxes.TextBox)]
        # Its text ends at the cell's right edge (left aligned, it would end well before).
        right = cell.content_box_x() + cell.width
        assert word.position_x + word.width == pytest.approx(right, abs=0.5)
    for text in ("ID", "C01", "Note"):
        assert cells[text].style["text_align_all"] == "left"
        (word, *_) = [b for b in cells[text].descendants() if isinstance(b, boxes.TextBox)]
        assert word.position_x == pytest.approx(cells[text].content_box_x(), abs=0.5)


def test_a_cell_of_one_unbreakable_value_is_nowrap_itself(ordinary):
    document, html = ordinary
    table_html = re.search(r'<table id="tbl-counts".*?</table>', html, re.S).group(0)
    assert '<td class="align-left nowrap">C01</td>' in table_html
    assert '<span class="nowrap">' not in table_html
    (_, table), *_ = _tables(document, "tbl-counts")
    cells = dict(_cells(table))
    assert cells["C01"].style["white_space"] == "nowrap"
    assert cells["40"].style["white_space"] == "nowrap"
    assert cells["A programme with a name of several ordinary words"].style["white_space"] == (
        "normal"
    )
