"""Stage 2, aggregation: who was interviewed and which programmes were studied.

The sample-composition tables (one row per variable and value, zero counts included), the
country tables and crosses, and the annex listing of the case studies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from ktreport import contract
from ktreport.aggregate.counting import share, sizes, with_share
from ktreport.contract import label

# How the sample-composition tables name their variables.
CHARACTERISTICS = {
    "respondent_group": "Respondent group",
    "region": "Region",
    "gender": "Gender",
    "provider_type": "Provider type",
    "delivery_mode": "Delivery mode",
    "audience": "Audience",
    "duration_class": "Duration",
    "certification": "Certificate",
    "best_practice": "Best practice",
}


def _composition(
    frame: pd.DataFrame, variables: Mapping[str, Iterable[str]], total: int
) -> pd.DataFrame:
    """One row per variable and value, in reading order (``order``), zero counts included."""
    rows = []
    for variable, values in variables.items():
        counted = frame[variable].value_counts()
        name = variable.removesuffix("_text")
        for value in values:
            n = int(counted.get(value, 0))
            rows.append(
                {
                    "order": len(rows) + 1,
                    "variable": name,
                    "characteristic": CHARACTERISTICS.get(name, name),
                    "value": value,
                    "label": label(value),
                    "n": n,
                    "denominator": total,
                    "share": share(n, total),
                }
            )
    columns = ["order", "variable", "characteristic", "value", "label", "n", "denominator"]
    return pd.DataFrame(rows, columns=[*columns, "share"])


def _certification_text(value: object) -> str:
    if value is pd.NA or value is None:
        return contract.DURATION_UNKNOWN
    return "yes" if bool(value) else "no"


def _yes_no(value: object) -> str:
    return "yes" if value else "no"


def interview_sample(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The composition of the interviews, by country and group (and the annex table)."""
    interviews = tables["interviews"]
    n_interviews = len(interviews)
    interview_vars = {
        "respondent_group": contract.RESPONDENT_GROUPS,
        "region": contract.REGIONS,
        "gender": [*contract.GENDERS, ""],
    }
    composition = _composition(interviews, interview_vars, n_interviews)
    composition.loc[composition["value"] == "", "label"] = "Not stated"

    by_country = sizes(interviews, ["country", "country_name", "region"])
    by_country = with_share(by_country, n_interviews)
    # Country × respondent group, one column per group (all groups, contract order): the
    # annex table of the interview sample.
    wide = by_country[["country", "country_name", "region"]].copy()
    for group in contract.RESPONDENT_GROUPS:
        counted = interviews[interviews["respondent_group"] == group]["country"].value_counts()
        wide[group] = wide["country"].map(counted).fillna(0).astype("int64")
    wide["total"] = by_country["n"].astype("int64")
    return {
        "interviews_composition": composition,
        "interviews_by_group_country": sizes(
            interviews, ["respondent_group", "country", "country_name"]
        ),
        "interviews_by_country": by_country,
        "interview_sample_table": wide,
    }


def case_study_sample(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The composition of the case studies, by country and the two crosses."""
    cases = tables["case_studies"].copy()
    cases["certification_text"] = cases["certification"].map(_certification_text)
    cases["best_practice_text"] = cases["best_practice"].map(_yes_no)
    case_vars = {
        "region": contract.REGIONS,
        "provider_type": contract.PROVIDER_TYPES,
        "delivery_mode": contract.DELIVERY_MODES,
        "audience": contract.AUDIENCES,
        "duration_class": [c for c, _ in contract.DURATION_CLASSES] + [contract.DURATION_UNKNOWN],
        "certification_text": ("yes", "no", contract.DURATION_UNKNOWN),
        "best_practice_text": ("yes", "no"),
    }
    return {
        "case_studies_composition": _composition(cases, case_vars, len(cases)),
        "case_studies_by_country": with_share(
            sizes(cases, ["country", "country_name", "region"]), len(cases)
        ),
        "case_studies_by_region_provider": sizes(cases, ["region", "provider_type"]),
        "case_studies_by_mode_duration": sizes(cases, ["delivery_mode", "duration_class"]),
    }


def case_study_list(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The annex listing: one row per programme, with the skills it trains."""
    cases = tables["case_studies"]
    links = tables["case_study_skills"].merge(
        tables["skills"][["skill_id", "label"]], on="skill_id", how="left"
    )
    links = links.drop_duplicates(["case_id", "skill_id"])
    skill_lists = (
        links.sort_values(["case_id", "label"], kind="mergesort")
        .groupby("case_id")["label"]
        .agg(lambda labels: "; ".join(labels))
    )
    # Every column of the contract's case-study table but the free text (url, notes).
    listed = [c for c in contract.PROCESSED_TABLES["case_studies"] if c not in ("url", "notes")]
    listing = cases[listed].copy()
    listing["certification"] = listing["certification"].map(_certification_text)
    listing["best_practice"] = listing["best_practice"].map(_yes_no)
    listing["n_skills"] = listing["case_id"].map(links.groupby("case_id").size()).fillna(0)
    listing["n_skills"] = listing["n_skills"].astype("int64")
    listing["skills"] = listing["case_id"].map(skill_lists).fillna("")
    return listing
