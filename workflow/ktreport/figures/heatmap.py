"""Stage 3, figures: heatmaps of shares by respondent group (required skills; the shared grid).

``share_heatmap`` draws rows × columns of shares with each cell's percentage printed; the
required-skills heatmap here and the training formats (``figures.formats``) use it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from ktreport.contract import label
from ktreport.core import style
from ktreport.core.frames import ranked
from ktreport.figures.spec import (
    SOURCE_INTERVIEWS,
    TOP_SKILLS_HEATMAP,
    FigureSpec,
    groups,
    sourced,
    top_parts,
    wrap,
)
from ktreport.figures.theme import SEQUENTIAL, layout

if TYPE_CHECKING:  # frames come in from the caller; no pandas import needed here
    import pandas as pd

TITLE = "Required skills by respondent group"

HEATMAP_AXES = {
    "xaxis": {
        "side": "top",
        "showline": False,
        "ticks": "",
        "tickangle": 0,
        "tickfont": {"size": 11},
        "showgrid": False,
    },
    "yaxis": {
        "autorange": "reversed",
        "showline": False,
        "ticks": "",
        "tickfont": {"size": 11},
        "showgrid": False,
    },
}


def group_columns(by_group: pd.DataFrame, n: int) -> tuple[list[str], list[str], list[int]]:
    """The groups present, the column heads (all interviewees first) and each column's n."""
    present = groups(by_group)
    columns = ["All interviewees"] + [label(g) for g in present]
    sizes = [n] + [
        int(by_group.loc[by_group["respondent_group"] == g, "denominator"].iloc[0]) for g in present
    ]
    return present, columns, sizes


def share_heatmap(
    z: list[list[float]],
    counts: list[list[int]],
    rows: list[str],
    columns: list[str],
    sizes: list[int],
    who: str,
) -> go.Figure:
    """Rows × columns of shares, each cell printed as a percentage, n under each column."""
    x_labels = [f"{wrap(c)}<br>(n = {s})" for c, s in zip(columns, sizes, strict=True)]
    return go.Figure(
        go.Heatmap(
            z=z,
            x=x_labels,
            y=rows,
            customdata=counts,
            colorscale=SEQUENTIAL,
            zmin=0,
            # The scale ends at the next 10 % above the largest share: pale cells stay readable.
            zmax=max(0.1, math.ceil(max((v for row in z for v in row), default=0) * 10) / 10),
            xgap=2,
            ygap=2,
            text=[[style.pct(v) for v in row] for row in z],  # the report's style: "28 %"
            texttemplate="%{text}",
            textfont={"size": 10},
            # No colour bar: every cell prints its value, and WeasyPrint cannot draw the
            # bar's SVG gradient.
            showscale=False,
            hovertemplate="%{y}<br>%{x}: %{customdata} " + who + " (%{z:.1%})<extra></extra>",
        )
    )


def group_heatmap(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    by_group = aggregates["interview_skills_by_group"]
    overall = aggregates["interview_skills_overall"]
    n = int(kf["n_interviews"]["value"])
    required = overall[overall["dimension"] == "required"]
    named = required[required["n"] > 0]
    rows = ranked(named, "n").head(TOP_SKILLS_HEATMAP)
    skills = list(rows["skill_id"])
    present, columns, sizes = group_columns(by_group, n)
    required_by_group = by_group[by_group["dimension"] == "required"]
    z, counts = [], []
    for skill in skills:
        row_z = [float(required.loc[required["skill_id"] == skill, "share"].iloc[0])]
        row_n = [int(required.loc[required["skill_id"] == skill, "n"].iloc[0])]
        for group in present:
            cell = required_by_group[
                (required_by_group["respondent_group"] == group)
                & (required_by_group["skill_id"] == skill)
            ]
            row_z.append(float(cell["share"].iloc[0]))
            row_n.append(int(cell["n"].iloc[0]))
        z.append(row_z)
        counts.append(row_n)
    fig = share_heatmap(z, counts, list(rows["label"]), columns, sizes, "interviewees")
    height = max(380, 170 + 22 * len(skills))
    layout(fig, height, **HEATMAP_AXES)
    parts = top_parts(kf, {f"top_required_{g}_skill": label(g) for g in present})
    alt = (
        f"Heatmap of the share of interviewees who say their job requires each skill, for all "
        f"{n} interviewees and by respondent group; darker cells are higher shares, and each "
        f"cell shows its percentage. Shown: the {style.plural(len(skills), 'skill')} most "
        f"often required, of {len(named)} named as required at least once. Most often "
        f"required by group: {'; '.join(parts)}."
    )
    caption = sourced(
        "Share of interviewees who say their job requires a skill, overall and by "
        f"respondent group (n per column); the {len(skills)} skills most often required.",
        SOURCE_INTERVIEWS,
        n,
    )
    return FigureSpec("fig-skills-group-heatmap", TITLE, caption, alt, fig, n=n, height=height)
