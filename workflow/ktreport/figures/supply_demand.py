"""Stage 3, figures: the supply of training against the demand for skills (a quadrant).

Each skill is a point: horizontally the share of case-study programmes that train it,
vertically the share of interviewees who require or desire it. Dashed lines at the mean
shares make four quadrants; the upper left, high demand and low supply, is the training
gap, whose skills are numbered on the plot and named in a key beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from ktreport import contract
from ktreport.core import style
from ktreport.core.frames import ranked
from ktreport.figures.labels import (
    QUADRANT_DOMAIN,
    QUADRANT_HEIGHT,
    QUADRANT_MARGIN,
    place_labels,
)
from ktreport.figures.spec import SOURCE_CASES, SOURCE_INTERVIEWS, FigureSpec, wrap
from ktreport.figures.theme import CATEGORY_COLOURS, OKABE_ITO, layout, legend_top

if TYPE_CHECKING:  # frames come in from the caller; no pandas import needed here
    import pandas as pd

KEY_MAX = 15  # numbered skills listed in the key
KEY_WRAP = 38  # characters per line in the key

Range = tuple[float, float]


def supply_demand(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    supply = aggregates["supply_demand"]
    n_interviews = int(kf["n_interviews"]["value"])
    n_cases = int(kf["n_case_studies"]["value"])
    x_line = float(supply["threshold_offered"].iloc[0]) if len(supply) else 0.0
    y_line = float(supply["threshold_demand"].iloc[0]) if len(supply) else 0.0
    x_max = max(float(supply["share_offered"].max() or 0), x_line) * 1.1 + 0.05
    y_max = max(float(supply["share_demand"].max() or 0), y_line) * 1.1 + 0.05
    x_max, y_max = min(x_max, 1.05), min(y_max, 1.05)
    # A little room below 0, so that points at 0 % are not cut by the axes.
    x_range, y_range = (-0.025 * x_max, x_max), (-0.025 * y_max, y_max)

    fig = go.Figure()
    _quadrants(fig, x_range, y_range, x_line, y_line)
    gap_rows = ranked(supply[supply["quadrant"] == "training_gap"], "difference")
    numbers = {sid: i + 1 for i, sid in enumerate(gap_rows["skill_id"].head(KEY_MAX))}
    others = supply[~supply["skill_id"].isin(set(gap_rows["skill_id"]))]
    named = list(ranked(others[others["n_demand"] > 0], "share_demand")["skill_id"].head(4))
    placed = place_labels(supply, x_range, y_range, numbers, named, (x_line, y_line))
    _point_labels(fig, supply, placed)
    _gap_key(fig, supply, numbers, len(gap_rows))
    _points(fig, supply, n_cases, n_interviews)
    layout(
        fig,
        QUADRANT_HEIGHT,
        legend=legend_top(),
        margin=QUADRANT_MARGIN,
        xaxis={
            "title": {"text": "Offered: share of programmes that train the skill"},
            "tickformat": ".0%",
            "range": list(x_range),
            "zeroline": False,
            "domain": [0, QUADRANT_DOMAIN],
        },
        yaxis={
            "title": {"text": "Needed: share of interviewees who require or desire it"},
            "tickformat": ".0%",
            "range": list(y_range),
            "zeroline": False,
        },
    )
    caption = (
        "Training supply (share of case-study programmes training a skill, n = "
        f"{n_cases}) against demand (share of interviewees who name it as required or "
        f"desirable, n = {n_interviews}); dashed lines at the mean shares. "
        f"Sources: {SOURCE_CASES}; {SOURCE_INTERVIEWS}."
    )
    title = "Supply of training versus demand for skills"
    alt = _supply_alt(supply, gap_rows, (x_line, y_line), n_cases, n_interviews)
    return FigureSpec(
        "fig-supply-demand", title, caption, alt, fig, n=n_interviews, height=QUADRANT_HEIGHT
    )


def _quadrants(fig: go.Figure, x_range: Range, y_range: Range, x_line: float, y_line: float):
    """The shaded training-gap corner, the dashed mean lines and the corner notes."""
    (x_min, x_max), (y_min, y_max) = x_range, y_range
    # The "training gap" corner: high demand, low supply.
    fig.add_shape(
        type="rect",
        x0=x_min,
        x1=x_line,
        y0=y_line,
        y1=y_max,
        fillcolor="rgba(213,94,0,0.08)",
        line={"width": 0},
        layer="below",
    )
    for axis, value in (("x", x_line), ("y", y_line)):
        fig.add_shape(
            type="line",
            x0=value if axis == "x" else x_min,
            x1=value if axis == "x" else x_max,
            y0=y_min if axis == "x" else value,
            y1=y_max if axis == "x" else value,
            line={"color": "#777777", "width": 1, "dash": "dash"},
            layer="below",
        )
    corner_notes = (
        (x_min, y_max, "left", "top", "<b>Training gap</b><br>high demand, low supply", 12),
        (x_max, y_max, "right", "top", "Well served", 11),
        (x_max, y_min, "right", "bottom", "Supply-led", 11),
    )
    for x, y, xanchor, yanchor, text, size in corner_notes:
        colour = OKABE_ITO["vermillion"] if text.startswith("<b>") else "#555555"
        fig.add_annotation(
            {"x": x, "y": y, "xanchor": xanchor, "yanchor": yanchor},
            text=text,
            showarrow=False,
            align="left",
            bgcolor="rgba(255,255,255,0.85)",  # the dashed lines pass behind, not through
            font={"color": colour, "size": size},
        )


def _point_labels(fig: go.Figure, supply: pd.DataFrame, placed) -> None:
    """The placed labels (``figures.labels``), each with a thin leader line to its point."""
    points = supply.set_index("skill_id")
    for skills, dx, dy, text in placed:
        fig.add_annotation(
            x=float(points.loc[skills[0], "share_offered"]),
            y=float(points.loc[skills[0], "share_demand"]),
            ax=dx,
            ay=-dy,  # plotly counts ay downwards
            text=text,
            align="left" if dx >= 0 else "right",
            xanchor="left" if dx > 0 else ("right" if dx < 0 else "center"),
            yanchor="middle",
            showarrow=True,
            arrowhead=0,
            arrowwidth=0.8,
            arrowcolor="#777777",
            standoff=4,
            # A label next to a mean line ("5", "6" in the sample) stays legible: the
            # dashes pass behind it.
            bgcolor="rgba(255,255,255,0.85)",
            borderpad=1,
            font={"size": 10, "color": "#222222"},
        )


def _gap_key(fig: go.Figure, supply: pd.DataFrame, numbers: Mapping[str, int], n_gap: int):
    """The key beside the plot: the numbered training-gap skills by name."""
    labels = dict(zip(supply["skill_id"], supply["label"], strict=True))
    # Plain lines only (WeasyPrint drops the text that follows a bold part of a line in an
    # SVG), continuation lines indented by figure spaces (one digit wide).
    key = []
    for sid, number in numbers.items():
        lines = wrap(labels[sid], KEY_WRAP).split("<br>")
        indent = "\u2007" * (len(str(number)) + 1)
        key += [f"{number} {lines[0]}", *(indent + line for line in lines[1:])]
    if n_gap > len(numbers):
        key.append(f"… and {n_gap - len(numbers)} more")
    for text, shift, size in (
        ("<b>Skills in the training gap</b>", 0, 10),
        ("<br>".join(key) or "none", -16, 10),
    ):
        fig.add_annotation(
            x=QUADRANT_DOMAIN + 0.03,
            y=1.0,
            yshift=shift,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="top",
            align="left",
            showarrow=False,
            text=text,
            font={"size": size, "color": "#222222"},
        )


def _points(fig: go.Figure, supply: pd.DataFrame, n_cases: int, n_interviews: int) -> None:
    """The skills as points, one trace per category (soft circles, hard squares)."""
    for category in contract.SKILL_CATEGORIES:
        rows = supply[supply["category"] == category]
        fig.add_scatter(
            x=[float(v) for v in rows["share_offered"].fillna(0)],
            y=[float(v) for v in rows["share_demand"].fillna(0)],
            mode="markers",
            name=f"{category.capitalize()} skill",
            cliponaxis=False,
            marker={
                "color": CATEGORY_COLOURS[category],
                "size": 9,
                "symbol": "circle" if category == "soft" else "square",
                "line": {"color": "#FFFFFF", "width": 1},
            },
            customdata=[
                [lab, int(a), int(b)]
                for lab, a, b in zip(
                    rows["label"], rows["n_offered"], rows["n_demand"], strict=True
                )
            ],
            hovertemplate="<b>%{customdata[0]}</b><br>offered by %{customdata[1]} of "
            + str(n_cases)
            + " programmes (%{x:.1%})<br>required or desirable for %{customdata[2]} of "
            + str(n_interviews)
            + " interviewees (%{y:.1%})<extra></extra>",
        )


def _supply_alt(
    supply: pd.DataFrame, gap_rows: pd.DataFrame, lines: Range, n_cases: int, n_interviews: int
) -> str:
    x_line, y_line = lines
    alt = (
        f"Scatter plot of the {len(supply)} skills: horizontally the share of the {n_cases} "
        f"case-study programmes that train the skill, vertically the share of the "
        f"{n_interviews} interviewees who say the job requires it or training should add it. "
        f"Dashed lines at the mean shares ({style.pct(x_line)} offered, {style.pct(y_line)} "
        f"needed) divide the plot into quadrants; the upper-left quadrant, high demand and "
        f"low supply, is labelled the training gap. "
    )
    if not len(gap_rows):
        return alt + "No skill falls in the training gap."
    named = [
        f"{r['label']} (needed by {style.pct(float(r['share_demand']))}, offered by "
        f"{style.pct(float(r['share_offered']))})"
        for _, r in gap_rows.head(5).iterrows()
    ]
    return alt + (
        f"{style.plural(len(gap_rows), 'skill')} {'falls' if len(gap_rows) == 1 else 'fall'} "
        f"in the training gap, led by {style.join_list(named)}."
    )
