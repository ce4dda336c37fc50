"""Stage 3, figures: what a figure is (``FigureSpec``) and the pieces the builders share.

Every figure is a ``FigureSpec``: its id (the cross-reference target, ``@fig-…``), a title
and a caption (with source and n) for the report, an alt text written from the data, and
the plotly figure. The helpers here set up the bars, legends and rows that several
figures draw alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from ktreport import contract
from ktreport.core import style
from ktreport.core.frames import ranked
from ktreport.figures.theme import CATEGORY_COLOURS, OKABE_ITO, WIDTH

if TYPE_CHECKING:  # frames come in from the caller; no pandas import needed here
    import pandas as pd

SOURCE_CASES = "KT SoftSkills case studies of training programmes"
SOURCE_INTERVIEWS = "KT SoftSkills interviews with KT professionals"
SOURCE_RATINGS = "KT SoftSkills interview ratings of importance and proficiency"
TOP_SKILLS = 15  # skills shown where all of them would not be readable
TOP_SKILLS_HEATMAP = 20
TOP_SKILLS_GAP = 20


@dataclass(frozen=True)
class FigureSpec:
    id: str
    title: str
    caption: str
    alt: str
    figure: go.Figure
    n: int | None = None
    width: int = WIDTH
    height: int = 440


def sourced(text: str, source: str, n: object) -> str:
    """A caption: ``text``, then its source and n ("… Source: <source> (n = 60).")."""
    return f"{text} Source: {source} (n = {n})."


def leaders(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """The rows that share the highest positive value of ``by`` (ties included)."""
    if frame.empty or frame[by].max() <= 0:
        return frame.iloc[0:0]
    return ranked(frame[frame[by] == frame[by].max()], by)


def groups(frame: pd.DataFrame) -> list[str]:
    """The respondent groups present in ``frame``, in the contract's order."""
    present = set(frame["respondent_group"])
    return [g for g in contract.RESPONDENT_GROUPS if g in present]


def top_parts(kf: Mapping[str, dict], keys: Mapping[str, str], lower: bool = False) -> list[str]:
    """ "<name>: <top value> (<n> of <denominator>)" for each key figure of ``keys`` (key ->
    name) that ``kf`` has; ``lower`` writes the value in lower case."""
    parts = []
    for key, name in keys.items():
        if key in kf:
            value = kf[key]["value"].lower() if lower else kf[key]["value"]
            parts.append(f"{name}: {value} ({style.n_of(kf[key]['n'], kf[key]['denominator'])})")
    return parts


def dtick(maximum: float) -> int | None:
    """Whole-number ticks for small counts (plotly would show 0.5 steps)."""
    return 1 if maximum <= 8 else None


def wrap(text: str, width: int = 16) -> str:
    """Break a label into lines of about ``width`` characters (plotly's <br>)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def each(count: int) -> str:
    """ "each" after a number shared by several leaders ("12 each"), else nothing."""
    return " each" if count > 1 else ""


def add_stacked_bar(
    fig: go.Figure,
    categories: Sequence[str],
    values: Sequence[int],
    name: str,
    colour: str,
    unit: str,
    horizontal: bool = True,
) -> None:
    """One series of a stacked bar chart: counts of ``unit`` per category."""
    category_axis, value_axis = ("y", "x") if horizontal else ("x", "y")
    orientation = {"orientation": "h"} if horizontal else {}
    fig.add_bar(
        **{category_axis: list(categories), value_axis: list(values)},
        name=name,
        **orientation,
        marker_color=colour,
        marker_line={"color": "#FFFFFF", "width": 1},
        hovertemplate=f"%{{{category_axis}}}: %{{{value_axis}}} {unit}<extra>{name}</extra>",
    )


def add_skill_bars(
    fig: go.Figure,
    rows: pd.DataFrame,
    values: Iterable[float],
    customdata: list,
    text: list[str],
    hovertemplate: str,
) -> None:
    """One horizontal bar per skill, soft and hard in their colours, a legend for both."""
    fig.add_bar(
        y=list(rows["label"]),
        x=[float(v) for v in values],
        orientation="h",
        marker_color=[CATEGORY_COLOURS.get(c, OKABE_ITO["black"]) for c in rows["category"]],
        customdata=customdata,
        hovertemplate=hovertemplate,
        text=text,
        textposition="outside",
        cliponaxis=False,
        showlegend=False,
    )
    category_legend(fig, contract.SKILL_CATEGORIES)


def category_legend(fig: go.Figure, categories: Iterable[str]) -> None:
    """Legend entries for soft/hard when bars of one trace carry both colours."""
    for category in categories:
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"color": CATEGORY_COLOURS[category], "size": 11, "symbol": "square"},
            name=f"{category.capitalize()} skill",
            hoverinfo="skip",
        )
