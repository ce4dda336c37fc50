"""Stage 3, figures: the one theme of the report's figures (palette, fonts, plotly template).

Okabe & Ito colours throughout; every figure builder lays its figure out with ``layout``,
which applies the template registered here.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from ktreport import contract

# Okabe & Ito (2008), the colour-blind-safe palette; yellow last (weak on white).
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "vermillion": "#D55E00",
    "black": "#000000",
    "yellow": "#F0E442",
}
COLORWAY = [OKABE_ITO[c] for c in OKABE_ITO]
CATEGORY_COLOURS = {"soft": OKABE_ITO["blue"], "hard": OKABE_ITO["orange"]}
DIMENSION_COLOURS = {
    "possessed": OKABE_ITO["green"],
    "required": OKABE_ITO["vermillion"],
    "desirable": OKABE_ITO["sky"],
}
GROUP_COLOURS = dict(
    zip(
        contract.RESPONDENT_GROUPS,
        (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["purple"]),
        strict=True,
    )
)
# Sequential scale for shares (white → Okabe–Ito blue): readable in grey and for all CVD.
SEQUENTIAL = [[0.0, "#F7FBFF"], [0.5, "#6BAED6"], [1.0, "#08306B"]]

FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
TEMPLATE_NAME = "ktreport"
WIDTH = 760  # px: the A4 text width (16 cm) at the report's figure scale


def register_template() -> None:
    """The one theme of the report's figures, registered once under ``TEMPLATE_NAME``.

    Registered on first use rather than at import, which stays cheap for Snakemake.
    """
    if TEMPLATE_NAME in pio.templates:
        return
    axis = {
        "gridcolor": "#E5E5E5",
        "linecolor": "#444444",
        "zerolinecolor": "#BBBBBB",
        "ticks": "outside",
        "tickcolor": "#444444",
        "title": {"standoff": 8},
        "automargin": True,
    }
    pio.templates[TEMPLATE_NAME] = go.layout.Template(
        layout={
            "font": {"family": FONT_FAMILY, "size": 12, "color": "#222222"},
            "colorway": COLORWAY,
            "paper_bgcolor": "#FFFFFF",
            "plot_bgcolor": "#FFFFFF",
            "xaxis": {**axis, "showline": True},
            "yaxis": {**axis, "showline": True},
            "legend": {"bgcolor": "rgba(255,255,255,0)", "font": {"size": 11}},
            "hoverlabel": {"font": {"family": FONT_FAMILY}},
            "margin": {"l": 10, "r": 20, "t": 30, "b": 10},
            "bargap": 0.25,
        }
    )


def layout(fig: go.Figure, height: int, **settings) -> go.Figure:
    """The theme and the height; ``settings`` go to plotly's ``update_layout``."""
    # No width in the layout: the interactive figure fills its column in the HTML; the
    # static export gets ``FigureSpec.width``.
    register_template()
    fig.update_layout(template=TEMPLATE_NAME, height=height, **settings)
    return fig


def legend_top(**extra) -> dict:
    """A horizontal legend above the plot, left-aligned, without a title."""
    return {
        "orientation": "h",
        "yanchor": "bottom",
        "y": 1.01,
        "xanchor": "left",
        "x": 0,
        "title": {"text": ""},
        "traceorder": "normal",
        **extra,
    }
