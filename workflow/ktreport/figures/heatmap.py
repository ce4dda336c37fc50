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
        # The row labels keep clear of the cells.
        "ticklabelstandoff": 8,
        "tickfont": {"size": 11},
        "showgrid": False,
    },
}


def group_columns(by_group: pd.DataFrame, n: int) -> tuple[list[str], list[str], list[int]]:
    """The groups present, the column heads (all interviewees first) and each column's n.
    A group whose size is suppressed (small-cell protection: fewer than min_cell
    interviewees, ``aggregate.disclosure``) has no column (``hidden_groups`` names them)."""
    present = [g for g in groups(by_group) if g not in hidden_groups(by_group)]
    columns = ["All interviewees"] + [label(g) for g in present]
    sizes = [n] + [
        int(by_group.loc[by_group["respondent_group"] == g, "denominator"].iloc[0]) for g in present
    ]
    return present, columns, sizes


def hidden_groups(by_group: pd.DataFrame) -> list[str]:
    """The groups of ``by_group`` whose size (denominator) is suppressed."""
    return [
        g
        for g in groups(by_group)
        if by_group.loc[by_group["respondent_group"] == g, "denominator"].isna().all()
    ]


def hidden_note(by_group: pd.DataFrame, kf: Mapping[str, dict]) -> str:
    """The caption's note on the groups left out, or ""."""
    hidden = hidden_groups(by_group)
    if not hidden:
        return ""
    groups = style.join_list([label(g) for g in hidden])
    fewer = style.fewer_than_min_cell(kf)
    return f" Small-cell protection: {groups} ({fewer} interviewees) not shown."


# Cell text: black or white, whichever contrasts more with the cell's fill (WCAG 2 relative
# luminance). Either reaches at least 4.58:1 on any fill, above the 4.5:1 of WCAG AA.
DARK_TEXT, LIGHT_TEXT = "#000000", "#FFFFFF"
MIN_CONTRAST = 4.5


def _rgb(colour: str) -> tuple[int, int, int]:
    """``#RRGGBB`` or ``rgb(r, g, b)`` → (r, g, b)."""
    colour = colour.strip()
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]
    r, g, b = (int(float(part)) for part in colour[colour.index("(") + 1 : -1].split(","))
    return r, g, b


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0 black … 1 white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours (1 … 21)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(fill: str) -> str:
    """The cell text colour for ``fill``: black or white, the one of higher contrast."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda text: contrast_ratio(fill, text))


def cell_fill(value: float, zmax: float, zmin: float = 0.0) -> str:
    """The colour plotly paints a cell of ``value`` with the sequential scale."""
    from plotly.colors import sample_colorscale

    position = 0.0 if zmax <= zmin else min(max((value - zmin) / (zmax - zmin), 0.0), 1.0)
    return sample_colorscale(SEQUENTIAL, [position])[0]


def share_heatmap(
    z: list[list[float]],
    counts: list[list[int]],
    rows: list[str],
    columns: list[str],
    sizes: list[int],
    who: str,
) -> go.Figure:
    """Rows × columns of shares, each cell printed as a percentage, n under each column.

    The percentages are annotations, one per cell, each in the text colour that contrasts
    most with its cell (``text_colour``): a heatmap trace has one text colour for all cells.
    """
    x_labels = [f"{wrap(c)}<br>(n = {s})" for c, s in zip(columns, sizes, strict=True)]
    # The scale ends at the next 10 % above the largest share: pale cells stay readable.
    zmax = max(0.1, math.ceil(max((v for row in z for v in row), default=0) * 10) / 10)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x_labels,
            y=rows,
            customdata=counts,
            colorscale=SEQUENTIAL,
            zmin=0,
            zmax=zmax,
            xgap=2,
            ygap=2,
            # No colour bar: every cell prints its value, and WeasyPrint cannot draw the
            # bar's SVG gradient.
            showscale=False,
            hovertemplate="%{y}<br>%{x}: %{customdata} " + who + " (%{z:.1%})<extra></extra>",
        )
    )
    for row, values in zip(rows, z, strict=True):
        for column, value in zip(x_labels, values, strict=True):
            fig.add_annotation(
                x=column,
                y=row,
                text=style.pct(value),  # the report's style: "28 %"
                showarrow=False,
                font={"size": 10, "color": text_colour(cell_fill(value, zmax))},
            )
    return fig


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
        f"respondent group (n per column); the {len(skills)} skills most often required."
        + hidden_note(by_group, kf),
        SOURCE_INTERVIEWS,
        n,
    )
    return FigureSpec("fig-skills-group-heatmap", TITLE, caption, alt, fig, n=n, height=height)
