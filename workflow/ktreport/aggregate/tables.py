"""Stage 2, aggregation: the tidy tables of ``data/processed/`` → aggregate tables and key figures.

Every aggregate is a small tidy frame written as ``data/processed/aggregates/<name>.csv``;
every number the report's prose uses is a *key figure* (``key_figures.json``) with its
definition, its n and its denominator. The counting rules are in ``counting``; one module
per family of tables (``sample``, ``offer``, ``skills``, ``formats``, ``annex``); the key
figures in ``key_figures``. The processed tables are read once (``load_processed``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ktreport.aggregate import annex, disclosure, formats, offer, sample, skills
from ktreport.aggregate.key_figures import key_figures
from ktreport.aggregate.loading import load_processed
from ktreport.catalog import AGGREGATE_NAMES
from ktreport.core.io import write_aggregates, write_key_figures

# Key columns of each aggregate: rows are sorted by them (deterministic output).
AGGREGATE_KEYS: dict[str, tuple[str, ...]] = {
    "interviews_composition": ("order",),
    "interviews_by_group_country": ("respondent_group", "country"),
    "interviews_by_country": ("country",),
    "interview_sample_table": ("country",),
    "case_studies_composition": ("order",),
    "case_studies_by_country": ("country",),
    "case_studies_by_region_provider": ("region", "provider_type"),
    "case_studies_by_mode_duration": ("delivery_mode", "duration_class"),
    "case_study_list": ("case_id",),
    "training_offer_by_skill": ("skill_id",),
    "training_offer_by_category": ("category",),
    "training_offer_by_cluster": ("category", "cluster"),
    "interview_skills_overall": ("skill_id", "dimension"),
    "interview_skills_by_group": ("respondent_group", "skill_id", "dimension"),
    "interview_skills_by_category": ("dimension", "category"),
    "skill_gap_overall": ("skill_id",),
    "skill_gap_by_group": ("respondent_group", "skill_id"),
    "supply_demand": ("skill_id",),
    "ratings_by_skill": ("skill_id",),
    "formats_overall": ("format",),
    "formats_by_group": ("respondent_group", "format"),
    "quotes": ("interview_id",),
    "codebook": ("skill_id",),
}


def _sorted(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    keys = list(AGGREGATE_KEYS[name])
    return frame.sort_values(keys, kind="mergesort").reset_index(drop=True)


def aggregate_tables(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """All aggregate tables (``AGGREGATE_NAMES``) of the processed ``tables``, rows sorted."""
    tables = dict(tables)
    out: dict[str, pd.DataFrame] = {}
    out.update(sample.interview_sample(tables))
    out.update(sample.case_study_sample(tables))
    out["case_study_list"] = sample.case_study_list(tables)
    out.update(offer.training_offer(tables))
    out.update(skills.evidence(tables))
    out["skill_gap_overall"] = skills.gap(out["interview_skills_overall"], ["skill_id"])
    out["skill_gap_by_group"] = skills.gap(
        out["interview_skills_by_group"], ["respondent_group", "skill_id"]
    )
    out["supply_demand"] = skills.supply_demand(tables, out["training_offer_by_skill"])
    out["ratings_by_skill"] = skills.ratings(tables)
    out.update(formats.formats(tables))
    out["quotes"] = annex.quotes(tables)
    out["codebook"] = annex.codebook(
        tables, out["training_offer_by_skill"], out["interview_skills_overall"]
    )
    assert set(out) == set(AGGREGATE_NAMES), sorted(set(out) ^ set(AGGREGATE_NAMES))
    return {name: _sorted(out[name], name) for name in AGGREGATE_NAMES}


def build_aggregates(processed_dir: Path) -> dict[str, pd.DataFrame]:
    """All aggregate tables of the processed tables in ``processed_dir`` (read here)."""
    return aggregate_tables(load_processed(Path(processed_dir)))


def aggregate_processed(
    processed_dir: Path, out_dir: Path, key_figures_path: Path, min_cell: int = 1
) -> dict:
    """Build, write and return the aggregates and key figures (what the rule and CLI run),
    small cells suppressed (``disclosure``; the workflow passes config ``min_cell``, 1
    suppresses nothing). The key figures are computed before, so rankings see every cell."""
    tables = load_processed(Path(processed_dir))
    aggregates = aggregate_tables(tables)
    figures = key_figures(aggregates, tables)
    if min_cell > 1:
        figures = disclosure.protect_key_figures(figures, min_cell)
        aggregates = disclosure.protect_aggregates(aggregates, min_cell)
    figures["min_cell"] = disclosure.min_cell_figure(min_cell)
    figures = {name: figures[name] for name in sorted(figures)}
    write_aggregates(aggregates, out_dir)
    write_key_figures(figures, key_figures_path)
    return figures
