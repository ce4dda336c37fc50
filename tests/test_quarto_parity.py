"""The sample report built with ``renderer: pandoc`` and with ``renderer: quarto`` (a real
Quarto: see tests/quarto_tool.py) says the same: headings and their numbers (chapters,
Annex A-E), figure and table captions and numbers, ids and link targets, every key figure
in the text with its hover provenance, the interactive charts (plotly.js once) and their
static fallbacks, the front matter, the lists of figures and tables, the sample-data
notices; and the Quarto page is self-contained. One build per renderer (the session's
"sample" build is the pandoc one when quarto is not on PATH)."""

from __future__ import annotations

import shutil

import pytest
from project_builds import HTML, built
from quarto_tool import require_quarto
from report_meaning import report_meaning

from ktreport.render import external_resources

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    quarto_dir = require_quarto()
    # With quarto on PATH, renderer: auto (the sample's) would choose Quarto.
    pandoc = built("sample" if shutil.which("quarto") is None else "pandoc", tmp_path_factory)
    quarto = built("quarto", tmp_path_factory, quarto_dir=quarto_dir)
    for build in (pandoc, quarto):
        assert build.ok, build.explain()
    return {"pandoc": pandoc.tree, "quarto": quarto.tree}


@pytest.fixture(scope="module")
def pages(builds):
    return {name: (tree / HTML).read_text(encoding="utf-8") for name, tree in builds.items()}


@pytest.fixture(scope="module")
def meanings(pages):
    return {name: report_meaning(page) for name, page in pages.items()}


def numbered_tables(meaning) -> list[str]:
    return [caption for caption in meaning.table_captions if caption.startswith("Table ")]


@pytest.mark.parametrize("renderer", ["pandoc", "quarto"])
def test_each_build_rendered_with_its_renderer(builds, renderer):
    log = (builds[renderer] / "logs" / "render_html.log").read_text(encoding="utf-8")
    assert f"HTML written with {renderer}:" in log
    assert f"time {renderer} " in log


def test_the_quarto_page_is_self_contained(pages):
    assert external_resources(pages["quarto"]) == []


def test_chapters_and_annexes_are_numbered_alike(meanings):
    quarto = meanings["quarto"]
    annexes = [text.split(" ", 2)[1] for tag, text in quarto.headings if text.startswith("Annex ")]
    assert annexes == list("ABCDE")
    assert ("h1", "3 The training offer") in quarto.headings
    assert quarto.headings == meanings["pandoc"].headings


def test_captions_ids_and_links_are_the_same(meanings):
    pandoc, quarto = meanings["pandoc"], meanings["quarto"]
    assert quarto.figure_captions[0].startswith("Figure 1: ")
    # The numbered tables; the imprint's tables (Authors, Reviewers, Document history) and
    # the charts' data tables have captions too, unnumbered.
    assert numbered_tables(quarto)[0].startswith("Table 1: ")
    assert quarto.figure_captions == pandoc.figure_captions
    assert quarto.table_captions == pandoc.table_captions
    assert quarto.ids == pandoc.ids
    assert quarto.link_targets == pandoc.link_targets
    # Every in-page link lands on an element of the page.
    assert {target[1:] for target in quarto.link_targets} <= quarto.ids


def test_every_key_figure_shows_the_same_value_and_provenance(meanings):
    quarto = meanings["quarto"]
    assert len(quarto.key_figures) > 100
    assert all(title.startswith(key) for key, _, title in quarto.key_figures)
    assert quarto.key_figures == meanings["pandoc"].key_figures


def test_the_charts_are_interactive_with_static_fallbacks(meanings):
    pandoc, quarto = meanings["pandoc"], meanings["quarto"]
    assert quarto.plotly_js == 1
    assert quarto.charts and quarto.charts == quarto.chart_data == pandoc.charts
    assert quarto.static_fallbacks == len(quarto.charts)
    assert all(quarto.alt_texts) and quarto.alt_texts == pandoc.alt_texts


def test_front_matter_lists_and_notices_are_the_same(meanings):
    pandoc, quarto = meanings["pandoc"], meanings["quarto"]
    assert "University of Bologna (coordinator)" in quarto.consortium
    assert len(quarto.list_of_figures) == len(quarto.figure_captions)
    assert len(quarto.list_of_tables) == len(numbered_tables(quarto))
    assert len(quarto.notices) == 2
    for part in ("consortium", "list_of_figures", "list_of_tables", "notices", "lang"):
        assert getattr(quarto, part) == getattr(pandoc, part), part
