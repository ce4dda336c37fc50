"""Legibility of the figures' own text: each heatmap cell's percentage contrasts at least
4.5:1 (WCAG AA) with its fill, row labels keep clear of the cells, and the supply-demand
quadrant's point labels keep clear of the dashed mean lines."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ktreport.aggregate import build_aggregates, key_figures, load_processed
from ktreport.figures import build_figures
from ktreport.figures.heatmap import share_heatmap
from ktreport.figures.labels import PLOT_H, PLOT_W, place_labels

SMALL = Path(__file__).resolve().parent / "fixtures" / "processed" / "small"
HEATMAPS = ("fig-skills-group-heatmap", "fig-formats")


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance, written out here independently of the figures' code."""
    channels = []
    for c in rgb:
        c = c / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def hex_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def painted(trace, value: float) -> tuple[float, float, float]:
    """The fill plotly paints for ``value``: linear RGB interpolation along the colour scale
    between zmin and zmax (as plotly.js does)."""
    t = (value - trace.zmin) / (trace.zmax - trace.zmin)
    t = min(max(t, 0.0), 1.0)
    stops = [(float(p), hex_rgb(c)) for p, c in trace.colorscale]
    for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
        if p0 <= t <= p1:
            f = 0 if p1 == p0 else (t - p0) / (p1 - p0)
            return tuple(a + f * (b - a) for a, b in zip(c0, c1, strict=True))
    raise AssertionError(f"{t} outside the colour scale")


def cell_contrasts(figure) -> list[tuple[str, float]]:
    """(cell text, contrast with its cell) for every cell of a heatmap figure."""
    trace = figure.data[0]
    cells = {
        (x, y): value
        for y, row in zip(trace.y, trace.z, strict=True)
        for x, value in zip(trace.x, row, strict=True)
    }
    labels = [a for a in figure.layout.annotations if (a.x, a.y) in cells]
    assert len(labels) == len(cells), "every cell prints its value"
    return [
        (a.text, contrast(hex_rgb(a.font.color), painted(trace, cells[(a.x, a.y)]))) for a in labels
    ]


@pytest.fixture(scope="module")
def specs():
    aggregates = build_aggregates(SMALL)
    return {
        s.id: s for s in build_figures(aggregates, key_figures(aggregates, load_processed(SMALL)))
    }


def test_every_heatmap_cell_contrasts_at_least_4_5_with_its_fill_over_the_whole_scale():
    # Every share from 0 to 100 % on one scale (zmax 1): the light, middle and dark cells.
    values = [i / 100 for i in range(101)]
    z = [values[i : i + 10] for i in range(0, 100, 10)]
    rows = [f"row {i}" for i in range(len(z))]
    figure = share_heatmap(z, [[1] * 10] * 10, rows, [f"c{i}" for i in range(10)], [5] * 10, "x")
    worst = min(cell_contrasts(figure), key=lambda pair: pair[1])
    assert worst[1] >= 4.5, worst


@pytest.mark.parametrize("figure_id", HEATMAPS)
def test_the_report_heatmaps_cells_are_legible(specs, figure_id):
    figure = specs[figure_id].figure
    contrasts = cell_contrasts(figure)
    below = [(text, round(ratio, 2)) for text, ratio in contrasts if ratio < 4.5]
    assert not below, f"{figure_id}: cells below 4.5:1: {below}"
    # The heatmap trace prints no text of its own (it would have one colour for all cells).
    assert not figure.data[0].texttemplate


@pytest.mark.parametrize("figure_id", HEATMAPS)
def test_heatmap_row_labels_keep_clear_of_the_cells(specs, figure_id):
    assert specs[figure_id].figure.layout.yaxis.ticklabelstandoff >= 6


def test_point_labels_keep_clear_of_the_mean_lines():
    # Points right beside both dashed lines: the nearest places (beside, above, below)
    # would put the label on a line.
    supply = pd.DataFrame(
        {
            "skill_id": ["a", "b", "c"],
            "label": ["Alpha", "Beta skill with a name", "Gamma"],
            "share_offered": [0.49, 0.51, 0.2],
            "share_demand": [0.51, 0.3, 0.49],
        }
    )
    x_range, y_range, lines = (0.0, 1.0), (0.0, 1.0), (0.5, 0.5)
    placed = place_labels(supply, x_range, y_range, {"a": 1, "c": 2}, ["b"], lines)
    line_x, line_y = 0.5 * PLOT_W, 0.5 * PLOT_H
    points = supply.set_index("skill_id")
    assert len(placed) == 3
    for skills, dx, dy, text in placed:
        x = float(points.loc[skills[0], "share_offered"]) * PLOT_W + dx
        y = float(points.loc[skills[0], "share_demand"]) * PLOT_H + dy
        width = 6.2 * max(len(line) for line in text.split("<br>")) + 2
        height = 13.0 * len(text.split("<br>"))
        left = x if dx > 0 else (x - width if dx < 0 else x - width / 2)
        assert not (left < line_x < left + width), f"{text} sits on the vertical line"
        assert not (y - height / 2 < line_y < y + height / 2), f"{text} sits on the horizontal line"
