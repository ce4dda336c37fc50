"""Stage 3, figures: the skill gap, required versus possessed skills (a dumbbell chart)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from ktreport.contract import label
from ktreport.core import style
from ktreport.core.frames import ranked
from ktreport.figures.spec import SOURCE_INTERVIEWS, TOP_SKILLS_GAP, FigureSpec, sourced
from ktreport.figures.theme import DIMENSION_COLOURS, layout, legend_top

if TYPE_CHECKING:  # frames come in from the caller; no pandas import needed here
    import pandas as pd

TITLE = "Required versus possessed skills"


def gap_dumbbell(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    gap = aggregates["skill_gap_overall"]
    n = int(kf["n_interviews"]["value"])
    named = gap[(gap["n_required"] + gap["n_possessed"]) > 0]
    largest = named.assign(size=named["gap"].abs())
    largest = ranked(largest, "size").head(TOP_SKILLS_GAP)
    shown = largest.sort_values(["gap", "label"], ascending=[False, True], kind="mergesort")
    labels = list(shown["label"])
    fig = _dumbbells(shown, n)
    height = max(400, 120 + 22 * len(shown))
    layout(
        fig,
        height,
        legend=legend_top(),
        xaxis={
            "title": {"text": "Share of interviewees"},
            "tickformat": ".0%",
            "rangemode": "tozero",
        },
        yaxis={
            "categoryorder": "array",
            "categoryarray": labels,
            "range": [len(labels) - 0.5, -0.5],
            "tickfont": {"size": 11},
            "showgrid": True,
        },
    )
    caption = sourced(
        "Share of interviewees who say their job requires a skill and share who say "
        f"they possess it; the {len(shown)} skills with the largest gaps, ordered by the gap "
        "(required − possessed).",
        SOURCE_INTERVIEWS,
        n,
    )
    alt = _gap_alt(shown, kf, n)
    return FigureSpec("fig-gap-dumbbell", TITLE, caption, alt, fig, n=n, height=height)


def _dumbbells(shown: pd.DataFrame, n: int) -> go.Figure:
    """A grey line from possessed to required per skill, a marker at each end."""
    fig = go.Figure()
    line_x: list[float | None] = []
    line_y: list[str | None] = []
    for _, row in shown.iterrows():
        line_x += [float(row["share_possessed"]), float(row["share_required"]), None]
        line_y += [row["label"], row["label"], None]
    fig.add_scatter(
        x=line_x,
        y=line_y,
        mode="lines",
        line={"color": "#9A9A9A", "width": 2},
        hoverinfo="skip",
        showlegend=False,
    )
    for dimension in ("possessed", "required"):
        fig.add_scatter(
            x=[float(v) for v in shown[f"share_{dimension}"]],
            y=list(shown["label"]),
            mode="markers",
            name=label(dimension),
            marker={
                "color": DIMENSION_COLOURS[dimension],
                "size": 10,
                "symbol": "circle" if dimension == "possessed" else "diamond",
                "line": {"color": "#FFFFFF", "width": 1},
            },
            customdata=[int(v) for v in shown[f"n_{dimension}"]],
            hovertemplate="%{y}: %{customdata} of " + str(n) + " interviewees (%{x:.1%})"
            "<extra>" + label(dimension) + "</extra>",
        )
    return fig


def _gap_alt(shown: pd.DataFrame, kf: Mapping[str, dict], n: int) -> str:
    positive = shown[shown["gap"] > 0]
    negative = shown[shown["gap"] < 0]
    alt = (
        f"Dumbbell chart comparing, for each skill, the share of the {n} interviewees who say "
        f"they possess it (green circle) with the share who say their job requires it "
        f"(vermillion diamond), for the {style.plural(len(shown), 'skill')} with the largest "
        f"gaps in either direction, ordered by the gap. "
    )
    if "gap_max_skill" in kf and kf["gap_max_value"]["value"] > 0:
        alt += (
            f"The largest gap is for {kf['gap_max_skill']['value']}: required by "
            f"{style.n_of(kf['gap_max_n_required']['value'], n)}, possessed by "
            f"{style.n_of(kf['gap_max_n_possessed']['value'], n)}. "
        )
    return alt + (
        f"{style.plural(len(positive), 'skill')} {'is' if len(positive) == 1 else 'are'} more "
        f"often required than possessed; {len(negative)} more often possessed than required."
    )
