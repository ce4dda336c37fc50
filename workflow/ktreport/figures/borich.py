"""Stage 3, figures: training needs ranked by the Borich score (importance × proficiency)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from ktreport.core import style
from ktreport.figures.spec import SOURCE_RATINGS, TOP_SKILLS, FigureSpec, add_skill_bars, sourced
from ktreport.figures.theme import layout, legend_top

if TYPE_CHECKING:  # frames come in from the caller; no pandas import needed here
    import pandas as pd

TITLE = "Training needs ranked by the Borich score"
EMPTY_HEIGHT = 240


def borich(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    ratings = aggregates["ratings_by_skill"]
    # Small-cell protection: a skill rated by fewer than min_cell interviewees has no score.
    n_hidden = int(ratings["mwds"].isna().sum())
    ratings = ratings[ratings["mwds"].notna()]
    n_ratings = int(kf["n_ratings"]["value"])
    n_rated = int(kf["n_rated_interviews"]["value"])
    shown = ratings.sort_values("rank", kind="mergesort").head(TOP_SKILLS)
    if len(shown) == len(ratings):
        which = f"the {style.plural(len(ratings), 'rated skill')}"
    else:
        which = f"the {len(shown)} highest-ranked of the {len(ratings)} rated skills"
    if ratings.empty:
        fig, height = _no_ratings(), EMPTY_HEIGHT
        alt = "Empty chart: no importance and proficiency ratings were collected."
    else:
        height = max(360, 130 + 30 * len(shown))
        fig, alt = _borich_bars(shown, height), _borich_alt(shown, which)
    # The number of ratings can pass 999: written plainly, as it always was (no separator).
    ratings_n = f"{n_ratings} {style.plural_word(n_ratings, 'rating')}"
    caption = sourced(
        "Borich mean weighted discrepancy score (mean of importance − proficiency, "
        f"times mean importance; ratings 1–5) of {which}." + _hidden_note(n_hidden, kf),
        SOURCE_RATINGS,
        f"{ratings_n} from {style.plural(n_rated, 'interviewee')}",
    )
    return FigureSpec("fig-borich", TITLE, caption, alt, fig, n=n_ratings, height=height)


def _hidden_note(n_hidden: int, kf: Mapping[str, dict]) -> str:
    if not n_hidden:
        return ""
    rated = (
        f"{style.plural(n_hidden, 'skill')} rated by {style.fewer_than_min_cell(kf)} interviewees"
    )
    return f" Small-cell protection: {rated} not shown."


def _no_ratings() -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        text="No importance and proficiency ratings were collected.",
        showarrow=False,
        font={"size": 14},
    )
    return layout(fig, EMPTY_HEIGHT, xaxis={"visible": False}, yaxis={"visible": False})


def _borich_bars(shown: pd.DataFrame, height: int) -> go.Figure:
    fig = go.Figure()
    add_skill_bars(
        fig,
        shown,
        shown["mwds"],
        customdata=[
            [int(k), float(i), float(p)]
            for k, i, p in zip(
                shown["n"], shown["mean_importance"], shown["mean_proficiency"], strict=True
            )
        ],
        text=[f"{v:.2f} (n = {int(k)})" for v, k in zip(shown["mwds"], shown["n"], strict=True)],
        hovertemplate="%{y}: MWDS %{x:.2f}<br>mean importance %{customdata[1]:.2f}, "
        "mean proficiency %{customdata[2]:.2f} (n = %{customdata[0]})<extra></extra>",
    )
    low = min(0.0, float(shown["mwds"].min()))
    high = max(0.0, float(shown["mwds"].max()))
    span = high - low or 1.0
    return layout(
        fig,
        height,
        legend=legend_top(),
        xaxis={
            "title": {"text": "Borich mean weighted discrepancy score (MWDS)"},
            "range": [low - (0.4 * span if low < 0 else 0), high + 0.25 * span],
            "zeroline": True,
        },
        yaxis={"autorange": "reversed", "tickfont": {"size": 11}},
    )


def _borich_alt(shown: pd.DataFrame, which: str) -> str:
    top = shown.iloc[0]
    alt = (
        f"Horizontal bar chart ranking {which} by the Borich "
        f"mean weighted discrepancy score, the mean gap between importance and proficiency "
        f"weighted by mean importance (higher means a larger training need). The top "
        f"training need is {top['label']} (MWDS {top['mwds']:.2f}; mean importance "
        f"{top['mean_importance']:.2f}, mean proficiency {top['mean_proficiency']:.2f}, "
        f"n = {int(top['n'])})"
    )
    if len(shown) > 1:
        runners = [f"{r['label']} ({r['mwds']:.2f})" for _, r in shown.iloc[1:3].iterrows()]
        alt += f", followed by {style.join_list(runners)}"
    return alt + "."
