"""Stage 3, figures: who and what the study covers (interviews, case-study programmes).

Three stacked bar charts of the samples: interviews by country and respondent group,
programmes by region and provider type, programmes by duration and delivery mode.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from ktreport import contract
from ktreport.contract import label
from ktreport.core import style
from ktreport.core.style import fewer_than
from ktreport.figures.spec import (
    SOURCE_CASES,
    SOURCE_INTERVIEWS,
    FigureSpec,
    add_stacked_bar,
    dtick,
    each,
    leaders,
    sourced,
)
from ktreport.figures.theme import COLORWAY, GROUP_COLOURS, OKABE_ITO, layout, legend_top

if TYPE_CHECKING:  # frames come in from the caller; no pandas import needed here
    import pandas as pd


POOLED = "pooled"  # aggregate.disclosure_tables.POOLED_COLUMN (that module imports pandas)


def _shown(value: object) -> int | None:
    """A cell of a protected table: its count, or None when it is suppressed (empty)."""
    return None if value is None or value != value else int(value)  # noqa: PLR0124 (NaN)


def interview_sample(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    """Interviews by country and group. Small cells (``aggregate.disclosure``) are not
    drawn: a country's hidden groups are one hatched segment; the small countries pooled
    by the protection are the last bar, and countries whose total is hidden one more
    hatched bar when that sum is itself publishable."""
    table = aggregates["interview_sample_table"]
    n = int(kf["n_interviews"]["value"])
    min_cell = int(kf.get("min_cell", {}).get("value") or 1)
    present = [g for g in contract.RESPONDENT_GROUPS if g in set(_present_groups(aggregates))]
    shown = table[table["total"].notna()]
    totals = {row["country_name"]: int(row["total"]) for _, row in shown.iterrows()}
    flags = shown[POOLED] if POOLED in shown.columns else [False] * len(shown)
    pooled_rows = {
        c for c, flag in zip(shown["country_name"], flags, strict=True) if flag in (True, "True")
    }
    countries = sorted(totals, key=lambda c: (c in pooled_rows, -totals[c], c))
    cells = {
        row["country_name"]: {g: _shown(row[g]) for g in present} for _, row in shown.iterrows()
    }
    pooled = n - sum(totals.values())
    n_pooled = int(table["total"].isna().sum())
    other = f"Countries not shown ({fewer_than(min_cell)} each)"
    fig = go.Figure()
    for group in present:
        values = [cells[c][group] for c in countries] + ([None] if n_pooled else [])
        add_stacked_bar(
            fig,
            [*countries, other][: len(values)],
            values,
            label(group),
            GROUP_COLOURS[group],
            "interviews",
        )
    hidden = [totals[c] - sum(v or 0 for v in cells[c].values()) for c in countries]
    if n_pooled and (pooled >= min_cell):
        hidden.append(pooled)
    if any(hidden):
        add_stacked_bar(
            fig,
            [*countries, other][: len(hidden)],
            [h or None for h in hidden],
            "Group not shown",
            "#BBBBBB",
            "interviews",
        )
        fig.data[-1].marker.pattern = {"shape": "/", "fgcolor": "#555555", "solidity": 0.3}
    height = max(360, 120 + 26 * (len(countries) + 1))
    _stacked_layout(
        fig,
        height,
        xaxis={"title": {"text": "Interviews"}, "dtick": dtick(max([*totals.values(), pooled, 1]))},
        yaxis={"autorange": "reversed", "title": {"text": ""}},
    )
    sizes = {g: kf[f"n_group_{g}"]["value"] for g in present}
    group_parts = [
        f"{label(g)} {fewer_than(min_cell) if sizes[g] is None else int(sizes[g])}" for g in present
    ]
    top = max([totals[c] for c in countries if c not in pooled_rows], default=0)
    most = [c for c in countries if totals[c] == top and c not in pooled_rows]
    n_countries = int(kf.get("n_countries_interviews", {}).get("value") or len(totals))
    alt = (
        f"Stacked bar chart of the {n} interviews by country of the interviewee and respondent "
        f"group. Groups: {style.join_list(group_parts)}. Most interviews were held in "
        f"{style.join_list(most)} ({top}{each(len(most))})"
    )
    alt += f"; interviewees work in {style.plural(n_countries, 'country', 'countries')}."
    caption = "Interviews by country of the interviewee and respondent group."
    if n_pooled or any(hidden) or pooled_rows:
        note = _protection_note(min_cell, n_pooled, pooled >= min_cell, bool(pooled_rows))
        caption += note
        alt += note
    caption = sourced(caption, SOURCE_INTERVIEWS, n)
    title = "Interviews by country and respondent group"
    return FigureSpec("fig-interview-sample", title, caption, alt, fig, n=n, height=height)


def _protection_note(min_cell: int, n_hidden: int, hidden_shown: bool, pooled: bool) -> str:
    """What the hatched parts and the pooled bar of the interview-sample chart stand for."""
    note = (
        f" Small-cell protection: groups of {fewer_than(min_cell)} interviewees in a "
        "country, and a group that would let a reader work one out by subtraction, are "
        "drawn together as the hatched segment"
    )
    if pooled:
        note += (
            f"; the countries of {fewer_than(min_cell)} interviewees each are added up as "
            "Other countries"
        )
    if not n_hidden:
        return note + "."
    where = "are the hatched bar Countries not shown" if hidden_shown else "are not shown"
    return note + f"; {style.plural(n_hidden, 'country', 'countries')} {where}."


def _present_groups(aggregates: Mapping[str, pd.DataFrame]) -> list[str]:
    composition = aggregates["interviews_composition"]
    rows = composition[composition["variable"] == "respondent_group"]
    return [v for v, count in zip(rows["value"], rows["n"], strict=True) if count != 0]


def region_provider(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    cross = aggregates["case_studies_by_region_provider"]
    n = int(kf["n_case_studies"]["value"])
    regions = [r for r in contract.REGIONS if r in set(cross["region"])]
    colours = dict(zip(contract.PROVIDER_TYPES, COLORWAY, strict=False))
    fig = go.Figure()
    for provider in contract.PROVIDER_TYPES:
        rows = cross[cross["provider_type"] == provider].set_index("region")["n"]
        if rows.empty:
            continue
        values = [int(rows.get(r, 0)) for r in regions]
        add_stacked_bar(fig, regions, values, label(provider), colours[provider], "programmes")
    totals = cross.groupby("region")["n"].sum()
    height = max(320, 170 + 48 * len(regions))
    _stacked_layout(
        fig,
        height,
        xaxis={"title": {"text": "Case studies (programmes)"}, "dtick": dtick(totals.max())},
        yaxis={"autorange": "reversed"},
    )
    region_parts = [f"{r} {int(totals.get(r, 0))}" for r in regions]
    providers = aggregates["case_studies_composition"]
    providers = providers[(providers["variable"] == "provider_type") & (providers["n"] > 0)]
    top = leaders(providers.assign(label=providers["label"]), "n")
    alt = (
        f"Stacked bar chart of the {n} case-study programmes by world region and provider "
        f"type. By region: {style.join_list(region_parts)}. The most frequent provider type is "
        f"{style.join_list(list(top['label']))} "
        f"({style.n_of(top['n'].iloc[0], n) if len(top) else '0'} programmes"
        f"{each(len(top))})."
    )
    caption = sourced(
        "Training programmes studied as case studies, by world region and type of provider.",
        SOURCE_CASES,
        n,
    )
    title = "Case-study programmes by region and provider type"
    return FigureSpec(
        "fig-case-studies-region-provider", title, caption, alt, fig, n=n, height=height
    )


def delivery_duration(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    cross = aggregates["case_studies_by_mode_duration"]
    n = int(kf["n_case_studies"]["value"])
    classes = [c for c, _ in contract.DURATION_CLASSES] + [contract.DURATION_UNKNOWN]
    colours = {"online": OKABE_ITO["sky"], "in_person": OKABE_ITO["blue"], "blended": "#E69F00"}
    fig = go.Figure()
    for mode in contract.DELIVERY_MODES:
        rows = cross[cross["delivery_mode"] == mode].set_index("duration_class")["n"]
        values = [int(rows.get(c, 0)) for c in classes]
        add_stacked_bar(
            fig, classes, values, label(mode), colours[mode], "programmes", horizontal=False
        )
    totals = cross.groupby("duration_class")["n"].sum()
    _stacked_layout(
        fig,
        420,
        xaxis={"title": {"text": "Duration of the programme"}, "tickangle": 0},
        yaxis={"title": {"text": "Case studies (programmes)"}, "dtick": dtick(totals.max())},
    )
    caption = sourced(
        "Training programmes by duration class (total hours) and delivery mode.", SOURCE_CASES, n
    )
    alt = _delivery_alt(aggregates["case_studies_composition"], totals, classes, n)
    title = "Case-study programmes by delivery mode and duration"
    return FigureSpec("fig-delivery-duration", title, caption, alt, fig, n=n, height=420)


def _stacked_layout(fig: go.Figure, height: int, xaxis: dict, yaxis: dict) -> None:
    """The sample charts' layout: stacked bars, the legend on top."""
    layout(fig, height, barmode="stack", legend=legend_top(), xaxis=xaxis, yaxis=yaxis)


def _delivery_alt(modes: pd.DataFrame, totals: pd.Series, classes: list[str], n: int) -> str:
    modes = modes[modes["variable"] == "delivery_mode"]
    mode_parts = [
        f"{label(m).lower()} {int(modes.loc[modes['value'] == m, 'n'].sum())}"
        for m in contract.DELIVERY_MODES
    ]
    most = [c for c in classes if len(totals) and totals.get(c, 0) == totals.max()]
    unstated = int(totals.get(contract.DURATION_UNKNOWN, 0))
    alt = (
        f"Stacked bar chart of the {n} case-study programmes by duration class and delivery "
        f"mode. Delivery modes: {style.join_list(mode_parts)}. The most common duration is "
        f"{style.join_list(most)} "
        f"({style.n_of(totals.max() if len(totals) else 0, n)} programmes{each(len(most))}); "
    )
    if unstated == 0:
        return alt + "every programme states its duration."
    verb = "does" if unstated == 1 else "do"
    return alt + f"{style.plural(unstated, 'programme')} {verb} not state a duration."
