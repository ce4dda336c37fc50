"""Stage 2, aggregation: the tidy tables of ``data/processed/`` → aggregate tables and key figures.

Every aggregate is a small tidy frame written as ``data/processed/aggregates/<name>.csv``;
every number the report's prose uses is a *key figure* (``key_figures.json``) with its
definition, its n and its denominator. Counting rules, applied everywhere:

* a respondent (interview) counts once per skill and dimension, however often the skill
  was coded; a programme counts once per skill;
* a share is ``n / denominator`` rounded once to 4 decimals, and every share travels with
  its ``n`` and ``denominator`` columns;
* denominators are all interviews (of the group) or all case studies, so shares of
  different skills are comparable.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from ktreport import contract
from ktreport.catalog import AGGREGATE_NAMES
from ktreport.contract import label
from ktreport.core.errors import AggregateError
from ktreport.core.io import TEXT_COLUMNS, read_aggregates, read_key_figures  # noqa: F401

SHARE_DECIMALS = 4
FLOAT_FORMAT = "%.4f"


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


QUADRANTS: dict[str, str] = {
    "training_gap": "Training gap: high demand, low supply",
    "well_served": "Well served: high demand, high supply",
    "supply_led": "Supply-led: low demand, high supply",
    "low_priority": "Low priority: low demand, low supply",
}

DEMAND_DIMENSIONS = ("required", "desirable")
# English month names, independent of the machine's locale (strftime's %B is not).
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_TRUE = frozenset({"true", "yes", "y", "1", "x"})
_FALSE = frozenset({"false", "no", "n", "0"})


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


# --------------------------------------------------------------------------- loading


def _read_table(processed_dir: Path, name: str) -> pd.DataFrame:
    path = processed_dir / f"{name}.csv"
    columns = contract.PROCESSED_TABLES[name]
    if not path.exists():
        if name == "ratings":  # optional partner table: no file means no ratings
            return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
        raise AggregateError(
            f"{path}: the processed table '{name}' is missing — run the cleaning step "
            "first (snakemake builds it from data/raw/)."
        )
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise AggregateError(f"{path}: cannot be read as UTF-8 CSV ({error}).") from error
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AggregateError(
            f"{path}: column(s) {', '.join(missing)} missing; the processed tables must "
            "have the columns of contract.PROCESSED_TABLES — rebuild them with the cleaning step."
        )
    return frame[list(columns)]


def _to_bool(values: pd.Series, path: str, column: str) -> pd.Series:
    """true/false (any case, also yes/no, 1/0) → True/False; blank → missing."""

    def convert(text: str) -> bool | None:
        folded = text.strip().lower()
        if folded == "":
            return None
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        raise AggregateError(f"{path}: column {column} holds {text!r}, expected true or false.")

    return pd.Series([convert(v) for v in values], index=values.index, dtype="boolean")


def _to_number(values: pd.Series, path: str, column: str, integer: bool) -> pd.Series:
    numbers = pd.to_numeric(values.str.strip().replace("", None), errors="coerce")
    bad = values[numbers.isna() & (values.str.strip() != "")]
    if not bad.empty:
        raise AggregateError(f"{path}: column {column} holds {bad.iloc[0]!r}, expected a number.")
    return numbers.astype("Int64") if integer else numbers.astype("float64")


def load_processed(processed_dir: Path) -> dict[str, pd.DataFrame]:
    """The tidy tables of ``processed_dir``, typed (booleans, numbers), personal data absent."""
    processed_dir = Path(processed_dir)
    tables = {name: _read_table(processed_dir, name) for name in contract.PROCESSED_TABLES}

    def where(name: str) -> str:
        return str(processed_dir / f"{name}.csv")

    cases = tables["case_studies"]
    cases["duration_hours"] = _to_number(
        cases["duration_hours"], where("case_studies"), "duration_hours", integer=False
    )
    for column in ("certification", "best_practice"):
        cases[column] = _to_bool(cases[column], where("case_studies"), column)
    cases["best_practice"] = cases["best_practice"].fillna(False)

    interviews = tables["interviews"]
    interviews["years_experience"] = _to_number(
        interviews["years_experience"], where("interviews"), "years_experience", integer=True
    )
    for column in ("has_quote", "consent_to_quote"):
        interviews[column] = _to_bool(interviews[column], where("interviews"), column).fillna(False)

    ratings = tables["ratings"]
    for column in ("importance", "proficiency"):
        ratings[column] = _to_number(ratings[column], where("ratings"), column, integer=True)
    return tables


# --------------------------------------------------------------------------- helpers


def _share(n: pd.Series | int, denominator: pd.Series | int) -> pd.Series | float:
    """n / denominator rounded once to 4 decimals (missing when the denominator is 0)."""
    if isinstance(n, pd.Series) or isinstance(denominator, pd.Series):
        n_series = pd.Series(n, dtype="float64") if not isinstance(n, pd.Series) else n
        result = n_series.astype("float64") / pd.Series(denominator).astype("float64").where(
            lambda d: d > 0
        )
        return result.round(SHARE_DECIMALS)
    return round(n / denominator, SHARE_DECIMALS) if denominator else math.nan


def _present_groups(interviews: pd.DataFrame) -> list[str]:
    """Respondent groups with at least one interview, in contract order."""
    present = set(interviews["respondent_group"])
    return [g for g in contract.RESPONDENT_GROUPS if g in present]


def _sorted(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    keys = list(AGGREGATE_KEYS[name])
    return frame.sort_values(keys, kind="mergesort").reset_index(drop=True)


def _skill_frame(skills: pd.DataFrame) -> pd.DataFrame:
    return skills[["skill_id", "label", "category", "cluster"]].copy()


def _counts(frame: pd.DataFrame, by: list[str], unique: str) -> pd.DataFrame:
    """Number of distinct ``unique`` values per ``by`` combination, as column ``n``."""
    if frame.empty:
        return pd.DataFrame({**{c: pd.Series(dtype="str") for c in by}, "n": []})
    counted = frame.drop_duplicates([*by, unique]).groupby(by, as_index=False).size()
    return counted.rename(columns={"size": "n"})


def _composition(
    frame: pd.DataFrame, variables: Mapping[str, Iterable[str]], total: int
) -> pd.DataFrame:
    """One row per variable and value, in reading order (``order``), zero counts included."""
    rows = []
    for variable, values in variables.items():
        counts = frame[variable].value_counts()
        name = variable.removesuffix("_text")
        for value in values:
            n = int(counts.get(value, 0))
            rows.append(
                {
                    "order": len(rows) + 1,
                    "variable": name,
                    "characteristic": CHARACTERISTICS.get(name, name),
                    "value": value,
                    "label": label(value),
                    "n": n,
                    "denominator": total,
                    "share": _share(n, total),
                }
            )
    columns = ["order", "variable", "characteristic", "value", "label", "n", "denominator"]
    return pd.DataFrame(rows, columns=[*columns, "share"])


def _certification_text(value: object) -> str:
    if value is pd.NA or value is None:
        return contract.DURATION_UNKNOWN
    return "yes" if bool(value) else "no"


# --------------------------------------------------------------------------- aggregates


def _sample_composition(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    interviews = tables["interviews"]
    cases = tables["case_studies"].copy()
    n_interviews, n_cases = len(interviews), len(cases)
    out: dict[str, pd.DataFrame] = {}

    interview_vars = {
        "respondent_group": contract.RESPONDENT_GROUPS,
        "region": contract.REGIONS,
        "gender": [*contract.GENDERS, ""],
    }
    composition = _composition(interviews, interview_vars, n_interviews)
    composition.loc[composition["value"] == "", "label"] = "Not stated"
    out["interviews_composition"] = composition

    by_group_country = (
        interviews.groupby(["respondent_group", "country", "country_name"], as_index=False)
        .size()
        .rename(columns={"size": "n"})
    )
    out["interviews_by_group_country"] = by_group_country
    by_country = (
        interviews.groupby(["country", "country_name", "region"], as_index=False)
        .size()
        .rename(columns={"size": "n"})
    )
    by_country["denominator"] = n_interviews
    by_country["share"] = _share(by_country["n"], by_country["denominator"])
    out["interviews_by_country"] = by_country
    # Country × respondent group, one column per group (all groups, contract order): the
    # annex table of the interview sample.
    wide = by_country[["country", "country_name", "region"]].copy()
    for group in contract.RESPONDENT_GROUPS:
        counts = interviews[interviews["respondent_group"] == group]["country"].value_counts()
        wide[group] = wide["country"].map(counts).fillna(0).astype("int64")
    wide["total"] = by_country["n"].astype("int64")
    out["interview_sample_table"] = wide

    cases["certification_text"] = cases["certification"].map(_certification_text)
    cases["best_practice_text"] = cases["best_practice"].map(lambda v: "yes" if v else "no")
    case_vars = {
        "region": contract.REGIONS,
        "provider_type": contract.PROVIDER_TYPES,
        "delivery_mode": contract.DELIVERY_MODES,
        "audience": contract.AUDIENCES,
        "duration_class": [c for c, _ in contract.DURATION_CLASSES] + [contract.DURATION_UNKNOWN],
        "certification_text": ("yes", "no", contract.DURATION_UNKNOWN),
        "best_practice_text": ("yes", "no"),
    }
    composition = _composition(cases, case_vars, n_cases)
    out["case_studies_composition"] = composition

    by_country = (
        cases.groupby(["country", "country_name", "region"], as_index=False)
        .size()
        .rename(columns={"size": "n"})
    )
    by_country["denominator"] = n_cases
    by_country["share"] = _share(by_country["n"], by_country["denominator"])
    out["case_studies_by_country"] = by_country
    out["case_studies_by_region_provider"] = (
        cases.groupby(["region", "provider_type"], as_index=False)
        .size()
        .rename(columns={"size": "n"})
    )
    out["case_studies_by_mode_duration"] = (
        cases.groupby(["delivery_mode", "duration_class"], as_index=False)
        .size()
        .rename(columns={"size": "n"})
    )
    return out


def _case_study_list(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
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
    listing["best_practice"] = listing["best_practice"].map(lambda v: "yes" if v else "no")
    listing["n_skills"] = listing["case_id"].map(links.groupby("case_id").size()).fillna(0)
    listing["n_skills"] = listing["n_skills"].astype("int64")
    listing["skills"] = listing["case_id"].map(skill_lists).fillna("")
    return listing


def _training_offer(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    skills = tables["skills"]
    n_cases = len(tables["case_studies"])
    links = tables["case_study_skills"].drop_duplicates(["case_id", "skill_id"])
    links = links.merge(skills[["skill_id", "category", "cluster"]], on="skill_id", how="inner")

    by_skill = _skill_frame(skills)
    by_skill["n"] = by_skill["skill_id"].map(links.groupby("skill_id").size()).fillna(0)
    by_skill["n"] = by_skill["n"].astype("int64")
    by_skill["denominator"] = n_cases
    by_skill["share"] = _share(by_skill["n"], by_skill["denominator"])

    def per(group_columns: list[str]) -> pd.DataFrame:
        universe = skills[group_columns].drop_duplicates()
        programmes = _counts(links, group_columns, "case_id")
        mentions = links.groupby(group_columns, as_index=False).size()
        mentions = mentions.rename(columns={"size": "n_links"})
        frame = universe.merge(programmes, on=group_columns, how="left")
        frame = frame.merge(mentions, on=group_columns, how="left")
        frame[["n", "n_links"]] = frame[["n", "n_links"]].fillna(0).astype("int64")
        frame["denominator"] = n_cases
        frame["share"] = _share(frame["n"], frame["denominator"])
        frame["denominator_links"] = len(links)
        frame["share_links"] = _share(frame["n_links"], frame["denominator_links"])
        return frame

    return {
        "training_offer_by_skill": by_skill,
        "training_offer_by_category": per(["category"]),
        "training_offer_by_cluster": per(["category", "cluster"]),
    }


def _evidence(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    skills = tables["skills"]
    interviews = tables["interviews"]
    coded = tables["interview_skills"].drop_duplicates(["interview_id", "skill_id", "dimension"])
    coded = coded.merge(
        interviews[["interview_id", "respondent_group"]], on="interview_id", how="inner"
    )
    grid = _skill_frame(skills).merge(
        pd.DataFrame({"dimension": contract.SKILL_DIMENSIONS}), how="cross"
    )

    overall = grid.merge(
        _counts(coded, ["skill_id", "dimension"], "interview_id"),
        on=["skill_id", "dimension"],
        how="left",
    )
    overall["n"] = overall["n"].fillna(0).astype("int64")
    overall["denominator"] = len(interviews)
    overall["share"] = _share(overall["n"], overall["denominator"])

    groups = _present_groups(interviews)
    group_sizes = interviews["respondent_group"].value_counts()
    by_group = pd.DataFrame({"respondent_group": groups}).merge(grid, how="cross")
    by_group = by_group.merge(
        _counts(coded, ["respondent_group", "skill_id", "dimension"], "interview_id"),
        on=["respondent_group", "skill_id", "dimension"],
        how="left",
    )
    by_group["n"] = by_group["n"].fillna(0).astype("int64")
    by_group["denominator"] = by_group["respondent_group"].map(group_sizes).astype("int64")
    by_group["share"] = _share(by_group["n"], by_group["denominator"])

    coded_categories = coded.merge(skills[["skill_id", "category"]], on="skill_id", how="inner")
    category_grid = pd.DataFrame({"dimension": contract.SKILL_DIMENSIONS}).merge(
        pd.DataFrame({"category": contract.SKILL_CATEGORIES}), how="cross"
    )
    by_category = category_grid.merge(
        _counts(coded_categories, ["dimension", "category"], "interview_id"),
        on=["dimension", "category"],
        how="left",
    )
    mentions = coded_categories.groupby(["dimension", "category"], as_index=False).size()
    by_category = by_category.merge(
        mentions.rename(columns={"size": "n_mentions"}), on=["dimension", "category"], how="left"
    )
    by_category[["n", "n_mentions"]] = by_category[["n", "n_mentions"]].fillna(0).astype("int64")
    by_category["denominator"] = len(interviews)
    by_category["share"] = _share(by_category["n"], by_category["denominator"])
    all_mentions = by_category.groupby("dimension")["n_mentions"].transform("sum")
    by_category["denominator_mentions"] = all_mentions.astype("int64")
    by_category["share_mentions"] = _share(
        by_category["n_mentions"], by_category["denominator_mentions"]
    )
    return {
        "interview_skills_overall": overall,
        "interview_skills_by_group": by_group,
        "interview_skills_by_category": by_category,
    }


def _gap(evidence: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
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
    frame["share_required"] = _share(frame["n_required"], frame["denominator"])
    frame["share_possessed"] = _share(frame["n_possessed"], frame["denominator"])
    frame["gap"] = _share(frame["n_required"] - frame["n_possessed"], frame["denominator"])
    return frame


def _supply_demand(
    tables: dict[str, pd.DataFrame], offer: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, float]]:
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
    frame["share_demand"] = _share(frame["n_demand"], frame["denominator_demand"])
    # Differences, quadrant lines and quadrants come from the unrounded shares (rounded once).
    raw_offered = frame["n_offered"] / frame["denominator_offered"].where(lambda d: d > 0)
    raw_demand = frame["n_demand"] / frame["denominator_demand"].where(lambda d: d > 0)
    frame["difference"] = (raw_demand - raw_offered).round(SHARE_DECIMALS)
    # Quadrant lines: the mean share over all skills of the taxonomy, on each axis.
    mean_offered, mean_demand = float(raw_offered.mean()), float(raw_demand.mean())
    thresholds = {
        "offered": round(mean_offered, SHARE_DECIMALS),
        "demand": round(mean_demand, SHARE_DECIMALS),
    }
    # A skill exactly at the mean counts as high; the tolerance absorbs the float error of mean().
    high_demand = raw_demand >= mean_demand - 1e-12
    high_supply = raw_offered >= mean_offered - 1e-12
    frame["quadrant"] = "low_priority"
    frame.loc[high_demand & ~high_supply, "quadrant"] = "training_gap"
    frame.loc[high_demand & high_supply, "quadrant"] = "well_served"
    frame.loc[~high_demand & high_supply, "quadrant"] = "supply_led"
    frame["threshold_offered"] = thresholds["offered"]
    frame["threshold_demand"] = thresholds["demand"]
    return frame, thresholds


def _ratings(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    skills = tables["skills"]
    ratings = tables["ratings"]
    ratings = ratings[ratings["interview_id"].isin(tables["interviews"]["interview_id"])]
    ratings = ratings.drop_duplicates(["interview_id", "skill_id"])
    columns = [
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
    if ratings.empty:
        return pd.DataFrame(columns=columns)
    work = ratings.assign(
        importance=ratings["importance"].astype("float64"),
        proficiency=ratings["proficiency"].astype("float64"),
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
    frame = _skill_frame(skills).merge(stats.reset_index(), on="skill_id", how="inner")
    for column in ("mean_importance", "mean_proficiency", "mean_discrepancy", "mwds"):
        frame[column] = frame[column].round(SHARE_DECIMALS)
    order = frame.sort_values(["mwds", "label"], ascending=[False, True], kind="mergesort")
    frame["rank"] = pd.Series(range(1, len(order) + 1), index=order.index)
    frame["n"] = frame["n"].astype("int64")
    return frame[columns]


def _formats(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    interviews = tables["interviews"]
    chosen = tables["preferred_formats"].drop_duplicates(["interview_id", "format"])
    chosen = chosen.merge(
        interviews[["interview_id", "respondent_group"]], on="interview_id", how="inner"
    )
    universe = pd.DataFrame({"format": contract.TRAINING_FORMATS})
    overall = universe.merge(_counts(chosen, ["format"], "interview_id"), on="format", how="left")
    overall["label"] = overall["format"].map(label)
    overall["n"] = overall["n"].fillna(0).astype("int64")
    overall["denominator"] = len(interviews)
    overall["share"] = _share(overall["n"], overall["denominator"])

    groups = _present_groups(interviews)
    sizes = interviews["respondent_group"].value_counts()
    by_group = pd.DataFrame({"respondent_group": groups}).merge(universe, how="cross")
    by_group = by_group.merge(
        _counts(chosen, ["respondent_group", "format"], "interview_id"),
        on=["respondent_group", "format"],
        how="left",
    )
    by_group["label"] = by_group["format"].map(label)
    by_group["n"] = by_group["n"].fillna(0).astype("int64")
    by_group["denominator"] = by_group["respondent_group"].map(sizes).astype("int64")
    by_group["share"] = _share(by_group["n"], by_group["denominator"])
    return {
        "formats_overall": overall[["format", "label", "n", "denominator", "share"]],
        "formats_by_group": by_group[
            ["respondent_group", "format", "label", "n", "denominator", "share"]
        ],
    }


def _quotes(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Quotes of interviewees who consented; the consent is checked again here on purpose."""
    interviews = tables["interviews"]
    consented = interviews.loc[interviews["consent_to_quote"].astype(bool), "interview_id"]
    quotes = tables["quotes"]
    quotes = quotes[quotes["interview_id"].isin(consented) & (quotes["quote"].str.strip() != "")]
    quotes = quotes.merge(interviews[["interview_id", "country_name"]], on="interview_id")
    return quotes[["interview_id", "respondent_group", "country", "country_name", "quote"]]


def _codebook(
    tables: dict[str, pd.DataFrame], offer: pd.DataFrame, overall: pd.DataFrame
) -> pd.DataFrame:
    frame = tables["skills"][["skill_id", "label", "category", "cluster", "framework"]].copy()
    frame["n_offered"] = frame["skill_id"].map(offer.set_index("skill_id")["n"]).astype("int64")
    for dimension in contract.SKILL_DIMENSIONS:
        counts = overall[overall["dimension"] == dimension].set_index("skill_id")["n"]
        frame[f"n_{dimension}"] = frame["skill_id"].map(counts).fillna(0).astype("int64")
    return frame


def build_aggregates(processed_dir: Path) -> dict[str, pd.DataFrame]:
    """All aggregate tables (``AGGREGATE_NAMES``) of the processed tables in ``processed_dir``."""
    tables = load_processed(Path(processed_dir))
    out: dict[str, pd.DataFrame] = {}
    out.update(_sample_composition(tables))
    out["case_study_list"] = _case_study_list(tables)
    out.update(_training_offer(tables))
    out.update(_evidence(tables))
    out["skill_gap_overall"] = _gap(out["interview_skills_overall"], ["skill_id"])
    out["skill_gap_by_group"] = _gap(
        out["interview_skills_by_group"], ["respondent_group", "skill_id"]
    )
    out["supply_demand"], _ = _supply_demand(tables, out["training_offer_by_skill"])
    out["ratings_by_skill"] = _ratings(tables)
    out.update(_formats(tables))
    out["quotes"] = _quotes(tables)
    out["codebook"] = _codebook(
        tables, out["training_offer_by_skill"], out["interview_skills_overall"]
    )
    assert set(out) == set(AGGREGATE_NAMES), sorted(set(out) ^ set(AGGREGATE_NAMES))
    return {name: _sorted(out[name], name) for name in AGGREGATE_NAMES}


# --------------------------------------------------------------------------- key figures


def _figure(
    value: int | float | str,
    definition: str,
    unit: str,
    n: int | None = None,
    denominator: int | None = None,
) -> dict:
    if isinstance(value, float) and math.isnan(value):
        value = None  # undefined (denominator 0): JSON has no NaN
    elif isinstance(value, float) and unit != "label":
        value = round(value, SHARE_DECIMALS)
    elif unit == "count":
        value = int(value)
    return {
        "value": value,
        "definition": definition,
        "n": None if n is None else int(n),
        "denominator": None if denominator is None else int(denominator),
        "unit": unit,
    }


def _ranked(frame: pd.DataFrame, by: str, ascending: bool = False) -> pd.DataFrame:
    """Rows ordered by ``by`` (ties broken alphabetically by label)."""
    return frame.sort_values([by, "label"], ascending=[ascending, True], kind="mergesort")


ORDINALS = ("top", "second", "third")


def _add_top(
    figures: dict[str, dict],
    prefix: str,
    frame: pd.DataFrame,
    what: str,
    n_column: str = "n",
    share_column: str = "share",
    denominator_column: str = "denominator",
) -> None:
    """``top_<prefix>_skill``, ``second_…``, ``third_…`` (label, with n and denominator)."""
    ranked = _ranked(frame[frame[n_column] > 0], n_column)
    for ordinal, (_, row) in zip(ORDINALS, ranked.head(len(ORDINALS)).iterrows(), strict=False):
        name = f"{ordinal}_{prefix}_skill"
        rank_text = "most" if ordinal == "top" else f"{ordinal} most"
        definition = f"The {rank_text} {what} (ties broken alphabetically by label)."
        figures[name] = _figure(
            str(row["label"]), definition, "label", row[n_column], row[denominator_column]
        )
        figures[f"{name}_id"] = _figure(
            str(row["skill_id"]), f"Skill id of {name}.", "label", None, None
        )
        figures[f"{name}_share"] = _figure(
            float(row[share_column]),
            f"Share of {name}: n / denominator.",
            "share",
            row[n_column],
            row[denominator_column],
        )


def key_figures(aggregates: Mapping[str, pd.DataFrame], processed_dir: Path) -> dict[str, dict]:
    """Every number the prose uses, by name, with definition, n, denominator and unit."""
    tables = load_processed(Path(processed_dir))
    interviews, cases, skills = tables["interviews"], tables["case_studies"], tables["skills"]
    n_interviews, n_cases = len(interviews), len(cases)
    kf: dict[str, dict] = {}

    # Sample.
    kf["n_interviews"] = _figure(n_interviews, "Interviews in the sample.", "count")
    kf["n_case_studies"] = _figure(n_cases, "Training programmes studied as cases.", "count")
    kf["n_partners"] = _figure(
        len(tables["partners"]), "Consortium partners that contribute data.", "count"
    )
    contributing = set(interviews["partner_id"]) | set(cases["partner_id"])
    kf["n_partners_contributing"] = _figure(
        len(contributing), "Partners with at least one interview or case study.", "count"
    )
    kf["n_countries_interviews"] = _figure(
        interviews["country"].nunique(), "Countries where interviewees work.", "count"
    )
    kf["n_countries_case_studies"] = _figure(
        cases["country"].nunique(), "Countries where the studied programmes are based.", "count"
    )
    kf["n_regions_case_studies"] = _figure(
        cases["region"].nunique(), "World regions of the studied programmes.", "count"
    )
    kf["n_skills_taxonomy"] = _figure(len(skills), "Skills in the taxonomy (codebook).", "count")
    for category in contract.SKILL_CATEGORIES:
        kf[f"n_{category}_skills_taxonomy"] = _figure(
            int((skills["category"] == category).sum()),
            f"{category.capitalize()} skills in the taxonomy.",
            "count",
        )
    kf["share_soft_skills_taxonomy"] = _figure(
        _share(int((skills["category"] == "soft").sum()), len(skills)),
        "Share of soft skills among the skills of the taxonomy.",
        "share",
        int((skills["category"] == "soft").sum()),
        len(skills),
    )
    kf["n_clusters_taxonomy"] = _figure(
        skills["cluster"].nunique(), "Skill clusters in the taxonomy.", "count"
    )

    composition = aggregates["interviews_composition"]
    for _, row in composition.iterrows():
        if row["variable"] == "respondent_group":
            stem, what = f"group_{row['value']}", f"interviewees in the group {row['label']}"
        elif row["variable"] == "region":
            stem, what = (
                f"interviews_region_{row['value'].lower()}",
                f"interviews in {row['label']}",
            )
        elif row["variable"] == "gender" and row["value"]:
            stem, what = f"gender_{row['value']}", f"interviewees of gender {row['label']}"
        else:
            stem, what = "gender_not_stated", "interviewees whose gender is not stated"
        kf[f"n_{stem}"] = _figure(row["n"], f"Number of {what}.", "count")
        kf[f"share_{stem}"] = _figure(
            float(row["share"]),
            f"Share of {what} among all interviews.",
            "share",
            row["n"],
            row["denominator"],
        )
    dates = pd.to_datetime(interviews["interview_date"], errors="coerce").dropna()
    if not dates.empty:
        for name, when in (("start", dates.min()), ("end", dates.max())):
            kf[f"interview_period_{name}"] = _figure(
                f"{MONTHS[when.month - 1]} {when.year}",
                f"Month of the {'first' if name == 'start' else 'last'} interview.",
                "label",
                len(dates),
                n_interviews,
            )
    kf["n_respondent_groups"] = _figure(
        len(_present_groups(interviews)), "Respondent groups with at least one interview.", "count"
    )
    years = interviews["years_experience"].dropna()
    if not years.empty:
        kf["median_years_experience"] = _figure(
            float(years.median()),
            "Median years of KT experience of interviewees who stated it.",
            "score",
            len(years),
            n_interviews,
        )
    kf["n_quotes_consented"] = _figure(
        len(aggregates["quotes"]),
        "Interviewees who gave a quote and consented to be quoted anonymously.",
        "count",
        len(aggregates["quotes"]),
        n_interviews,
    )

    case_composition = aggregates["case_studies_composition"]
    slug = {c: f"duration_{i + 1}" for i, (c, _) in enumerate(contract.DURATION_CLASSES)}
    slug[contract.DURATION_UNKNOWN] = "duration_not_stated"
    for _, row in case_composition.iterrows():
        variable, value = row["variable"], row["value"]
        if variable == "duration_class":
            stem = f"case_studies_{slug[value]}"
        elif variable in ("certification", "best_practice"):
            stem = f"case_studies_{variable}_{value.replace(' ', '_')}"
        else:
            stem = f"case_studies_{variable}_{value.lower()}"
        what = f"case studies with {variable.replace('_', ' ')} '{row['label']}'"
        kf[f"n_{stem}"] = _figure(row["n"], f"Number of {what}.", "count")
        kf[f"share_{stem}"] = _figure(
            float(row["share"]),
            f"Share of {what} among all case studies.",
            "share",
            row["n"],
            row["denominator"],
        )
    kf["n_best_practices"] = _figure(
        int(cases["best_practice"].sum()), "Case studies selected as best practices.", "count"
    )
    hours = cases["duration_hours"].dropna()
    if not hours.empty:
        kf["median_duration_hours"] = _figure(
            float(hours.median()),
            "Median duration in hours of the programmes that state one.",
            "score",
            len(hours),
            n_cases,
        )
    n_links = len(tables["case_study_skills"].drop_duplicates(["case_id", "skill_id"]))
    kf["mean_skills_per_programme"] = _figure(
        n_links / n_cases if n_cases else 0.0,
        "Mean number of taxonomy skills a programme trains.",
        "score",
        n_links,
        n_cases,
    )

    # Training offer.
    offer = aggregates["training_offer_by_skill"]
    for _, row in offer.iterrows():
        kf[f"n_offered_{row['skill_id']}"] = _figure(
            row["n"], f"Programmes that train {row['label']}.", "count", row["n"], n_cases
        )
        kf[f"share_offered_{row['skill_id']}"] = _figure(
            float(row["share"]),
            f"Share of programmes that train {row['label']}.",
            "share",
            row["n"],
            row["denominator"],
        )
    _add_top(kf, "offered", offer, "trained skill among programmes")
    kf["n_skills_not_offered"] = _figure(
        int((offer["n"] == 0).sum()), "Taxonomy skills that no studied programme trains.", "count"
    )
    for _, row in aggregates["training_offer_by_category"].iterrows():
        category = row["category"]
        kf[f"share_programmes_{category}"] = _figure(
            float(row["share"]),
            f"Share of programmes that train at least one {category} skill.",
            "share",
            row["n"],
            row["denominator"],
        )
        kf[f"n_programmes_{category}"] = _figure(
            row["n"], f"Programmes that train at least one {category} skill.", "count"
        )
        kf[f"share_offer_links_{category}"] = _figure(
            float(row["share_links"]),
            f"{category.capitalize()} skills' share of all programme–skill links.",
            "share",
            row["n_links"],
            row["denominator_links"],
        )
    clusters = aggregates["training_offer_by_cluster"]
    if not clusters.empty:
        top = clusters.sort_values(["n", "cluster"], ascending=[False, True], kind="mergesort")
        row = top.iloc[0]
        kf["top_offered_cluster"] = _figure(
            str(row["cluster"]),
            "The skill cluster trained by most programmes (ties alphabetical).",
            "label",
            row["n"],
            row["denominator"],
        )

    # Interview evidence.
    overall = aggregates["interview_skills_overall"]
    for dimension in contract.SKILL_DIMENSIONS:
        rows = overall[overall["dimension"] == dimension]
        for _, row in rows.iterrows():
            kf[f"n_{dimension}_{row['skill_id']}"] = _figure(
                row["n"],
                f"Interviewees naming {row['label']} as {dimension}.",
                "count",
                row["n"],
                row["denominator"],
            )
            kf[f"share_{dimension}_{row['skill_id']}"] = _figure(
                float(row["share"]),
                f"Share of interviewees naming {row['label']} as {dimension}.",
                "share",
                row["n"],
                row["denominator"],
            )
        _add_top(kf, dimension, rows, f"{dimension} skill named by interviewees")
    by_group = aggregates["interview_skills_by_group"]
    for group in _present_groups(interviews):
        for dimension in contract.SKILL_DIMENSIONS:
            rows = by_group[
                (by_group["respondent_group"] == group) & (by_group["dimension"] == dimension)
            ]
            _add_top(
                kf,
                f"{dimension}_{group}",
                rows,
                f"{dimension} skill named by {label(group)}",
            )
    for _, row in aggregates["interview_skills_by_category"].iterrows():
        dimension, category = row["dimension"], row["category"]
        kf[f"share_{dimension}_any_{category}"] = _figure(
            float(row["share"]),
            f"Share of interviewees naming at least one {category} skill as {dimension}.",
            "share",
            row["n"],
            row["denominator"],
        )
        kf[f"share_{dimension}_mentions_{category}"] = _figure(
            float(row["share_mentions"]),
            f"{category.capitalize()} skills' share of all skills named as {dimension}.",
            "share",
            row["n_mentions"],
            row["denominator_mentions"],
        )

    # The gap: required − possessed.
    gap = aggregates["skill_gap_overall"]
    for _, row in gap.iterrows():
        kf[f"gap_{row['skill_id']}"] = _figure(
            float(row["gap"]),
            f"Share requiring {row['label']} minus share possessing it (all interviewees).",
            "share",
            None,
            row["denominator"],
        )

    def add_gap_max(frame: pd.DataFrame, suffix: str, who: str) -> None:
        if frame.empty or frame["denominator"].max() == 0:
            return
        row = _ranked(frame, "gap").iloc[0]
        definition = (
            f"The skill with the largest gap between the share of {who} who say the job "
            "requires it and the share who say they possess it."
        )
        kf[f"gap_max_skill{suffix}"] = _figure(
            str(row["label"]), definition, "label", None, row["denominator"]
        )
        kf[f"gap_max_skill_id{suffix}"] = _figure(
            str(row["skill_id"]), f"Skill id of gap_max_skill{suffix}.", "label"
        )
        kf[f"gap_max_value{suffix}"] = _figure(
            float(row["gap"]),
            f"Size of that gap: (n required − n possessed) / {who}.",
            "share",
            None,
            row["denominator"],
        )
        kf[f"gap_max_n_required{suffix}"] = _figure(
            row["n_required"],
            f"{who[:1].upper()}{who[1:]} requiring gap_max_skill{suffix}.",
            "count",
            row["n_required"],
            row["denominator"],
        )
        kf[f"gap_max_n_possessed{suffix}"] = _figure(
            row["n_possessed"],
            f"{who[:1].upper()}{who[1:]} possessing gap_max_skill{suffix}.",
            "count",
            row["n_possessed"],
            row["denominator"],
        )

    add_gap_max(gap, "", "interviewees")
    kf["n_skills_positive_gap"] = _figure(
        int((gap["gap"] > 0).sum()),
        "Skills that more interviewees require than possess.",
        "count",
    )
    group_gap = aggregates["skill_gap_by_group"]
    for group in _present_groups(interviews):
        add_gap_max(group_gap[group_gap["respondent_group"] == group], f"_{group}", label(group))

    # Supply vs demand.
    supply = aggregates["supply_demand"]
    for _, row in supply.iterrows():
        kf[f"n_demand_{row['skill_id']}"] = _figure(
            row["n_demand"],
            f"Interviewees naming {row['label']} as required or desirable.",
            "count",
            row["n_demand"],
            row["denominator_demand"],
        )
        kf[f"share_demand_{row['skill_id']}"] = _figure(
            float(row["share_demand"]),
            f"Share of interviewees naming {row['label']} as required or desirable.",
            "share",
            row["n_demand"],
            row["denominator_demand"],
        )
    _add_top(
        kf,
        "demand",
        supply,
        "demanded skill (required or desirable) among interviewees",
        n_column="n_demand",
        share_column="share_demand",
        denominator_column="denominator_demand",
    )
    if not supply.empty:
        kf["supply_demand_threshold_offered"] = _figure(
            float(supply["threshold_offered"].iloc[0]),
            "Quadrant line: mean share of programmes offering a skill, over all skills.",
            "share",
        )
        kf["supply_demand_threshold_demand"] = _figure(
            float(supply["threshold_demand"].iloc[0]),
            "Quadrant line: mean share of interviewees requiring or desiring a skill.",
            "share",
        )
        for quadrant, text in QUADRANTS.items():
            kf[f"n_skills_{quadrant}"] = _figure(
                int((supply["quadrant"] == quadrant).sum()),
                f"Skills in the quadrant '{text}' (lines at the mean shares).",
                "count",
                None,
                len(supply),
            )
        ranked = supply.sort_values(
            ["difference", "label"], ascending=[False, True], kind="mergesort"
        )
        row = ranked.iloc[0]
        kf["largest_undersupply_skill"] = _figure(
            str(row["label"]),
            "Skill with the largest excess of demand (share of interviewees) over supply "
            "(share of programmes).",
            "label",
            row["n_demand"],
            row["denominator_demand"],
        )
        kf["largest_undersupply_value"] = _figure(
            float(row["difference"]),
            "Share demanding largest_undersupply_skill minus share of programmes offering it.",
            "share",
        )
        row = supply.sort_values(
            ["difference", "label"], ascending=[True, True], kind="mergesort"
        ).iloc[0]
        kf["largest_oversupply_skill"] = _figure(
            str(row["label"]),
            "Skill with the largest excess of supply (share of programmes) over demand.",
            "label",
            row["n_offered"],
            row["denominator_offered"],
        )
        kf["largest_oversupply_value"] = _figure(
            float(row["difference"]),
            "Share demanding largest_oversupply_skill minus share of programmes offering it.",
            "share",
        )
        gap_skills = _ranked(supply[supply["quadrant"] == "training_gap"], "difference")
        for ordinal, (_, row) in zip(ORDINALS, gap_skills.head(3).iterrows(), strict=False):
            kf[f"{ordinal}_training_gap_skill"] = _figure(
                str(row["label"]),
                f"The {'' if ordinal == 'top' else ordinal + ' '}skill of the training-gap "
                "quadrant with the largest demand − supply difference.".replace("  ", " "),
                "label",
                row["n_demand"],
                row["denominator_demand"],
            )

    # How many of the most named skills are soft skills (the report's central question).
    for what, frame, column, named_as in (
        ("required", overall[overall["dimension"] == "required"], "n", "required"),
        ("demand", supply, "n_demand", "required or desirable"),
    ):
        top = _ranked(frame[frame[column] > 0], column).head(10)
        kf[f"n_soft_in_top10_{what}"] = _figure(
            int((top["category"] == "soft").sum()),
            f"Soft skills among the 10 skills most often named as {named_as} "
            "(ties broken alphabetically).",
            "count",
            int((top["category"] == "soft").sum()),
            len(top),
        )
    for category in contract.SKILL_CATEGORIES:
        in_gap = supply[(supply["quadrant"] == "training_gap") & (supply["category"] == category)]
        kf[f"n_{category}_skills_training_gap"] = _figure(
            len(in_gap),
            f"{category.capitalize()} skills in the training-gap quadrant.",
            "count",
            len(in_gap),
            int((supply["quadrant"] == "training_gap").sum()),
        )

    # Ratings and Borich.
    ratings = aggregates["ratings_by_skill"]
    kf["n_ratings"] = _figure(
        int(ratings["n"].sum()) if not ratings.empty else 0,
        "Importance/proficiency ratings (one per interview and skill).",
        "count",
    )
    kf["n_rated_interviews"] = _figure(
        tables["ratings"]["interview_id"].nunique(),
        "Interviews with at least one skill rating.",
        "count",
        None,
        n_interviews,
    )
    kf["n_rated_skills"] = _figure(len(ratings), "Skills with at least one rating.", "count")
    if not ratings.empty:
        for _, row in ratings.iterrows():
            skill = row["skill_id"]
            kf[f"mwds_{skill}"] = _figure(
                float(row["mwds"]),
                f"Borich mean weighted discrepancy score of {row['label']}: "
                "mean(importance − proficiency) × mean importance.",
                "score",
                row["n"],
            )
            kf[f"mean_importance_{skill}"] = _figure(
                float(row["mean_importance"]),
                f"Mean importance (1–5) of {row['label']}.",
                "score",
                row["n"],
            )
            kf[f"mean_proficiency_{skill}"] = _figure(
                float(row["mean_proficiency"]),
                f"Mean proficiency (1–5) of {row['label']}.",
                "score",
                row["n"],
            )
        by_rank = ratings.sort_values("rank", kind="mergesort")
        for ordinal, (_, row) in zip(ORDINALS, by_rank.head(3).iterrows(), strict=False):
            kf[f"{ordinal}_borich_skill"] = _figure(
                str(row["label"]),
                f"Rank {int(row['rank'])} of the training needs by Borich MWDS.",
                "label",
                row["n"],
            )
            kf[f"{ordinal}_borich_mwds"] = _figure(
                float(row["mwds"]), f"MWDS of {ordinal}_borich_skill.", "score", row["n"]
            )
        rated = tables["ratings"]
        rated = rated[rated["interview_id"].isin(interviews["interview_id"])]
        kf["mean_importance_all"] = _figure(
            float(rated["importance"].astype("float64").mean()),
            "Mean importance over all ratings (1–5).",
            "score",
            len(rated),
        )
        kf["mean_proficiency_all"] = _figure(
            float(rated["proficiency"].astype("float64").mean()),
            "Mean proficiency over all ratings (1–5).",
            "score",
            len(rated),
        )
        kf["n_skills_positive_mwds"] = _figure(
            int((ratings["mwds"] > 0).sum()),
            "Rated skills whose mean importance exceeds mean proficiency (MWDS > 0).",
            "count",
            None,
            len(ratings),
        )

    # Training formats.
    formats = aggregates["formats_overall"]
    for _, row in formats.iterrows():
        kf[f"n_format_{row['format']}"] = _figure(
            row["n"],
            f"Interviewees preferring {row['label']}.",
            "count",
            row["n"],
            row["denominator"],
        )
        kf[f"share_format_{row['format']}"] = _figure(
            float(row["share"]),
            f"Share of interviewees preferring {row['label']}.",
            "share",
            row["n"],
            row["denominator"],
        )
    kf["n_interviews_with_formats"] = _figure(
        tables["preferred_formats"]
        .loc[lambda f: f["interview_id"].isin(interviews["interview_id"]), "interview_id"]
        .nunique(),
        "Interviewees who named at least one preferred training format.",
        "count",
        None,
        n_interviews,
    )

    def add_top_format(frame: pd.DataFrame, suffix: str, who: str) -> None:
        chosen = frame[frame["n"] > 0]
        if chosen.empty:
            return
        row = _ranked(chosen, "n").iloc[0]
        kf[f"top_format{suffix}"] = _figure(
            str(row["label"]),
            f"Training format preferred by most {who} (ties alphabetical).",
            "label",
            row["n"],
            row["denominator"],
        )
        kf[f"top_format_share{suffix}"] = _figure(
            float(row["share"]),
            f"Share of {who} preferring top_format{suffix}.",
            "share",
            row["n"],
            row["denominator"],
        )

    add_top_format(formats, "", "interviewees")
    ranked_formats = _ranked(formats[formats["n"] > 0], "n")
    for ordinal, (_, row) in zip(ORDINALS[1:], ranked_formats.iloc[1:3].iterrows(), strict=False):
        kf[f"{ordinal}_format"] = _figure(
            str(row["label"]),
            f"The {ordinal} most preferred training format (ties alphabetical).",
            "label",
            row["n"],
            row["denominator"],
        )
        kf[f"{ordinal}_format_share"] = _figure(
            float(row["share"]),
            f"Share of interviewees preferring {ordinal}_format.",
            "share",
            row["n"],
            row["denominator"],
        )
    by_group_formats = aggregates["formats_by_group"]
    for group in _present_groups(interviews):
        add_top_format(
            by_group_formats[by_group_formats["respondent_group"] == group],
            f"_{group}",
            label(group),
        )
    return {name: kf[name] for name in sorted(kf)}


# --------------------------------------------------------------------------- writing


def write_aggregates(aggregates: Mapping[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """``<out_dir>/<name>.csv`` for every aggregate: sorted rows, ``%.4f`` floats, "\\n"."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in AGGREGATE_NAMES:
        path = out_dir / f"{name}.csv"
        frame = _sorted(aggregates[name], name)
        text = frame.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
        path.write_text(text, encoding="utf-8", newline="")
        paths.append(path)
    return paths


def write_key_figures(figures: Mapping[str, dict], path: Path) -> Path:
    """``key_figures.json``: sorted keys, indent 2, UTF-8 as is, trailing newline."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(figures, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8", newline="")
    return path


def aggregate_processed(processed_dir: Path, out_dir: Path, key_figures_path: Path) -> dict:
    """Build, write and return the aggregates and key figures (what the rule and CLI run)."""
    aggregates = build_aggregates(processed_dir)
    figures = key_figures(aggregates, processed_dir)
    write_aggregates(aggregates, out_dir)
    write_key_figures(figures, key_figures_path)
    return figures
