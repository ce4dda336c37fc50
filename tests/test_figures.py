"""Figures: one theme, captions and alt text from the data, reproducible SVG and JSON export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ktreport.aggregate import build_aggregates, key_figures, load_processed
from ktreport.catalog import FIGURE_IDS
from ktreport.figures import build_figures, export_figures
from ktreport.figures.export import figure_json, stable_svg
from ktreport.figures.theme import FONT_FAMILY, OKABE_ITO, TEMPLATE_NAME

SMALL = Path(__file__).resolve().parent / "fixtures" / "processed" / "small"


@pytest.fixture(scope="module")
def specs():
    aggregates = build_aggregates(SMALL)
    return build_figures(aggregates, key_figures(aggregates, load_processed(SMALL)))


@pytest.fixture(scope="module")
def exported(tmp_path_factory, specs):
    """Two exports of the same figures (one Chromium session each)."""
    if not (shutil.which("chromium") or shutil.which("google-chrome")):
        pytest.skip("no Chromium: install Debian's chromium (make chromium) to export figures")
    first = tmp_path_factory.mktemp("first")
    second = tmp_path_factory.mktemp("second")
    export_figures(specs, first)
    export_figures(specs, second)
    return first, second


def by_id(specs, figure_id):
    return next(s for s in specs if s.id == figure_id)


def test_figures_come_in_report_order_with_title_caption_and_alt(specs):
    assert [s.id for s in specs] == list(FIGURE_IDS)
    assert len(specs) >= 9
    for spec in specs:
        assert spec.title and spec.caption and spec.alt, spec.id
        assert "Source" in spec.caption and "n = " in spec.caption, spec.id
        assert spec.width == 760 and spec.height > 0, spec.id


def test_alt_text_states_numbers_from_the_data(specs):
    # Negotiation is required by 7 of the 12 interviewees of the small fixture.
    assert "most often required: Negotiation (7 of 12)" in by_id(specs, "fig-skill-dimensions").alt
    gap = by_id(specs, "fig-gap-dumbbell").alt
    assert "largest gap is for Negotiation: required by 7 of 12, possessed by 3 of 12" in gap
    supply = by_id(specs, "fig-supply-demand").alt
    assert "1 skill falls in the training gap, led by IP and technology valuation" in supply
    assert "needed by 33\u00a0%, offered by 25\u00a0%" in supply  # house style: whole %
    borich = by_id(specs, "fig-borich").alt
    assert "top training need is IP and technology valuation (MWDS 13.50" in borich
    assert "Workshops" in by_id(specs, "fig-formats").alt.title()
    assert "12 interviews" in by_id(specs, "fig-interview-sample").alt
    assert "4 case-study programmes" in by_id(specs, "fig-case-studies-region-provider").alt


def test_one_theme_colour_blind_safe_palette_system_fonts_no_plot_titles(specs):
    palette = {c.upper() for c in OKABE_ITO.values()}
    for spec in specs:
        layout = spec.figure.layout
        assert layout.template.layout.font.family == FONT_FAMILY, spec.id
        assert layout.template.layout.paper_bgcolor == "#FFFFFF", spec.id
        assert not layout.title.text, spec.id  # the report's caption carries the title
        for trace in spec.figure.data:
            colours = getattr(getattr(trace, "marker", None), "color", None)
            if colours is None or trace.type == "heatmap":
                continue
            for colour in [colours] if isinstance(colours, str) else colours:
                assert colour.upper() in palette, (spec.id, colour)
    assert TEMPLATE_NAME == "ktreport"


def test_supply_demand_labels_the_training_gap_corner(specs):
    figure = by_id(specs, "fig-supply-demand").figure
    texts = [a.text for a in figure.layout.annotations]
    assert any("Training gap" in t and "high demand, low supply" in t for t in texts)
    corner = [s for s in figure.layout.shapes if s.type == "rect"][0]
    # The shaded corner spans low supply (left of the mean line) and high demand (above it).
    assert corner.x0 <= 0 and (corner.x1, corner.y0) == (0.375, 0.2778)
    # Training-gap points are numbered; the key beside the plot names them.
    assert "<b>Skills in the training gap</b>" in texts
    assert "1 IP and technology valuation" in texts  # the key beside the plot
    numbered = [
        a for a in figure.layout.annotations if a.text == "1" and a.x == 0.25 and a.y == 0.3333
    ]
    assert len(numbered) == 1
    # One dashed line at each mean, which passes behind the point labels.
    dashed = [s for s in figure.layout.shapes if s.type == "line" and s.line.dash == "dash"]
    assert sorted((s.x0 == s.x1, s.y0 == s.y1) for s in dashed) == [(False, True), (True, False)]
    assert numbered[0].bgcolor.startswith("rgba(255,255,255")


def test_without_ratings_the_borich_figure_says_so(tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(SMALL, processed)
    (processed / "ratings.csv").unlink()
    aggregates = build_aggregates(processed)
    figures = key_figures(aggregates, load_processed(processed))
    borich = by_id(build_figures(aggregates, figures), "fig-borich")
    assert "no importance and proficiency ratings" in borich.alt.lower()
    assert borich.figure.layout.annotations[0].text.startswith("No importance")


def test_stable_svg_replaces_kaleido_random_id_only_in_identifiers():
    svg = (
        '<svg><defs id="defs-a1b2c3"><clipPath id="clipa1b2c3xyplot"/></defs>'
        '<g clip-path="url(#clipa1b2c3xyplot)"/><text>a1b2c3 #a1b2c3</text></svg>'
    )
    out = stable_svg(svg, "fig-supply-demand")
    assert 'id="defs-supplydemand"' in out
    assert "url(#clipsupplydemandxyplot)" in out
    assert "<text>a1b2c3 #a1b2c3</text>" in out  # text and colours untouched


def test_figure_json_is_canonical_and_has_no_random_ids(specs):
    spec = by_id(specs, "fig-supply-demand")
    text = figure_json(spec.figure)
    assert text == figure_json(spec.figure)
    assert '"uid"' not in text
    data = json.loads(text)
    assert data["layout"]["template"]["layout"]["font"]["family"] == FONT_FAMILY
    assert "width" not in data["layout"]  # the interactive figure fills its column


def test_two_exports_are_byte_identical(exported):
    first, second = exported
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert len(names) == 2 * len(FIGURE_IDS) + 1
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_export_writes_static_svg_and_a_manifest(exported, specs):
    first, _ = exported
    manifest = json.loads((first / "figures.json").read_text(encoding="utf-8"))
    assert [entry["id"] for entry in manifest] == list(FIGURE_IDS)
    for entry, spec in zip(manifest, specs, strict=True):
        assert set(entry) == {
            "id",
            "title",
            "caption",
            "alt",
            "n",
            "svg",
            "json",
            "width",
            "height",
            "data_table",
        }
        assert entry["alt"] == spec.alt
        svg = (first / entry["svg"]).read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "<script" not in svg
        assert f'width="{entry["width"]}"' in svg and f'height="{entry["height"]}"' in svg
        stable = entry["id"].removeprefix("fig-").replace("-", "")
        assert f'id="defs-{stable}"' in svg
        json.loads((first / entry["json"]).read_text(encoding="utf-8"))
