"""Stage 3, figures: the stage's entry point, aggregates and key figures → every figure.

``build_figures`` runs one builder per figure, in the order of the report
(``catalog.FIGURE_IDS``); ``make_figures`` (the rule's and the CLI's entry point) reads the
aggregates, builds and exports them (``figures.export``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ktreport.catalog import FIGURE_IDS
from ktreport.figures.borich import borich
from ktreport.figures.cache import Exported
from ktreport.figures.dimensions import skill_dimensions
from ktreport.figures.export import export_figures
from ktreport.figures.formats import formats
from ktreport.figures.gaps import gap_dumbbell
from ktreport.figures.heatmap import group_heatmap
from ktreport.figures.markup import plotly_frames, plotly_values, report_text
from ktreport.figures.offer import training_offer
from ktreport.figures.sample import delivery_duration, interview_sample, region_provider
from ktreport.figures.spec import FigureSpec
from ktreport.figures.supply_demand import supply_demand

if TYPE_CHECKING:  # frames come in from the caller; no pandas import needed here
    import pandas as pd

BUILDERS = {
    "fig-interview-sample": interview_sample,
    "fig-case-studies-region-provider": region_provider,
    "fig-delivery-duration": delivery_duration,
    "fig-training-offer": training_offer,
    "fig-skill-dimensions": skill_dimensions,
    "fig-skills-group-heatmap": group_heatmap,
    "fig-gap-dumbbell": gap_dumbbell,
    "fig-supply-demand": supply_demand,
    "fig-borich": borich,
    "fig-formats": formats,
}


def build_figures(
    aggregates: Mapping[str, pd.DataFrame], key_figures: Mapping[str, dict]
) -> list[FigureSpec]:
    """The report's figures, in the order they appear in it (``FIGURE_IDS``).

    The builders get the text of the data escaped for plotly (``figures.markup``): a label
    holding ``<a href=…>`` is drawn as typed, not as a link; the title, caption and alt
    text, which the report escapes itself, are given back unescaped."""
    frames, figures = plotly_frames(aggregates), plotly_values(dict(key_figures))
    specs = [_for_report(BUILDERS[figure_id](frames, figures)) for figure_id in FIGURE_IDS]
    assert [s.id for s in specs] == list(FIGURE_IDS)
    return specs


def _for_report(spec: FigureSpec) -> FigureSpec:
    return dataclasses.replace(
        spec,
        title=report_text(spec.title),
        caption=report_text(spec.caption),
        alt=report_text(spec.alt),
    )


def make_figures(
    aggregates_dir: Path, key_figures_path: Path, out_dir: Path, cache_dir: Path | None = None
) -> Exported:
    """Read the aggregates and key figures, build and export every figure (rule and CLI);
    the SVGs of unchanged figures come from the figure cache ``cache_dir``."""
    # Imported here to keep pandas (0.5 s) out of importing the figures, which need none
    # of their own; only reading the aggregates does (tests/test_bench.py holds this).
    from ktreport.core.io import read_aggregates, read_key_figures

    specs = build_figures(read_aggregates(aggregates_dir), read_key_figures(key_figures_path))
    return export_figures(specs, out_dir, cache_dir)
