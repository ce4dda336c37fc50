"""Stage 3, the briefs' figures: a country's (or partner's) most required skills and its
largest skill gaps, each beside the whole sample, in the report's theme.

Built from a brief's slice and the sample's (``aggregate.briefs``), whose key figures are
already protected: a suppressed value is left out of a chart and the caption says so.
Exported like the report's figures, all briefs' in one kaleido session (the checkpoint
``slice_briefs``), each drawn again only when it changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from ktreport.aggregate.disclosure import fewer_than
from ktreport.catalog import BRIEF_FIGURE_IDS
from ktreport.core import style
from ktreport.figures.cache import Exported, keep_only
from ktreport.figures.export import FigureSet, export_figure_sets
from ktreport.figures.markup import plotly_text
from ktreport.figures.spec import SOURCE_INTERVIEWS, FigureSpec, sourced, wrap
from ktreport.figures.theme import OKABE_ITO, layout, legend_top

TOP = 10
SAMPLE_COLOUR = "#9A9A9A"
SAMPLE_NAME = "Whole sample"


def _withheld(figures: Mapping[str, dict], skill_id: str, measure: str) -> bool:
    """A skill's value is withheld when a count it is computed from is: a gap (share
    requiring minus share possessing) would otherwise give a withheld count back by
    subtraction."""
    dimensions = ("required",) if measure == "required" else ("required", "possessed")
    return any(figures.get(f"n_{d}_{skill_id}", {}).get("suppressed") for d in dimensions)


def _value(figures: Mapping[str, dict], skill_id: str, measure: str) -> float | None:
    """The share naming the skill as required, or its gap; None when withheld or undefined."""
    name = f"n_required_{skill_id}" if measure == "required" else f"gap_{skill_id}"
    figure = figures.get(name)
    if not figure or figure.get("suppressed") or figure.get("value") is None:
        return None
    if _withheld(figures, skill_id, measure):
        return None
    if measure != "required":
        return float(figure["value"])
    denominator = figure.get("denominator") or 0
    return float(figure["value"]) / denominator if denominator else None


def skill_rows(unit: Mapping[str, Any], sample: Mapping[str, Any], measure: str) -> list[dict]:
    """Per skill: its label, the unit's and the sample's value of ``measure`` (required:
    share naming it as required; gap: share requiring minus share possessing), None where
    small-cell protection withholds it (``suppressed``: withheld for the unit)."""
    own, whole = unit["key_figures"], sample["key_figures"]
    return [
        {
            "skill_id": skill_id,
            "label": skill["label"],
            "unit": _value(own, skill_id, measure),
            "sample": _value(whole, skill_id, measure),
            "suppressed": _withheld(own, skill_id, measure),
        }
        for skill_id, skill in sorted(sample["skills"].items())
    ]


def top_rows(rows: list[dict], n: int = TOP) -> list[dict]:
    """The ``n`` skills with the unit's highest value (ties by label); suppressed and
    zero values are not ranked."""
    ranked = [r for r in rows if r["unit"] is not None and r["unit"] > 0]
    ranked.sort(key=lambda r: (-r["unit"], r["label"]))
    return ranked[:n]


def _bars(shown: list[dict], unit_name: str, measure: str) -> go.Figure:
    fig = go.Figure()
    labels = [wrap(plotly_text(r["label"]), 28) for r in shown]
    for key, name, colour in (
        ("unit", unit_name, OKABE_ITO["blue"]),
        ("sample", SAMPLE_NAME, SAMPLE_COLOUR),
    ):
        values = [r[key] for r in shown]
        fig.add_bar(
            y=labels,
            x=values,
            orientation="h",
            name=plotly_text(name),
            marker_color=colour,
            text=[_text(v, measure) for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.0%}<extra>%{fullData.name}</extra>",
        )
    return fig


def _text(value: float | None, figure_id: str) -> str:
    """A bar's label: a share in %, a gap in percentage points."""
    if value is None:
        return ""
    if figure_id == "fig-brief-gaps":
        return style.pp(value).split()[0] + " pp"
    return style.pct(value)


def _chart(
    figure_id: str, title: str, shown: list[dict], unit: Mapping[str, Any], axis: str
) -> go.Figure:
    fig = _bars(shown, str(unit["unit"]["name"]), figure_id)
    height = max(240, 100 + 38 * len(shown))
    values = [v for r in shown for v in (r["unit"], r["sample"]) if v is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    # Room beside the bars for their labels ("+86 pp", "−5 pp"): a share of the axis's span,
    # so that a short negative bar's label does not run into the skill's name.
    room = 0.15 * max(high - low, 0.1)
    layout(
        fig,
        height,
        barmode="group",
        legend=legend_top(),
        xaxis={
            "title": {"text": axis},
            "tickformat": ".0%",
            "range": [low - room if low < 0 else 0, high + room if high > 0 else 0.1],
        },
        yaxis={"autorange": "reversed", "tickfont": {"size": 11}},
    )
    return fig


def _suppressed_note(rows: list[dict], min_cell: int) -> str:
    """What the caption says when small-cell protection left values out."""
    if not any(r["suppressed"] for r in rows):
        return ""
    return f" Values counted from {fewer_than(min_cell)} interviewees are withheld and not shown."


def brief_figures(unit: Mapping[str, Any], sample: Mapping[str, Any]) -> list[FigureSpec]:
    """The brief's figures, in ``BRIEF_FIGURE_IDS`` order."""
    name = str(unit["unit"]["name"])
    n = unit["key_figures"]["n_interviews"]["value"]
    n_sample = sample["key_figures"]["n_interviews"]["value"]
    specs = []
    for figure_id, measure, title, axis, what in (
        (
            "fig-brief-required",
            "required",
            f"Skills most often required: {name} and the whole sample",
            "Share of interviewees naming the skill as required",
            "the share of interviewees who say their job requires each skill",
        ),
        (
            "fig-brief-gaps",
            "gap",
            f"Largest skill gaps: {name} and the whole sample",
            "Share requiring minus share possessing",
            "each skill's gap: the share of interviewees who require it minus the share "
            "who say they possess it",
        ),
    ):
        rows = skill_rows(unit, sample, measure)
        shown = top_rows(rows)
        fig = _chart(figure_id, title, shown, unit, axis)
        caption = sourced(
            f"For the {style.plural(len(shown), 'skill')} with the highest values in {name}, "
            f"{what}, in "
            f"{name} (n = {n}) and in the whole sample (n = {n_sample})."
            + _suppressed_note(rows, int(unit["min_cell"])),
            SOURCE_INTERVIEWS,
            n,
        )
        parts = [
            f"{r['label']} {_text(r['unit'], figure_id)} against {_text(r['sample'], figure_id)}"
            for r in shown[:5]
        ]
        alt = f"Bar chart, {name} against the whole sample. " + (
            "Highest: " + "; ".join(parts) + "." if parts else "No skill is named."
        )
        specs.append(
            FigureSpec(
                figure_id,
                title,
                caption,
                alt,
                fig,
                n=n,
                height=int(fig.layout.height),
            )
        )
    assert tuple(s.id for s in specs) == BRIEF_FIGURE_IDS
    return specs


def export_brief_figures(
    briefs: Sequence[str], slices_dir: Path, sample_path: Path, build_dir: Path, cache_dir: Path
) -> Exported:
    """Every brief's figures (``build_dir/<id>/figures/``: SVG, plotly JSON, manifest), in
    one kaleido session for those the cache in ``cache_dir`` lacks. Each file is written
    only when its bytes changed, so a brief's job is stale only when its own figures (or
    its slice, or the sample's numbers it quotes) changed; the cache keeps only the briefs'
    figures that are still drawn."""
    sample = json.loads(Path(sample_path).read_text(encoding="utf-8"))
    sets = [
        FigureSet(
            brief_figures(
                json.loads((Path(slices_dir) / f"{brief}.json").read_text(encoding="utf-8")),
                sample,
            ),
            Path(build_dir) / brief / "figures",
            prefix=f"{brief}-",
        )
        for brief in briefs
    ]
    exported = export_figure_sets(sets, cache_dir)
    drawn = {f"{brief}-{figure_id}" for brief in briefs for figure_id in BRIEF_FIGURE_IDS}
    keep_only(cache_dir, "svg", drawn)
    return exported
