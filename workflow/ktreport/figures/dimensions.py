"""Stage 3, figures: the skills interviewees possess, their jobs require, training should add."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from ktreport import contract
from ktreport.contract import label
from ktreport.core import style
from ktreport.figures.spec import SOURCE_INTERVIEWS, TOP_SKILLS, FigureSpec, sourced, top_parts
from ktreport.figures.theme import DIMENSION_COLOURS, layout, legend_top

if TYPE_CHECKING:  # frames come in from the caller; no pandas import needed here
    import pandas as pd

TITLE = "Skills possessed, required and desirable"


def skill_dimensions(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    overall = aggregates["interview_skills_overall"]
    n = int(kf["n_interviews"]["value"])
    wide = overall.pivot_table(
        index=["skill_id", "label"], columns="dimension", values="share", aggfunc="first"
    ).reset_index()
    counts = overall.pivot_table(index="skill_id", columns="dimension", values="n", aggfunc="first")
    wide["n_required"] = wide["skill_id"].map(counts["required"])
    wide["n_any"] = wide["skill_id"].map(counts.sum(axis=1))
    wide = wide[wide["n_any"] > 0]
    shown = wide.sort_values(
        ["n_required", "label"], ascending=[False, True], kind="mergesort"
    ).head(TOP_SKILLS)
    fig = go.Figure()
    for dimension in contract.SKILL_DIMENSIONS:
        dimension_counts = counts[dimension]
        fig.add_bar(
            y=list(shown["label"]),
            x=[float(v) for v in shown[dimension].fillna(0)],
            name=label(dimension),
            orientation="h",
            marker_color=DIMENSION_COLOURS[dimension],
            customdata=[int(dimension_counts.get(s, 0)) for s in shown["skill_id"]],
            hovertemplate="%{y}: %{customdata} of " + str(n) + " interviewees"
            " (%{x:.1%})<extra>" + label(dimension) + "</extra>",
        )
    # Tall and scaled down on the page: larger type than the other figures.
    height = max(400, 130 + 40 * len(shown))
    layout(
        fig,
        height,
        barmode="group",
        bargap=0.2,
        bargroupgap=0.05,
        font={"size": 13},
        legend=legend_top(font={"size": 13}),
        xaxis={"title": {"text": "Share of interviewees"}, "tickformat": ".0%"},
        yaxis={"autorange": "reversed", "tickfont": {"size": 12}},
    )
    parts = top_parts(kf, {f"top_{d}_skill": f"most often {d}" for d in contract.SKILL_DIMENSIONS})
    alt = (
        f"Grouped horizontal bar chart of the share of the {n} interviewees who name each "
        f"skill as possessed (green), required by the job (vermillion) or desirable in "
        f"training (light blue), for the {style.plural(len(shown), 'skill')} most often named "
        f"as required. {style.sentence('; '.join(parts))}."
    )
    caption = sourced(
        "Share of interviewees who name a skill as one they possess, one their job "
        f"requires, or one training should add; the {len(shown)} skills most often named as "
        "required.",
        SOURCE_INTERVIEWS,
        n,
    )
    return FigureSpec("fig-skill-dimensions", TITLE, caption, alt, fig, n=n, height=height)
