"""Stage 3, figures: the training offer, which skills the case-study programmes train."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from ktreport.core import style
from ktreport.core.frames import ranked
from ktreport.figures.spec import SOURCE_CASES, FigureSpec, add_skill_bars, each, leaders, sourced
from ktreport.figures.theme import layout, legend_top

if TYPE_CHECKING:  # frames come in from the caller; no pandas import needed here
    import pandas as pd

TITLE = "Skills trained by the case-study programmes"


def training_offer(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    offer = aggregates["training_offer_by_skill"]
    n = int(kf["n_case_studies"]["value"])
    ordered = ranked(offer, "n")
    fig = go.Figure()
    add_skill_bars(
        fig,
        ordered,
        ordered["share"].fillna(0),
        customdata=[
            [int(k), int(d)] for k, d in zip(ordered["n"], ordered["denominator"], strict=True)
        ],
        text=[f"{int(k)}" for k in ordered["n"]],
        hovertemplate="%{y}: %{customdata[0]} of %{customdata[1]} programmes"
        " (%{x:.1%})<extra></extra>",
    )
    # Tall (one row per skill) and scaled down on the page: larger type than the other figures.
    height = max(360, 110 + 17 * len(ordered))
    layout(
        fig,
        height,
        legend=legend_top(font={"size": 13}),
        font={"size": 13},
        xaxis={
            "title": {"text": "Share of programmes that train the skill (bar label: number)"},
            "tickformat": ".0%",
            "range": [0, min(1.0, float(ordered["share"].max() or 0) * 1.12 + 0.02)],
        },
        yaxis={"autorange": "reversed", "tickfont": {"size": 12}},
        bargap=0.18,
    )
    caption = sourced(
        "Share of the case-study programmes that train each skill of the taxonomy, "
        "soft and hard skills.",
        SOURCE_CASES,
        n,
    )
    alt = _offer_alt(offer, aggregates["training_offer_by_category"], n)
    return FigureSpec("fig-training-offer", TITLE, caption, alt, fig, n=n, height=height)


def _offer_alt(offer: pd.DataFrame, by_category: pd.DataFrame, n: int) -> str:
    top = leaders(offer, "n")
    not_offered = int((offer["n"] == 0).sum())
    soft = by_category.set_index("category")
    alt = (
        f"Horizontal bar chart of the share of the {n} case-study programmes that train each "
        f"of the {len(offer)} skills of the taxonomy, soft skills in blue and hard skills in "
        f"orange. The most trained "
        f"{'skills are' if len(top) > 1 else 'skill is'} {style.join_list(list(top['label']))}, "
        f"trained by {style.n_of(top['n'].iloc[0] if len(top) else 0, n)} programmes"
        f"{each(len(top))}; "
    )
    if not_offered == 0:
        alt += "every skill is trained by at least one programme."
    else:
        verb = "is" if not_offered == 1 else "are"
        alt += f"{style.plural(not_offered, 'skill')} {verb} not trained by any programme."
    if "soft" in soft.index and "hard" in soft.index:
        alt += (
            f" {style.pct(float(soft.loc['soft', 'share']))} of programmes train at least one "
            f"soft skill and {style.pct(float(soft.loc['hard', 'share']))} at least one hard "
            "skill."
        )
    return alt
