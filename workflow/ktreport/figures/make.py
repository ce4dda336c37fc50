"""Stage 3, figures: aggregate tables → plotly figures with one theme, captions and alt text.

Every figure is a ``FigureSpec``: its id (the cross-reference target, ``@fig-…``), a title
and a caption (with source and n) for the report, an alt text written from the data, and
the plotly figure. ``export_figures`` writes, for each figure, a static SVG (all figures in
one kaleido/Chromium session) for the PDF, the plotly JSON for the interactive HTML, and a
manifest ``figures.json``. Both files are byte-for-byte reproducible.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import plotly.graph_objects as go
import plotly.io as pio

from ktreport import contract
from ktreport.catalog import FIGURE_IDS
from ktreport.contract import label
from ktreport.core import style

if TYPE_CHECKING:  # frames come in from the caller; no pandas import needed here
    import pandas as pd


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


def _register_template() -> None:
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


# --------------------------------------------------------------------------- text helpers


def pct(share: float) -> str:
    """0.4167 → '42 %': the report's percentage style, from the one place that defines it."""
    return style.pct(float(share))


def join_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _n_of(n: int, total: int) -> str:
    return f"{int(n)} of {int(total)}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{int(n)} {word if int(n) == 1 else (plural or word + 's')}"


def _sentence(text: str) -> str:
    """First letter upper case, the rest untouched (labels keep their capitals: 'IP')."""
    return text[:1].upper() + text[1:]


def _ranked(frame: pd.DataFrame, by: str, ascending: bool = False) -> pd.DataFrame:
    return frame.sort_values([by, "label"], ascending=[ascending, True], kind="mergesort")


def _leaders(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """The rows that share the highest positive value of ``by`` (ties included)."""
    if frame.empty or frame[by].max() <= 0:
        return frame.iloc[0:0]
    return _ranked(frame[frame[by] == frame[by].max()], by)


def _groups(frame: pd.DataFrame) -> list[str]:
    present = set(frame["respondent_group"])
    return [g for g in contract.RESPONDENT_GROUPS if g in present]


def _layout(fig: go.Figure, height: int, **layout) -> go.Figure:
    # No width in the layout: the interactive figure fills its column in the HTML; the
    # static export gets ``FigureSpec.width``.
    _register_template()
    fig.update_layout(template=TEMPLATE_NAME, height=height, **layout)
    return fig


def _legend_top(**extra) -> dict:
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


def _bar_label_width(labels: Iterable[str]) -> int:
    return max((len(t) for t in labels), default=10)


# --------------------------------------------------------------------------- the figures


def _interview_sample(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    cross = aggregates["interviews_by_group_country"]
    n = int(kf["n_interviews"]["value"])
    totals = cross.groupby("country_name")["n"].sum()
    countries = sorted(totals.index, key=lambda c: (-totals[c], c))
    fig = go.Figure()
    for group in _groups(cross):
        rows = cross[cross["respondent_group"] == group].set_index("country_name")["n"]
        values = [int(rows.get(c, 0)) for c in countries]
        fig.add_bar(
            y=countries,
            x=values,
            name=label(group),
            orientation="h",
            marker_color=GROUP_COLOURS[group],
            marker_line={"color": "#FFFFFF", "width": 1},
            hovertemplate="%{y}: %{x} interviews<extra>" + label(group) + "</extra>",
        )
    height = max(360, 120 + 26 * len(countries))
    _layout(
        fig,
        height,
        barmode="stack",
        legend=_legend_top(),
        xaxis={"title": {"text": "Interviews"}, "dtick": _dtick(max(totals, default=1))},
        yaxis={"autorange": "reversed", "title": {"text": ""}},
    )
    group_parts = [f"{label(g)} {int(kf[f'n_group_{g}']['value'])}" for g in _groups(cross)]
    top = int(totals.max()) if len(totals) else 0
    leaders = [c for c in countries if totals[c] == top]
    alt = (
        f"Stacked bar chart of the {n} interviews by country of the interviewee and respondent "
        f"group. Groups: {join_list(group_parts)}. Most interviews were held in "
        f"{join_list(leaders)} ({top}{' each' if len(leaders) > 1 else ''})"
    )
    alt += f"; interviewees work in {_plural(len(countries), 'country', 'countries')}."
    return FigureSpec(
        id="fig-interview-sample",
        title="Interviews by country and respondent group",
        caption=f"Interviews by country of the interviewee and respondent group. "
        f"Source: {SOURCE_INTERVIEWS} (n = {n}).",
        alt=alt,
        figure=fig,
        n=n,
        height=height,
    )


def _dtick(maximum: float) -> int | None:
    """Whole-number ticks for small counts (plotly would show 0.5 steps)."""
    return 1 if maximum <= 8 else None


def _region_provider(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    cross = aggregates["case_studies_by_region_provider"]
    n = int(kf["n_case_studies"]["value"])
    regions = [r for r in contract.REGIONS if r in set(cross["region"])]
    colours = dict(zip(contract.PROVIDER_TYPES, COLORWAY, strict=False))
    fig = go.Figure()
    for provider in contract.PROVIDER_TYPES:
        rows = cross[cross["provider_type"] == provider].set_index("region")["n"]
        if rows.empty:
            continue
        fig.add_bar(
            y=regions,
            x=[int(rows.get(r, 0)) for r in regions],
            name=label(provider),
            orientation="h",
            marker_color=colours[provider],
            marker_line={"color": "#FFFFFF", "width": 1},
            hovertemplate="%{y}: %{x} programmes<extra>" + label(provider) + "</extra>",
        )
    totals = cross.groupby("region")["n"].sum()
    height = max(320, 170 + 48 * len(regions))
    _layout(
        fig,
        height,
        barmode="stack",
        legend=_legend_top(),
        xaxis={"title": {"text": "Case studies (programmes)"}, "dtick": _dtick(totals.max())},
        yaxis={"autorange": "reversed"},
    )
    region_parts = [f"{r} {int(totals.get(r, 0))}" for r in regions]
    providers = aggregates["case_studies_composition"]
    providers = providers[(providers["variable"] == "provider_type") & (providers["n"] > 0)]
    top = _leaders(providers.assign(label=providers["label"]), "n")
    alt = (
        f"Stacked bar chart of the {n} case-study programmes by world region and provider "
        f"type. By region: {join_list(region_parts)}. The most frequent provider type is "
        f"{join_list(list(top['label']))} "
        f"({_n_of(top['n'].iloc[0], n) if len(top) else '0'} programmes"
        f"{' each' if len(top) > 1 else ''})."
    )
    return FigureSpec(
        id="fig-case-studies-region-provider",
        title="Case-study programmes by region and provider type",
        caption=f"Training programmes studied as case studies, by world region and type of "
        f"provider. Source: {SOURCE_CASES} (n = {n}).",
        alt=alt,
        figure=fig,
        n=n,
        height=height,
    )


def _delivery_duration(
    aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]
) -> FigureSpec:
    cross = aggregates["case_studies_by_mode_duration"]
    n = int(kf["n_case_studies"]["value"])
    classes = [c for c, _ in contract.DURATION_CLASSES] + [contract.DURATION_UNKNOWN]
    colours = {"online": OKABE_ITO["sky"], "in_person": OKABE_ITO["blue"], "blended": "#E69F00"}
    fig = go.Figure()
    for mode in contract.DELIVERY_MODES:
        rows = cross[cross["delivery_mode"] == mode].set_index("duration_class")["n"]
        fig.add_bar(
            x=classes,
            y=[int(rows.get(c, 0)) for c in classes],
            name=label(mode),
            marker_color=colours[mode],
            marker_line={"color": "#FFFFFF", "width": 1},
            hovertemplate="%{x}: %{y} programmes<extra>" + label(mode) + "</extra>",
        )
    totals = cross.groupby("duration_class")["n"].sum()
    _layout(
        fig,
        420,
        barmode="stack",
        legend=_legend_top(),
        xaxis={"title": {"text": "Duration of the programme"}, "tickangle": 0},
        yaxis={"title": {"text": "Case studies (programmes)"}, "dtick": _dtick(totals.max())},
    )
    modes = aggregates["case_studies_composition"]
    modes = modes[modes["variable"] == "delivery_mode"]
    mode_parts = [
        f"{label(m).lower()} {int(modes.loc[modes['value'] == m, 'n'].sum())}"
        for m in contract.DELIVERY_MODES
    ]
    leaders = [c for c in classes if len(totals) and totals.get(c, 0) == totals.max()]
    unstated = int(totals.get(contract.DURATION_UNKNOWN, 0))
    alt = (
        f"Stacked bar chart of the {n} case-study programmes by duration class and delivery "
        f"mode. Delivery modes: {join_list(mode_parts)}. The most common duration is "
        f"{join_list(leaders)} ({_n_of(totals.max() if len(totals) else 0, n)} programmes"
        f"{' each' if len(leaders) > 1 else ''}); "
    )
    if unstated == 0:
        alt += "every programme states its duration."
    else:
        verb = "does" if unstated == 1 else "do"
        alt += f"{_plural(unstated, 'programme')} {verb} not state a duration."
    return FigureSpec(
        id="fig-delivery-duration",
        title="Case-study programmes by delivery mode and duration",
        caption=f"Training programmes by duration class (total hours) and delivery mode. "
        f"Source: {SOURCE_CASES} (n = {n}).",
        alt=alt,
        figure=fig,
        n=n,
        height=420,
    )


def _category_legend(fig: go.Figure, categories: Iterable[str]) -> None:
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


def _training_offer(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    offer = aggregates["training_offer_by_skill"]
    n = int(kf["n_case_studies"]["value"])
    ordered = _ranked(offer, "n")
    fig = go.Figure()
    fig.add_bar(
        y=list(ordered["label"]),
        x=[float(v) for v in ordered["share"].fillna(0)],
        orientation="h",
        marker_color=[CATEGORY_COLOURS.get(c, OKABE_ITO["black"]) for c in ordered["category"]],
        customdata=[
            [int(k), int(d)] for k, d in zip(ordered["n"], ordered["denominator"], strict=True)
        ],
        hovertemplate="%{y}: %{customdata[0]} of %{customdata[1]} programmes"
        " (%{x:.1%})<extra></extra>",
        text=[f"{int(k)}" for k in ordered["n"]],
        textposition="outside",
        cliponaxis=False,
        showlegend=False,
    )
    _category_legend(fig, contract.SKILL_CATEGORIES)
    # Tall (one row per skill) and scaled down on the page: larger type than the other figures.
    height = max(360, 110 + 17 * len(ordered))
    _layout(
        fig,
        height,
        legend=_legend_top(font={"size": 13}),
        font={"size": 13},
        xaxis={
            "title": {"text": "Share of programmes that train the skill (bar label: number)"},
            "tickformat": ".0%",
            "range": [0, min(1.0, float(ordered["share"].max() or 0) * 1.12 + 0.02)],
        },
        yaxis={"autorange": "reversed", "tickfont": {"size": 12}},
        bargap=0.18,
    )
    top = _leaders(offer, "n")
    not_offered = int((offer["n"] == 0).sum())
    soft = aggregates["training_offer_by_category"].set_index("category")
    alt = (
        f"Horizontal bar chart of the share of the {n} case-study programmes that train each "
        f"of the {len(offer)} skills of the taxonomy, soft skills in blue and hard skills in "
        f"orange. The most trained "
        f"{'skills are' if len(top) > 1 else 'skill is'} {join_list(list(top['label']))}, "
        f"trained by {_n_of(top['n'].iloc[0] if len(top) else 0, n)} programmes"
        f"{' each' if len(top) > 1 else ''}; "
    )
    if not_offered == 0:
        alt += "every skill is trained by at least one programme."
    else:
        verb = "is" if not_offered == 1 else "are"
        alt += f"{_plural(not_offered, 'skill')} {verb} not trained by any programme."
    if "soft" in soft.index and "hard" in soft.index:
        alt += (
            f" {pct(soft.loc['soft', 'share'])} of programmes train at least one soft skill and "
            f"{pct(soft.loc['hard', 'share'])} at least one hard skill."
        )
    return FigureSpec(
        id="fig-training-offer",
        title="Skills trained by the case-study programmes",
        caption=f"Share of the case-study programmes that train each skill of the taxonomy, "
        f"soft and hard skills. Source: {SOURCE_CASES} (n = {n}).",
        alt=alt,
        figure=fig,
        n=n,
        height=height,
    )


def _skill_dimensions(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
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
    _layout(
        fig,
        height,
        barmode="group",
        bargap=0.2,
        bargroupgap=0.05,
        font={"size": 13},
        legend=_legend_top(font={"size": 13}),
        xaxis={"title": {"text": "Share of interviewees"}, "tickformat": ".0%"},
        yaxis={"autorange": "reversed", "tickfont": {"size": 12}},
    )
    parts = []
    for dimension in contract.SKILL_DIMENSIONS:
        key = f"top_{dimension}_skill"
        if key in kf:
            parts.append(
                f"most often {dimension}: {kf[key]['value']} "
                f"({_n_of(kf[key]['n'], kf[key]['denominator'])})"
            )
    alt = (
        f"Grouped horizontal bar chart of the share of the {n} interviewees who name each "
        f"skill as possessed (green), required by the job (vermillion) or desirable in "
        f"training (light blue), for the {_plural(len(shown), 'skill')} most often named as "
        f"required. {_sentence('; '.join(parts))}."
    )
    return FigureSpec(
        id="fig-skill-dimensions",
        title="Skills possessed, required and desirable",
        caption=f"Share of interviewees who name a skill as one they possess, one their job "
        f"requires, or one training should add; the {len(shown)} skills most often named as "
        f"required. Source: {SOURCE_INTERVIEWS} (n = {n}).",
        alt=alt,
        figure=fig,
        n=n,
        height=height,
    )


_HEATMAP_AXES = {
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


def _wrap(text: str, width: int = 16) -> str:
    """Break a label into lines of about ``width`` characters (plotly's <br>)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _share_heatmap(
    z: list[list[float]],
    counts: list[list[int]],
    rows: list[str],
    columns: list[str],
    sizes: list[int],
    who: str,
) -> go.Figure:
    """Rows × columns of shares, each cell printed as a percentage, n under each column."""
    x_labels = [f"{_wrap(c)}<br>(n = {s})" for c, s in zip(columns, sizes, strict=True)]
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
            text=[[pct(v) for v in row] for row in z],  # the report's style: "28 %"
            texttemplate="%{text}",
            textfont={"size": 10},
            # No colour bar: every cell prints its value, and WeasyPrint cannot draw the
            # bar's SVG gradient.
            showscale=False,
            hovertemplate="%{y}<br>%{x}: %{customdata} " + who + " (%{z:.1%})<extra></extra>",
        )
    )


def _group_heatmap(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    by_group = aggregates["interview_skills_by_group"]
    overall = aggregates["interview_skills_overall"]
    n = int(kf["n_interviews"]["value"])
    required = overall[overall["dimension"] == "required"]
    named = required[required["n"] > 0]
    rows = _ranked(named, "n").head(TOP_SKILLS_HEATMAP)
    skills = list(rows["skill_id"])
    labels = list(rows["label"])
    groups = _groups(by_group)
    columns = ["All interviewees"] + [label(g) for g in groups]
    sizes = [n] + [
        int(by_group.loc[by_group["respondent_group"] == g, "denominator"].iloc[0]) for g in groups
    ]
    required_by_group = by_group[by_group["dimension"] == "required"]
    z, counts = [], []
    for skill in skills:
        row_z = [float(required.loc[required["skill_id"] == skill, "share"].iloc[0])]
        row_n = [int(required.loc[required["skill_id"] == skill, "n"].iloc[0])]
        for group in groups:
            cell = required_by_group[
                (required_by_group["respondent_group"] == group)
                & (required_by_group["skill_id"] == skill)
            ]
            row_z.append(float(cell["share"].iloc[0]))
            row_n.append(int(cell["n"].iloc[0]))
        z.append(row_z)
        counts.append(row_n)
    fig = _share_heatmap(z, counts, labels, columns, sizes, "interviewees")
    height = max(380, 170 + 22 * len(skills))
    _layout(fig, height, **_HEATMAP_AXES)
    parts = []
    for group in groups:
        key = f"top_required_{group}_skill"
        if key in kf:
            parts.append(
                f"{label(group)}: {kf[key]['value']} "
                f"({_n_of(kf[key]['n'], kf[key]['denominator'])})"
            )
    alt = (
        f"Heatmap of the share of interviewees who say their job requires each skill, for all "
        f"{n} interviewees and by respondent group; darker cells are higher shares, and each "
        f"cell shows its percentage. Shown: the {_plural(len(skills), 'skill')} most often "
        f"required, of {len(named)} named as required at least once. Most often required by "
        f"group: {'; '.join(parts)}."
    )
    return FigureSpec(
        id="fig-skills-group-heatmap",
        title="Required skills by respondent group",
        caption=f"Share of interviewees who say their job requires a skill, overall and by "
        f"respondent group (n per column); the {len(skills)} skills most often required. "
        f"Source: {SOURCE_INTERVIEWS} (n = {n}).",
        alt=alt,
        figure=fig,
        n=n,
        height=height,
    )


def _gap_dumbbell(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    gap = aggregates["skill_gap_overall"]
    n = int(kf["n_interviews"]["value"])
    named = gap[(gap["n_required"] + gap["n_possessed"]) > 0]
    largest = named.assign(size=named["gap"].abs())
    largest = _ranked(largest, "size").head(TOP_SKILLS_GAP)
    shown = largest.sort_values(["gap", "label"], ascending=[False, True], kind="mergesort")
    labels = list(shown["label"])
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
            y=labels,
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
    height = max(400, 120 + 22 * len(shown))
    _layout(
        fig,
        height,
        legend=_legend_top(),
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
    positive = shown[shown["gap"] > 0]
    negative = shown[shown["gap"] < 0]
    alt = (
        f"Dumbbell chart comparing, for each skill, the share of the {n} interviewees who say "
        f"they possess it (green circle) with the share who say their job requires it "
        f"(vermillion diamond), for the {_plural(len(shown), 'skill')} with the largest gaps "
        f"in either direction, ordered by the gap. "
    )
    if "gap_max_skill" in kf and kf["gap_max_value"]["value"] > 0:
        alt += (
            f"The largest gap is for {kf['gap_max_skill']['value']}: required by "
            f"{_n_of(kf['gap_max_n_required']['value'], n)}, possessed by "
            f"{_n_of(kf['gap_max_n_possessed']['value'], n)}. "
        )
    alt += (
        f"{_plural(len(positive), 'skill')} {'is' if len(positive) == 1 else 'are'} more "
        f"often required than possessed; {len(negative)} more often possessed than required."
    )
    return FigureSpec(
        id="fig-gap-dumbbell",
        title="Required versus possessed skills",
        caption=f"Share of interviewees who say their job requires a skill and share who say "
        f"they possess it; the {len(shown)} skills with the largest gaps, ordered by the gap "
        f"(required − possessed). "
        f"Source: {SOURCE_INTERVIEWS} (n = {n}).",
        alt=alt,
        figure=fig,
        n=n,
        height=height,
    )


# The quadrant: plot on the left, the key of the numbered training-gap skills on the right.
_QUADRANT_HEIGHT = 560
_QUADRANT_MARGIN = {"l": 70, "r": 10, "t": 40, "b": 60}
_QUADRANT_DOMAIN = 0.63  # share of the width taken by the plot
_KEY_MAX = 15  # numbered skills listed in the key
_KEY_WRAP = 38  # characters per line in the key
# Plot area in pixels and the size of a 10-px label (DejaVu Sans), used to keep labels from
# overlapping each other, the points and the corner notes.
_PLOT_W = (WIDTH - _QUADRANT_MARGIN["l"] - _QUADRANT_MARGIN["r"]) * _QUADRANT_DOMAIN
_PLOT_H = _QUADRANT_HEIGHT - _QUADRANT_MARGIN["t"] - _QUADRANT_MARGIN["b"]
_CHAR_W, _LINE_H = 6.2, 13.0
_LABEL_WRAP = 24  # characters per line of a named point
_CORNERS = (  # x0, x1, y0, y1 in plot pixels, origin bottom left
    (0.0, 175.0, _PLOT_H - 36.0, _PLOT_H),  # "Training gap" (top left)
    (_PLOT_W - 80.0, _PLOT_W, _PLOT_H - 16.0, _PLOT_H),  # "Well served"
    (_PLOT_W - 70.0, _PLOT_W, 0.0, 16.0),  # "Supply-led"
)
# Label offsets from the point (pixels, y up), nearest first: beside it, then diagonal
# with a leader line, then further out.
_OFFSETS = (
    (8, 0),
    (-8, 0),
    (0, 12),
    (0, -12),
    (14, 14),
    (14, -14),
    (-14, 14),
    (-14, -14),
    (24, 28),
    (24, -28),
    (-24, 28),
    (-24, -28),
    (36, 0),
    (-36, 0),
    (30, 48),
    (-30, 48),
    (30, -48),
    (-30, -48),
)


def _supply_demand(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    supply = aggregates["supply_demand"]
    n_interviews = int(kf["n_interviews"]["value"])
    n_cases = int(kf["n_case_studies"]["value"])
    x_line = float(supply["threshold_offered"].iloc[0]) if len(supply) else 0.0
    y_line = float(supply["threshold_demand"].iloc[0]) if len(supply) else 0.0
    x_max = max(float(supply["share_offered"].max() or 0), x_line) * 1.1 + 0.05
    y_max = max(float(supply["share_demand"].max() or 0), y_line) * 1.1 + 0.05
    x_max, y_max = min(x_max, 1.05), min(y_max, 1.05)
    # A little room below 0, so that points at 0 % are not cut by the axes.
    x_min, y_min = -0.025 * x_max, -0.025 * y_max

    fig = go.Figure()
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
        gap_note = text.startswith("<b>")
        fig.add_annotation(
            x=x,
            y=y,
            xanchor=xanchor,
            yanchor=yanchor,
            text=text,
            showarrow=False,
            align="left",
            bgcolor="rgba(255,255,255,0.85)",  # the dashed lines pass behind, not through
            font={"color": OKABE_ITO["vermillion"] if gap_note else "#555555", "size": size},
        )

    labels = dict(zip(supply["skill_id"], supply["label"], strict=True))
    points = supply.set_index("skill_id")
    gap_rows = _ranked(supply[supply["quadrant"] == "training_gap"], "difference")
    numbers = {sid: i + 1 for i, sid in enumerate(gap_rows["skill_id"].head(_KEY_MAX))}
    others = supply[~supply["skill_id"].isin(set(gap_rows["skill_id"]))]
    named = list(_ranked(others[others["n_demand"] > 0], "share_demand")["skill_id"].head(4))
    for skills, dx, dy, text in _place_labels(
        supply, (x_min, x_max), (y_min, y_max), numbers, named
    ):
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
    # The key: plain lines only (WeasyPrint drops the text that follows a bold part of a
    # line in an SVG), continuation lines indented by figure spaces (one digit wide).
    key = []
    for sid, number in numbers.items():
        lines = _wrap(labels[sid], _KEY_WRAP).split("<br>")
        indent = "\u2007" * (len(str(number)) + 1)
        key += [f"{number} {lines[0]}", *(indent + line for line in lines[1:])]
    if len(gap_rows) > len(numbers):
        key.append(f"… and {len(gap_rows) - len(numbers)} more")
    for text, shift, size in (
        ("<b>Skills in the training gap</b>", 0, 10),
        ("<br>".join(key) or "none", -16, 10),
    ):
        fig.add_annotation(
            x=_QUADRANT_DOMAIN + 0.03,
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
    _layout(
        fig,
        _QUADRANT_HEIGHT,
        legend=_legend_top(),
        margin=_QUADRANT_MARGIN,
        xaxis={
            "title": {"text": "Offered: share of programmes that train the skill"},
            "tickformat": ".0%",
            "range": [x_min, x_max],
            "zeroline": False,
            "domain": [0, _QUADRANT_DOMAIN],
        },
        yaxis={
            "title": {"text": "Needed: share of interviewees who require or desire it"},
            "tickformat": ".0%",
            "range": [y_min, y_max],
            "zeroline": False,
        },
    )
    gap_rows = _ranked(supply[supply["quadrant"] == "training_gap"], "difference")
    alt = (
        f"Scatter plot of the {len(supply)} skills: horizontally the share of the {n_cases} "
        f"case-study programmes that train the skill, vertically the share of the "
        f"{n_interviews} interviewees who say the job requires it or training should add it. "
        f"Dashed lines at the mean shares ({pct(x_line)} offered, {pct(y_line)} needed) divide "
        f"the plot into quadrants; the upper-left quadrant, high demand and low supply, is "
        f"labelled the training gap. "
    )
    if len(gap_rows):
        named = [
            f"{r['label']} (needed by {pct(r['share_demand'])}, offered by "
            f"{pct(r['share_offered'])})"
            for _, r in gap_rows.head(5).iterrows()
        ]
        alt += (
            f"{_plural(len(gap_rows), 'skill')} {'falls' if len(gap_rows) == 1 else 'fall'} "
            f"in the training gap, led by {join_list(named)}."
        )
    else:
        alt += "No skill falls in the training gap."
    return FigureSpec(
        id="fig-supply-demand",
        title="Supply of training versus demand for skills",
        caption=f"Training supply (share of case-study programmes training a skill, n = "
        f"{n_cases}) against demand (share of interviewees who name it as required or "
        f"desirable, n = {n_interviews}); dashed lines at the mean shares. "
        f"Sources: {SOURCE_CASES}; {SOURCE_INTERVIEWS}.",
        alt=alt,
        figure=fig,
        n=n_interviews,
        height=560,
    )


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _segment_hits(
    x0: float, y0: float, x1: float, y1: float, box: tuple[float, ...], steps: int = 8
) -> bool:
    """Does the leader line from (x0, y0) to (x1, y1) cross ``box``? (sampled)"""
    for i in range(1, steps):
        t = i / steps
        x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        if box[0] <= x <= box[1] and box[2] <= y <= box[3]:
            return True
    return False


def _place_labels(
    supply: pd.DataFrame,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    numbers: Mapping[str, int],
    named: Sequence[str],
) -> list[tuple[tuple[str, ...], int, int, str]]:
    """Labels of the quadrant's points: (skills, dx, dy, text).

    Training-gap skills get their number (the key lists the names), then a few highly
    demanded skills elsewhere get their name. Skills at the same position share a label.
    Each label takes the nearest offset that keeps it inside the plot and clear of other
    labels, other points and the corner notes; a named skill with no such place stays
    unlabelled (its hover text remains), a number falls back to the nearest place.
    """
    filled = supply.fillna({"share_offered": 0, "share_demand": 0})
    pixels = {
        sid: (
            (float(x) - x_range[0]) / (x_range[1] - x_range[0]) * _PLOT_W,
            (float(y) - y_range[0]) / (y_range[1] - y_range[0]) * _PLOT_H,
        )
        for sid, x, y in zip(
            filled["skill_id"], filled["share_offered"], filled["share_demand"], strict=True
        )
    }
    labels = dict(zip(supply["skill_id"], supply["label"], strict=True))
    together: dict[tuple[float, float], list[str]] = {}
    for sid in pixels:
        together.setdefault((round(pixels[sid][0], 1), round(pixels[sid][1], 1)), []).append(sid)
    markers = {sid: (x - 6, x + 6, y - 6, y + 6) for sid, (x, y) in pixels.items()}
    boxes: list[tuple[float, ...]] = list(_CORNERS)
    placed: list[tuple[tuple[str, ...], int, int, str]] = []
    done: set[str] = set()
    for skill in [*numbers, *named]:
        if skill in done:
            continue
        x, y = pixels[skill]
        group = together[(round(x, 1), round(y, 1))]
        done.update(group)
        if skill in numbers:
            group_numbers = sorted(numbers[s] for s in group if s in numbers)
            text = ", ".join(str(n) for n in group_numbers)
            lines = [text]
        else:
            text = "<br>".join(_wrap(labels[s], _LABEL_WRAP) for s in sorted(group))
            lines = text.split("<br>")
        width = _CHAR_W * max(len(line) for line in lines) + 2
        height = _LINE_H * len(lines)
        # A name keeps a wider berth from other points, so it cannot be read as theirs.
        berth = 0 if skill in numbers else 12
        obstacles = boxes + [
            (b[0] - berth, b[1] + berth, b[2] - berth / 2, b[3] + berth / 2)
            for sid, b in markers.items()
            if sid not in group
        ]
        choice = None
        # Names stay close to their point; a long leader line would point at the wrong one.
        offsets = _OFFSETS if skill in numbers else _OFFSETS[:4]
        for dx, dy in offsets:
            tail_x, tail_y = x + dx, y + dy
            left = tail_x if dx > 0 else (tail_x - width if dx < 0 else tail_x - width / 2)
            box = (left, left + width, tail_y - height / 2, tail_y + height / 2)
            inside = box[0] >= 0 and box[1] <= _PLOT_W and box[2] >= 0 and box[3] <= _PLOT_H
            if not inside or any(_overlaps(box, other) for other in obstacles):
                continue
            if any(_segment_hits(x, y, tail_x, tail_y, other) for other in obstacles):
                continue
            choice = (dx, dy, box)
            break
        if choice is None and skill in numbers:
            dx, dy = _OFFSETS[0]
            choice = (dx, dy, (x + dx, x + dx + width, y - height / 2, y + height / 2))
        if choice is not None:
            placed.append((tuple(group), choice[0], choice[1], text))
            boxes.append(choice[2])
    return placed


def _borich(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    ratings = aggregates["ratings_by_skill"]
    n_ratings = int(kf["n_ratings"]["value"])
    n_rated = int(kf["n_rated_interviews"]["value"])
    shown = ratings.sort_values("rank", kind="mergesort").head(TOP_SKILLS)
    if len(shown) == len(ratings):
        which = f"the {_plural(len(ratings), 'rated skill')}"
    else:
        which = f"the {len(shown)} highest-ranked of the {len(ratings)} rated skills"
    fig = go.Figure()
    if ratings.empty:
        fig.add_annotation(
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            text="No importance and proficiency ratings were collected.",
            showarrow=False,
            font={"size": 14},
        )
        _layout(fig, 240, xaxis={"visible": False}, yaxis={"visible": False})
        alt = "Empty chart: no importance and proficiency ratings were collected."
        height = 240
    else:
        fig.add_bar(
            y=list(shown["label"]),
            x=[float(v) for v in shown["mwds"]],
            orientation="h",
            marker_color=[CATEGORY_COLOURS.get(c, OKABE_ITO["black"]) for c in shown["category"]],
            customdata=[
                [int(k), float(i), float(p)]
                for k, i, p in zip(
                    shown["n"], shown["mean_importance"], shown["mean_proficiency"], strict=True
                )
            ],
            text=[
                f"{v:.2f} (n = {int(k)})" for v, k in zip(shown["mwds"], shown["n"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: MWDS %{x:.2f}<br>mean importance %{customdata[1]:.2f}, "
            "mean proficiency %{customdata[2]:.2f} (n = %{customdata[0]})<extra></extra>",
            showlegend=False,
        )
        _category_legend(fig, contract.SKILL_CATEGORIES)
        low = min(0.0, float(shown["mwds"].min()))
        high = max(0.0, float(shown["mwds"].max()))
        span = high - low or 1.0
        height = max(360, 130 + 30 * len(shown))
        _layout(
            fig,
            height,
            legend=_legend_top(),
            xaxis={
                "title": {"text": "Borich mean weighted discrepancy score (MWDS)"},
                "range": [low - (0.4 * span if low < 0 else 0), high + 0.25 * span],
                "zeroline": True,
            },
            yaxis={"autorange": "reversed", "tickfont": {"size": 11}},
        )
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
            alt += f", followed by {join_list(runners)}"
        alt += "."
    return FigureSpec(
        id="fig-borich",
        title="Training needs ranked by the Borich score",
        caption=f"Borich mean weighted discrepancy score (mean of importance − proficiency, "
        f"times mean importance; ratings 1–5) of {which}. "
        f"Source: {SOURCE_RATINGS} (n = {_plural(n_ratings, 'rating')} from "
        f"{_plural(n_rated, 'interviewee')}).",
        alt=alt,
        figure=fig,
        n=n_ratings,
        height=height,
    )


def _formats(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    by_group = aggregates["formats_by_group"]
    overall = aggregates["formats_overall"]
    n = int(kf["n_interviews"]["value"])
    ranked = _ranked(overall, "n")
    groups = _groups(by_group)
    columns = ["All interviewees"] + [label(g) for g in groups]
    sizes = [n] + [
        int(by_group.loc[by_group["respondent_group"] == g, "denominator"].iloc[0]) for g in groups
    ]
    cells = by_group.set_index(["format", "respondent_group"])
    z, counts = [], []
    for _, row in ranked.iterrows():
        fmt = row["format"]
        z.append([float(row["share"])] + [float(cells.loc[(fmt, g), "share"]) for g in groups])
        counts.append([int(row["n"])] + [int(cells.loc[(fmt, g), "n"]) for g in groups])
    fig = _share_heatmap(z, counts, list(ranked["label"]), columns, sizes, "interviewees")
    height = max(360, 170 + 30 * len(ranked))
    _layout(fig, height, **_HEATMAP_AXES)
    parts = []
    for group in groups:
        key = f"top_format_{group}"
        if key in kf:
            parts.append(
                f"{label(group)}: {kf[key]['value'].lower()} "
                f"({_n_of(kf[key]['n'], kf[key]['denominator'])})"
            )
    alt = (
        "Heatmap of the share of interviewees who prefer each training format, for all "
        f"{n} interviewees and by respondent group; darker cells are higher shares, and each "
        "cell shows its percentage. "
    )
    if "top_format" in kf:
        alt += (
            f"Overall, the most preferred format is {kf['top_format']['value'].lower()} "
            f"({_n_of(kf['top_format']['n'], n)} interviewees). "
        )
    alt += f"Most preferred by group: {'; '.join(parts)}."
    return FigureSpec(
        id="fig-formats",
        title="Preferred training formats by respondent group",
        caption="Training formats that interviewees prefer, overall and by respondent group "
        f"(several formats per interviewee possible). Source: {SOURCE_INTERVIEWS} (n = {n}).",
        alt=alt,
        figure=fig,
        n=n,
        height=height,
    )


BUILDERS = {
    "fig-interview-sample": _interview_sample,
    "fig-case-studies-region-provider": _region_provider,
    "fig-delivery-duration": _delivery_duration,
    "fig-training-offer": _training_offer,
    "fig-skill-dimensions": _skill_dimensions,
    "fig-skills-group-heatmap": _group_heatmap,
    "fig-gap-dumbbell": _gap_dumbbell,
    "fig-supply-demand": _supply_demand,
    "fig-borich": _borich,
    "fig-formats": _formats,
}


def build_figures(
    aggregates: Mapping[str, pd.DataFrame], key_figures: Mapping[str, dict]
) -> list[FigureSpec]:
    """The report's figures, in the order they appear in it (``FIGURE_IDS``)."""
    specs = [BUILDERS[figure_id](aggregates, key_figures) for figure_id in FIGURE_IDS]
    assert [s.id for s in specs] == list(FIGURE_IDS)
    return specs


# --------------------------------------------------------------------------- export


_KALEIDO_ID = re.compile(r'id="defs-([0-9a-f]{6})"')


def stable_svg(svg: str, figure_id: str) -> str:
    """Replace kaleido's random 6-hex document id (defs-…, clip…, gradients) by a stable one."""
    match = _KALEIDO_ID.search(svg)
    if not match:
        return svg
    random_id = match.group(1)
    stable = _stable_id(figure_id)
    # Only where the id is glued to an identifier (defs-ab12cd, clipab12cdxy, …), so that a
    # colour or a number in the text can never be touched.
    pattern = re.compile(rf"(?<=[A-Za-z_-]){random_id}(?![0-9a-f])")
    return pattern.sub(stable, svg)


def _stable_id(figure_id: str) -> str:
    return re.sub(r"[^a-z0-9]", "", figure_id.lower().removeprefix("fig-"))


def _with_stable_uids(figure: go.Figure, figure_id: str) -> go.Figure:
    """A copy whose traces carry fixed uids (plotly.js draws random ones into the SVG)."""
    copy = go.Figure(figure)
    for index, trace in enumerate(copy.data):
        trace.uid = f"{_stable_id(figure_id)}{index}"
    return copy


def figure_json(figure: go.Figure) -> str:
    """The plotly figure as canonical JSON (sorted keys, no uids): same figure, same bytes."""
    data = json.loads(pio.to_json(figure, validate=True, remove_uids=True))
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def export_figures(specs: Sequence[FigureSpec], out_dir: Path) -> Path:
    """``<id>.svg``, ``<id>.json`` for every figure and the manifest ``figures.json``.

    All SVGs are rendered in one kaleido (Chromium) session; returns the manifest path.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    svg_paths = [out_dir / f"{spec.id}.svg" for spec in specs]
    pio.write_images(
        [_with_stable_uids(spec.figure, spec.id) for spec in specs],
        svg_paths,
        format="svg",
        width=[spec.width for spec in specs],
        height=[spec.height for spec in specs],
        scale=1,
    )
    for spec, svg_path in zip(specs, svg_paths, strict=True):
        svg = svg_path.read_text(encoding="utf-8")
        svg_path.write_text(stable_svg(svg, spec.id), encoding="utf-8", newline="")
        json_path = out_dir / f"{spec.id}.json"
        json_path.write_text(figure_json(spec.figure), encoding="utf-8", newline="")
    return write_manifest(specs, out_dir / "figures.json")


def manifest_entries(specs: Sequence[FigureSpec]) -> list[dict]:
    """The manifest of the figures: what the chapters and the renderer need of each."""
    return [
        {
            "id": spec.id,
            "title": spec.title,
            "caption": spec.caption,
            "alt": spec.alt,
            "n": spec.n,
            "svg": f"{spec.id}.svg",
            "json": f"{spec.id}.json",
            "width": spec.width,
            "height": spec.height,
        }
        for spec in specs
    ]


def write_manifest(specs: Sequence[FigureSpec], path: Path) -> Path:
    """``figures.json`` (list of entries, indent 2, UTF-8 as is, trailing newline)."""
    text = json.dumps(manifest_entries(specs), indent=2, ensure_ascii=False) + "\n"
    Path(path).write_text(text, encoding="utf-8", newline="")
    return Path(path)


def make_figures(aggregates_dir: Path, key_figures_path: Path, out_dir: Path) -> Path:
    """Read the aggregates and key figures, build and export every figure (rule and CLI)."""
    from ktreport.core.io import read_aggregates, read_key_figures

    specs = build_figures(read_aggregates(aggregates_dir), read_key_figures(key_figures_path))
    return export_figures(specs, out_dir)
