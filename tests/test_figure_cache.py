"""The figure cache: kaleido draws only the figures whose content changed (issue 16, item 4).

A one-partner change reaches some figures and not others; the others are copied from the
cache with the bytes kaleido drew for them, and a change that reaches every figure (the
theme, the engine) draws them all again.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from ktreport.aggregate import build_aggregates, key_figures, load_processed
from ktreport.figures import build_figures, cache, export_figures
from ktreport.figures.theme import TEMPLATE_NAME
from ktreport.render.docx import export_png_figures

SMALL = Path(__file__).resolve().parent / "fixtures" / "processed" / "small"
# A few figures keep the Chromium sessions short; fig-formats alone reads formats_overall.
SOME = ("fig-interview-sample", "fig-skill-dimensions", "fig-formats")
PAST_NS = 1_000_000_000 * 10**9  # 2001

pytestmark = pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("google-chrome")),
    reason="no Chromium: install Debian's chromium (make chromium) to export figures",
)


def some_specs(aggregates, kf):
    return [spec for spec in build_figures(aggregates, kf) if spec.id in SOME]


@pytest.fixture(scope="module")
def data():
    aggregates = build_aggregates(SMALL)
    return aggregates, key_figures(aggregates, load_processed(SMALL))


@pytest.fixture(scope="module")
def cold(tmp_path_factory, data):
    """A first export: an empty cache, so kaleido draws every figure."""
    root = tmp_path_factory.mktemp("cold")
    exported = export_figures(some_specs(*data), root / "out", root / "cache")
    return root, exported


def svgs(folder: Path) -> dict[str, bytes]:
    return {p.stem: p.read_bytes() for p in sorted(folder.glob("*.svg"))}


def copy_cache(cold_root: Path, tmp_path: Path) -> Path:
    target = tmp_path / "cache"
    shutil.copytree(cold_root / "cache", target)
    return target


def test_a_cold_export_draws_every_figure(cold):
    _, exported = cold
    assert exported.drawn == SOME and exported.cached == ()
    assert exported.summary("SVG figures").startswith("3 of 3 SVG figures exported by kaleido")


def test_nothing_changed_draws_nothing_and_gives_the_same_bytes(cold, data, tmp_path):
    root, _ = cold
    again = export_figures(some_specs(*data), tmp_path / "out", copy_cache(root, tmp_path))
    assert again.drawn == () and again.cached == SOME
    assert again.seconds == 0
    assert svgs(tmp_path / "out") == svgs(root / "out")
    assert (tmp_path / "out" / "figures.json").read_bytes() == (
        root / "out" / "figures.json"
    ).read_bytes()


def test_one_changed_figure_is_the_only_one_drawn_again(cold, data, tmp_path):
    root, _ = cold
    aggregates, kf = data
    changed = dict(aggregates)
    overall = aggregates["formats_overall"].copy()
    overall.loc[overall.index[0], "share"] = float(overall["share"].iloc[0]) / 2
    changed["formats_overall"] = overall
    cache_dir = copy_cache(root, tmp_path)

    again = export_figures(some_specs(changed, kf), tmp_path / "out", cache_dir)

    assert again.drawn == ("fig-formats",)
    assert again.cached == ("fig-interview-sample", "fig-skill-dimensions")
    assert again.summary("SVG figures").startswith("1 of 3 SVG figures exported by kaleido")
    before, after = svgs(root / "out"), svgs(tmp_path / "out")
    assert after["fig-formats"] != before["fig-formats"]
    for figure_id in ("fig-interview-sample", "fig-skill-dimensions"):
        assert after[figure_id] == before[figure_id], figure_id
    # One entry per figure: the formats figure's old image left the cache.
    assert sorted(p.name.rsplit("-", 1)[0] for p in (cache_dir / "svg").iterdir()) == sorted(SOME)


def test_a_figure_drawn_alone_has_the_bytes_of_one_drawn_with_the_others(cold, data, tmp_path):
    root, _ = cold
    alone = [spec for spec in some_specs(*data) if spec.id == "fig-skill-dimensions"]
    export_figures(alone, tmp_path / "out", tmp_path / "cache")
    assert (
        svgs(tmp_path / "out")["fig-skill-dimensions"] == svgs(root / "out")["fig-skill-dimensions"]
    )


def test_a_theme_change_draws_every_figure_again(cold, data, tmp_path):
    root, _ = cold
    saved = pio.templates[TEMPLATE_NAME]
    pio.templates[TEMPLATE_NAME] = go.layout.Template(saved, layout_font_size=13)
    try:
        specs = some_specs(*data)
    finally:
        pio.templates[TEMPLATE_NAME] = saved
    again = export_figures(specs, tmp_path / "out", copy_cache(root, tmp_path))
    assert again.drawn == SOME and again.cached == ()


def test_another_engine_draws_every_figure_again(cold, data, tmp_path, monkeypatch):
    root, _ = cold
    engine = dict(cache.engine())
    monkeypatch.setattr(cache, "engine", lambda: {**engine, "kaleido": "0.0-other"})
    again = export_figures(some_specs(*data), tmp_path / "out", copy_cache(root, tmp_path))
    assert again.drawn == SOME and again.cached == ()
    assert svgs(tmp_path / "out") == svgs(root / "out")  # same engine in truth: same bytes


def test_png_figures_come_from_the_cache_with_the_bytes_drawn(cold, tmp_path):
    root, _ = cold
    jsons = sorted((root / "out").glob("fig-*.json"))
    assert [p.stem for p in jsons] == sorted(SOME)
    first = export_png_figures(jsons, tmp_path / "first", tmp_path / "cache")
    second = export_png_figures(jsons, tmp_path / "second", tmp_path / "cache")
    assert len(first.drawn) == 3 and second.drawn == ()
    for path in jsons:
        png = f"{path.stem}.png"
        assert (tmp_path / "second" / png).read_bytes() == (tmp_path / "first" / png).read_bytes()
        assert (tmp_path / "first" / png).read_bytes().startswith(b"\x89PNG")


def test_figures_exported_again_unchanged_keep_their_dates(cold, data, tmp_path):
    """A file is written only when its bytes change: a brief whose figures did not change
    is not stale (its job reads the figures' dates)."""
    out = tmp_path / "out"
    export_figures(some_specs(*data), out, copy_cache(*cold[:1], tmp_path))
    files = sorted(out.iterdir())
    assert {p.suffix for p in files} == {".svg", ".json"}
    for path in files:
        os.utime(path, ns=(PAST_NS, PAST_NS))
    again = export_figures(some_specs(*data), out, tmp_path / "cache")
    assert again.drawn == ()
    assert [p.stat().st_mtime_ns for p in files] == [PAST_NS] * len(files)
    (out / "fig-formats.svg").write_bytes(b"<svg/>")  # changed by hand: written again
    export_figures(some_specs(*data), out, tmp_path / "cache")
    assert (out / "fig-formats.svg").read_bytes() == svgs(cold[0] / "out")["fig-formats"]


def test_keep_only_removes_the_entries_of_figures_no_longer_drawn(cold, tmp_path):
    cache_dir = copy_cache(cold[0], tmp_path)
    cache.keep_only(cache_dir, "svg", {"fig-formats", "fig-interview-sample"})
    left = sorted(p.name.rsplit("-", 1)[0] for p in (cache_dir / "svg").glob("*.svg"))
    assert left == ["fig-formats", "fig-interview-sample"]


def _pages_kaleido_loads(draw) -> list[str]:
    """The HTML pages kaleido's sessions load while ``draw()`` runs (kaleido logs each)."""
    import io
    import logging

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("kaleido._page_generator")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(1)  # kaleido logs the page at its level DEBUG2
    try:
        draw()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return [p for p in stream.getvalue().split("<!DOCTYPE html>")[1:] if "</html>" in p]


def test_kaleido_loads_nothing_from_the_network(tmp_path):
    # The build works offline: kaleido's default page loads MathJax from a CDN in every
    # session (and plotly.io.write_images cannot turn it off); ours loads only local files.
    figure = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))

    def ours():
        cache.write_images(
            [figure],
            [tmp_path / "ours.svg"],
            formats=["svg"],
            scales=[1],
            widths=[None],
            heights=[None],
        )

    (page,) = _pages_kaleido_loads(ours)
    sources = re.findall(r'src="([^"]+)"', page)
    assert sources and all(s.startswith("file://") for s in sources), sources
    assert (tmp_path / "ours.svg").read_bytes().startswith(b"<svg")
    # What it avoids, seen the same way: plotly's own call loads a script over the network.
    (default,) = _pages_kaleido_loads(lambda: pio.write_image(figure, tmp_path / "plain.svg"))
    assert any(s.startswith("https://") for s in re.findall(r'src="([^"]+)"', default))
