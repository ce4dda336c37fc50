"""Stage 2, aggregation: the skills interviewees name, the gaps, supply vs demand, ratings.

From the coded interviews: how many interviewees name each skill as required, desirable or
possessed (overall, per respondent group, per category); the gap required − possessed;
demand (required or desirable) against the training offer, in four quadrants; and the
Borich scores of the importance/proficiency ratings.
"""

from __future__ import annotations

import pandas as pd

from ktreport import contract
from ktreport.aggregate.counting import (
    SHARE_DECIMALS,
    distinct_and_rows,
    interview_shares,
    share,
    skill_frame,
)

DEMAND_DIMENSIONS = ("required", "desirable")

QUADRANTS: dict[str, str] = {
    "training_gap": "Training gap: high demand, low supply",
    "well_served": "Well served: high demand, high supply",
    "supply_led": "Supply-led: low demand, high supply",
    "low_priority": "Low priority: low demand, low supply",
}


def evidence(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Interviewees naming each skill per dimension: overall, per group, per category."""
    skills = tables["skills"]
    interviews = tables["interviews"]
    coded = tables["interview_skills"].drop_duplicates(["interview_id", "skill_id", "dimension"])
    coded = coded.merge(
        interviews[["interview_id", "respondent_group"]], on="interview_id", how="inner"
    )
    dimensions = pd.DataFrame({"dimension": contract.SKILL_DIMENSIONS})
    grid = skill_frame(skills).merge(dimensions, how="cross")
    keys = ["skill_id", "dimension"]

    coded_categories = coded.merge(skills[["skill_id", "category"]], on="skill_id", how="inner")
    category_grid = dimensions.merge(
        pd.DataFrame({"category": contract.SKILL_CATEGORIES}), how="cross"
    )
    by_category = distinct_and_rows(
        category_grid, coded_categories, ["dimension", "category"], "interview_id", "n_mentions"
    )
    by_category["denominator"] = len(interviews)
    by_category["share"] = share(by_category["n"], by_category["denominator"])
    all_mentions = by_category.groupby("dimension")["n_mentions"].transform("sum")
    by_category["denominator_mentions"] = all_mentions.astype("int64")
    by_category["share_mentions"] = share(
        by_category["n_mentions"], by_category["denominator_mentions"]
    )
    return {
        "interview_skills_overall": interview_shares(grid, coded, keys, interviews),
        "interview_skills_by_group": interview_shares(grid, coded, keys, interviews, by_group=True),
        "interview_skills_by_category": by_category,
    }


def gap(evidence: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """required − possessed per skill (and group): counts, shares and the gap, rounded once."""
    wide = evidence.pivot_table(
        index=[*keys, "label", "category", "cluster", "denominator"],
        columns="dimension",
        values="n",
        aggfunc="sum",
        fill_value=0,
    ).reset_index()
    wide.columns.name = None
    frame = wide[[*keys, "label", "category", "cluster"]].copy()
    frame["n_required"] = wide["required"].astype("int64")
    frame["n_possessed"] = wide["possessed"].astype("int64")
    frame["denominator"] = wide["denominator"].astype("int64")
    frame["share_required"] = share(frame["n_required"], frame["denominator"])
    frame["share_possessed"] = share(frame["n_possessed"], frame["denominator"])
    frame["gap"] = share(frame["n_required"] - frame["n_possessed"], frame["denominator"])
    return frame


def supply_demand(tables: dict[str, pd.DataFrame], offer: pd.DataFrame) -> pd.DataFrame:
    """Per skill: share of programmes offering it against share of interviewees demanding it."""
    interviews = tables["interviews"]
    coded = tables["interview_skills"]
    demand_rows = coded[coded["dimension"].isin(DEMAND_DIMENSIONS)]
    demand_rows = demand_rows[demand_rows["interview_id"].isin(interviews["interview_id"])]
    n_demand = demand_rows.drop_duplicates(["interview_id", "skill_id"]).groupby("skill_id").size()

    frame = offer[["skill_id", "label", "category", "cluster"]].copy()
    frame["n_offered"] = offer["n"].astype("int64")
    frame["denominator_offered"] = offer["denominator"].astype("int64")
    frame["share_offered"] = offer["share"]
    frame["n_demand"] = frame["skill_id"].map(n_demand).fillna(0).astype("int64")
    frame["denominator_demand"] = len(interviews)
    frame["share_demand"] = share(frame["n_demand"], frame["denominator_demand"])
    # Differences, quadrant lines and quadrants come from the unrounded shares (rounded once).
    raw_offered = frame["n_offered"] / frame["denominator_offered"].where(lambda d: d > 0)
    raw_demand = frame["n_demand"] / frame["denominator_demand"].where(lambda d: d > 0)
    frame["difference"] = (raw_demand - raw_offered).round(SHARE_DECIMALS)
    # Quadrant lines: the mean share over all skills of the taxonomy, on each axis.
    mean_offered, mean_demand = float(raw_offered.mean()), float(raw_demand.mean())
    # A skill exactly at the mean counts as high; the tolerance absorbs the float error of mean().
    high_demand = raw_demand >= mean_demand - 1e-12
    high_supply = raw_offered >= mean_offered - 1e-12
    frame["quadrant"] = "low_priority"
    frame.loc[high_demand & ~high_supply, "quadrant"] = "training_gap"
    frame.loc[high_demand & high_supply, "quadrant"] = "well_served"
    frame.loc[~high_demand & high_supply, "quadrant"] = "supply_led"
    frame["threshold_offered"] = round(mean_offered, SHARE_DECIMALS)
    frame["threshold_demand"] = round(mean_demand, SHARE_DECIMALS)
    return frame


RATING_COLUMNS = [
    "skill_id",
    "label",
    "category",
    "cluster",
    "n",
    "mean_importance",
    "mean_proficiency",
    "mean_discrepancy",
    "mwds",
    "rank",
]


def ratings(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per rated skill: mean importance and proficiency, Borich MWDS and its rank."""
    skills = tables["skills"]
    rated = tables["ratings"]
    rated = rated[rated["interview_id"].isin(tables["interviews"]["interview_id"])]
    rated = rated.drop_duplicates(["interview_id", "skill_id"])
    if rated.empty:
        return pd.DataFrame(columns=RATING_COLUMNS)
    work = rated.assign(
        importance=rated["importance"].astype("float64"),
        proficiency=rated["proficiency"].astype("float64"),
    )
    work["discrepancy"] = work["importance"] - work["proficiency"]
    stats = work.groupby("skill_id").agg(
        n=("interview_id", "size"),
        mean_importance=("importance", "mean"),
        mean_proficiency=("proficiency", "mean"),
        mean_discrepancy=("discrepancy", "mean"),
    )
    # Borich (1980): MWDS = mean over respondents of (I − P) × mean importance of the skill.
    stats["mwds"] = stats["mean_discrepancy"] * stats["mean_importance"]
    frame = skill_frame(skills).merge(stats.reset_index(), on="skill_id", how="inner")
    for column in ("mean_importance", "mean_proficiency", "mean_discrepancy", "mwds"):
        frame[column] = frame[column].round(SHARE_DECIMALS)
    order = frame.sort_values(["mwds", "label"], ascending=[False, True], kind="mergesort")
    frame["rank"] = pd.Series(range(1, len(order) + 1), index=order.index)
    frame["n"] = frame["n"].astype("int64")
    return frame[RATING_COLUMNS]
