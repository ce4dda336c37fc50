"""Stage 2, aggregation: the training offer — which skills the studied programmes train.

A programme counts once per skill; shares are of all case studies (per skill, category and
cluster) and, for categories and clusters, also of all programme–skill links.
"""

from __future__ import annotations

import pandas as pd

from ktreport.aggregate.counting import distinct_and_rows, share, skill_frame, with_share


def training_offer(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``training_offer_by_skill``, ``…_by_category`` and ``…_by_cluster``."""
    skills = tables["skills"]
    n_cases = len(tables["case_studies"])
    links = tables["case_study_skills"].drop_duplicates(["case_id", "skill_id"])
    links = links.merge(skills[["skill_id", "category", "cluster"]], on="skill_id", how="inner")

    by_skill = skill_frame(skills)
    by_skill["n"] = by_skill["skill_id"].map(links.groupby("skill_id").size()).fillna(0)
    by_skill["n"] = by_skill["n"].astype("int64")
    by_skill = with_share(by_skill, n_cases)

    def per(group_columns: list[str]) -> pd.DataFrame:
        universe = skills[group_columns].drop_duplicates()
        frame = distinct_and_rows(universe, links, group_columns, "case_id", "n_links")
        frame = with_share(frame, n_cases)
        frame["denominator_links"] = len(links)
        frame["share_links"] = share(frame["n_links"], frame["denominator_links"])
        return frame

    return {
        "training_offer_by_skill": by_skill,
        "training_offer_by_category": per(["category"]),
        "training_offer_by_cluster": per(["category", "cluster"]),
    }
