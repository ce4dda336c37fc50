"""Markup from a reference file stays text in the figures (issue 17 §9): a skill label of
skills_taxonomy.csv holding ``<a href=…>`` or ``<span style=…>`` is drawn as typed in every
plotly text (ticks, hover, annotations, legend), never as a live link or 60 px text; the
captions and alt text the report shows keep the label as typed (the report escapes it)."""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import pytest

from ktreport.aggregate import build_aggregates, key_figures, load_processed
from ktreport.figures import build_figures, export_figures
from ktreport.figures.export import figure_json
from ktreport.figures.make import BUILDERS
from ktreport.figures.markup import plotly_text, report_text

SMALL = Path(__file__).resolve().parent / "fixtures" / "processed" / "small"
LINK = '<a href="http://evil.example/">Negotiation</a>'
BIG = '<span style="font-size:60px">IP valuation</span>'
# The two most named skills of the small fixture: they are in every skill figure.
HOSTILE_LABELS = {"negotiation": LINK, "valuation": BIG}


def _edit(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        change(row)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _long_programme(row: dict) -> None:
    """UH-C01 lasts 200 hours: its class, "longer (> 120 h)", holds a ">" of the contract."""
    if row["case_id"] == "UH-C01":
        row["duration_hours"], row["duration_class"] = "200", "longer (> 120 h)"


def _processed(tmp_path_factory, labels: dict[str, str]) -> Path:
    processed = tmp_path_factory.mktemp("markup") / "processed"
    shutil.copytree(SMALL, processed)
    _edit(processed / "case_studies.csv", _long_programme)
    _edit(
        processed / "skills.csv",
        lambda row: row.update(label=labels.get(row["skill_id"], row["label"])),
    )
    return processed


def _aggregates(processed: Path):
    aggregates = build_aggregates(processed)
    return aggregates, key_figures(aggregates, load_processed(processed))


@pytest.fixture(scope="module")
def specs(tmp_path_factory):
    return build_figures(*_aggregates(_processed(tmp_path_factory, HOSTILE_LABELS)))


def test_data_without_markup_draws_the_same_figures_as_the_builders_alone(tmp_path_factory):
    """The escaping changes nothing where there is nothing to escape: contract values
    such as "longer (> 120 h)" are still matched and counted."""
    aggregates, kf = _aggregates(_processed(tmp_path_factory, {}))
    for spec in build_figures(aggregates, kf):
        alone = BUILDERS[spec.id](aggregates, kf)
        assert figure_json(spec.figure) == figure_json(alone.figure), spec.id
        assert (spec.caption, spec.alt) == (alone.caption, alone.alt), spec.id


def test_no_label_markup_is_live_in_any_figure(specs):
    drawn = 0
    for spec in specs:
        text = figure_json(spec.figure)
        assert "<a " not in text and "<span" not in text, spec.id
        drawn += text.count("&lt;a href=") + text.count("&lt;span style=")
    assert drawn >= 10  # the labels are drawn (escaped), not dropped


def test_captions_and_alt_text_keep_the_label_as_typed(specs):
    shown = " ".join(spec.caption + " " + spec.alt for spec in specs)
    assert LINK in shown or BIG in shown
    assert "&lt;" not in shown


def test_the_svg_draws_the_label_as_text(specs, tmp_path):
    if not (shutil.which("chromium") or shutil.which("google-chrome")):
        pytest.skip("no Chromium: install Debian's chromium (make chromium) to export figures")
    dumbbell = [spec for spec in specs if spec.id == "fig-gap-dumbbell"]
    export_figures(dumbbell, tmp_path)
    svg = (tmp_path / "fig-gap-dumbbell.svg").read_text(encoding="utf-8")
    assert "<a " not in svg  # no link element
    # No element is styled by the label (its text, escaped, may say "font-size:60px").
    assert re.search(r"<[^>]*font-size:\s*60px", svg) is None
    assert LINK in html.unescape(svg)  # the label, as typed (as text: &#60;a href=…)


@pytest.mark.parametrize(
    "text",
    ["R&D contracts", "a &lt; b", "&#60;b&#62;", "<br>", "x > y & z", "&amp;", "&nbsp;"],
)
def test_report_text_undoes_plotly_text(text):
    assert report_text(plotly_text(text)) == text
    assert "<" not in plotly_text(text) and ">" not in plotly_text(text)


def test_text_without_markup_is_unchanged():
    assert plotly_text("R&D contracts and legal compliance") == "R&D contracts and legal compliance"
