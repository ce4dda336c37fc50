"""Bounded layout (issue 17 §12): a text of the documented maximum (a programme name of
9,999 characters of markup) never enters a table cell whole: the cell shows its first
``CELL_CHARS`` characters, cut at a space and ending in "…", and the caption says where
the full text is (the processed tables keep it whole). The time this saves is measured by
``make bench`` (``--longest-cells``), not here."""

from __future__ import annotations

import html

import pandas as pd
from test_text import pandoc_to_html, render

from ktreport.chapters.layout import CELL_CHARS, ELLIPSIS, shorten, visible_text

MARKUP = "<b>bold</b> **x** `c` [l](javascript:x) "  # 39 characters, 6 words
LONG = (MARKUP * 257)[:9999]
CASES_CSV = "data/processed/aggregates/case_study_list.csv"


def _table(tmp_path, programmes: list[str], full: str = CASES_CSV) -> list[str]:
    frame = pd.DataFrame({"case_id": [f"C{i}" for i in range(len(programmes))]})
    frame["programme"] = programmes
    template = (
        '{{ table(tables.cases, "tbl-cases", "The programmes", '
        f'columns={{"case_id": "ID", "programme": "Programme"}}, full="{full}") }}}}\n'
    )
    return render(tmp_path, template, {"tables": {"cases": frame}}).strip().splitlines()


def test_a_9999_character_cell_is_shortened_with_a_note_where_the_full_text_is(tmp_path):
    assert len(LONG) == 9999
    lines = _table(tmp_path, [LONG, "Winter school"])
    long_row = next(line for line in lines if line.startswith("| [C0]"))
    cell = long_row.split(" | ", 1)[1].removesuffix(" |")
    shown = visible_text(cell)
    assert shown.endswith(ELLIPSIS) and len(shown) <= CELL_CHARS
    assert LONG.startswith(shown.removesuffix(ELLIPSIS))  # the first words, as typed
    assert LONG[len(shown) - 1] == " "  # cut at a space: no word is cut in two
    assert "| [C1]{.nowrap} | Winter school |" in lines
    assert lines[-1] == (
        ": The programmes (1 cell of more than 500 characters shortened, ending in …; the "
        f"full text is in `{CASES_CSV}`) {{#tbl-cases .keep-together}}"
    )
    rendered = pandoc_to_html("\n".join(lines))
    text = html.unescape(rendered)
    assert shown in text and "the full text is in" in text
    assert "<b>bold</b>" in text and "<b>" not in rendered.replace("&lt;b&gt;", "")


def test_a_table_without_a_long_cell_is_unchanged(tmp_path):
    lines = _table(tmp_path, ["x " * 249 + "end", "Winter school"])  # 501 characters
    assert "(1 cell of more than" in lines[-1]
    lines = _table(tmp_path, ["x " * 248 + "end", "Winter school"])  # 499 characters
    assert lines[-1] == ": The programmes {#tbl-cases .keep-together}"
    assert any(line.endswith(" x end |") for line in lines)


def test_without_a_whole_table_the_note_points_to_the_processed_tables(tmp_path):
    lines = _table(tmp_path, [LONG], full="")
    assert "the full text is in the tables of `data/processed/`" in lines[-1]


def test_shorten_cuts_at_a_space_or_mid_word_when_there_is_none():
    assert shorten("short") == "short"
    assert shorten("ab " * 300, 100) == ("ab " * 33).rstrip() + ELLIPSIS
    assert shorten("a" * 1000, 100) == "a" * 99 + ELLIPSIS
    assert len(shorten(LONG)) <= CELL_CHARS
