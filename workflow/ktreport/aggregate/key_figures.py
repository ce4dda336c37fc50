"""Stage 2, aggregation, last step: the key figures — every number the report's prose uses.

A key figure is ``{"value", "definition", "n", "denominator", "unit"}``. Most are read off
a row of an aggregate table, as declared in ``key_figures_data`` (``declared_figures``);
the few that are computed (from the processed tables or over a whole aggregate) are the
small functions here. Nothing here reads a file: the tables come from ``load_processed``,
read once for the aggregates and the figures.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ktreport import contract
from ktreport.aggregate.counting import present_groups, share
from ktreport.aggregate.declarations import key_figure
from ktreport.aggregate.declared_figures import declared_figures
from ktreport.aggregate.skills import QUADRANTS
from ktreport.core.frames import ranked

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

Tables = Mapping[str, pd.DataFrame]


def _plain_counts(tables: Tables, aggregates: Tables) -> dict[str, dict]:
    """The counts without n or denominator."""
    interviews, cases, skills = tables["interviews"], tables["case_studies"], tables["skills"]
    ratings = aggregates["ratings_by_skill"]
    contributing = set(interviews["partner_id"]) | set(cases["partner_id"])
    counts = {
        "n_interviews": (len(interviews), "Interviews in the sample."),
        "n_case_studies": (len(cases), "Training programmes studied as cases."),
        "n_partners": (len(tables["partners"]), "Consortium partners that contribute data."),
        "n_partners_contributing": (
            len(contributing),
            "Partners with at least one interview or case study.",
        ),
        "n_countries_interviews": (
            interviews["country"].nunique(),
            "Countries where interviewees work.",
        ),
        "n_countries_case_studies": (
            cases["country"].nunique(),
            "Countries where the studied programmes are based.",
        ),
        "n_regions_case_studies": (
            cases["region"].nunique(),
            "World regions of the studied programmes.",
        ),
        "n_respondent_groups": (
            len(present_groups(interviews)),
            "Respondent groups with at least one interview.",
        ),
        "n_best_practices": (
            int(cases["best_practice"].sum()),
            "Case studies selected as best practices.",
        ),
        "n_skills_taxonomy": (len(skills), "Skills in the taxonomy (codebook)."),
        "n_clusters_taxonomy": (skills["cluster"].nunique(), "Skill clusters in the taxonomy."),
        "n_skills_not_offered": (
            int((aggregates["training_offer_by_skill"]["n"] == 0).sum()),
            "Taxonomy skills that no studied programme trains.",
        ),
        "n_skills_positive_gap": (
            int((aggregates["skill_gap_overall"]["gap"] > 0).sum()),
            "Skills that more interviewees require than possess.",
        ),
        "n_ratings": (
            int(ratings["n"].sum()) if not ratings.empty else 0,
            "Importance/proficiency ratings (one per interview and skill).",
        ),
        "n_rated_skills": (len(ratings), "Skills with at least one rating."),
    }
    for category in contract.SKILL_CATEGORIES:
        counts[f"n_{category}_skills_taxonomy"] = (
            int((skills["category"] == category).sum()),
            f"{category.capitalize()} skills in the taxonomy.",
        )
    return {name: key_figure(value, text, "count") for name, (value, text) in counts.items()}


def _sample(tables: Tables, aggregates: Tables) -> dict[str, dict]:
    """Taxonomy share, interview period, medians, quotes, skills per programme."""
    interviews, cases, skills = tables["interviews"], tables["case_studies"], tables["skills"]
    n_interviews, n_cases = len(interviews), len(cases)
    n_soft = int((skills["category"] == "soft").sum())
    n_quotes = len(aggregates["quotes"])
    n_links = len(tables["case_study_skills"].drop_duplicates(["case_id", "skill_id"]))
    kf = {
        "share_soft_skills_taxonomy": key_figure(
            share(n_soft, len(skills)),
            "Share of soft skills among the skills of the taxonomy.",
            "share",
            n_soft,
            len(skills),
        ),
        "n_quotes_consented": key_figure(
            n_quotes,
            "Interviewees who gave a quote and consented to be quoted anonymously.",
            "count",
            n_quotes,
            n_interviews,
        ),
        "mean_skills_per_programme": key_figure(
            n_links / n_cases if n_cases else 0.0,
            "Mean number of taxonomy skills a programme trains.",
            "score",
            n_links,
            n_cases,
        ),
    }
    dates = pd.to_datetime(interviews["interview_date"], errors="coerce").dropna()
    if not dates.empty:
        for name, when in (("start", dates.min()), ("end", dates.max())):
            kf[f"interview_period_{name}"] = key_figure(
                f"{MONTHS[when.month - 1]} {when.year}",
                f"Month of the {'first' if name == 'start' else 'last'} interview.",
                "label",
                len(dates),
                n_interviews,
            )
    medians = (
        (
            "median_years_experience",
            interviews["years_experience"],
            n_interviews,
            "Median years of KT experience of interviewees who stated it.",
        ),
        (
            "median_duration_hours",
            cases["duration_hours"],
            n_cases,
            "Median duration in hours of the programmes that state one.",
        ),
    )
    for name, column, total, definition in medians:
        stated = column.dropna()
        if not stated.empty:
            kf[name] = key_figure(float(stated.median()), definition, "score", len(stated), total)
    return kf


def _supply_demand(aggregates: Tables) -> dict[str, dict]:
    """Quadrant lines and sizes, soft skills among the most demanded, in the training gap."""
    supply, overall = aggregates["supply_demand"], aggregates["interview_skills_overall"]
    kf: dict[str, dict] = {}
    if not supply.empty:
        for axis, text in (
            ("offered", "mean share of programmes offering a skill, over all skills"),
            ("demand", "mean share of interviewees requiring or desiring a skill"),
        ):
            kf[f"supply_demand_threshold_{axis}"] = key_figure(
                float(supply[f"threshold_{axis}"].iloc[0]), f"Quadrant line: {text}.", "share"
            )
        for quadrant, text in QUADRANTS.items():
            kf[f"n_skills_{quadrant}"] = key_figure(
                int((supply["quadrant"] == quadrant).sum()),
                f"Skills in the quadrant '{text}' (lines at the mean shares).",
                "count",
                None,
                len(supply),
            )
    # How many of the most named skills are soft skills (the report's central question).
    for what, frame, column, named_as in (
        ("required", overall[overall["dimension"] == "required"], "n", "required"),
        ("demand", supply, "n_demand", "required or desirable"),
    ):
        top = ranked(frame[frame[column] > 0], column).head(10)
        n_soft = int((top["category"] == "soft").sum())
        kf[f"n_soft_in_top10_{what}"] = key_figure(
            n_soft,
            f"Soft skills among the 10 skills most often named as {named_as} "
            "(ties broken alphabetically).",
            "count",
            n_soft,
            len(top),
        )
    in_gap = supply[supply["quadrant"] == "training_gap"]
    for category in contract.SKILL_CATEGORIES:
        n_category = int((in_gap["category"] == category).sum())
        kf[f"n_{category}_skills_training_gap"] = key_figure(
            n_category,
            f"{category.capitalize()} skills in the training-gap quadrant.",
            "count",
            n_category,
            len(in_gap),
        )
    return kf


def _answers(tables: Tables, aggregates: Tables) -> dict[str, dict]:
    """Interviews with ratings or formats; the means over all ratings."""
    interviews = tables["interviews"]
    known = interviews["interview_id"]
    formats = tables["preferred_formats"]
    kf = {
        "n_rated_interviews": key_figure(
            tables["ratings"]["interview_id"].nunique(),
            "Interviews with at least one skill rating.",
            "count",
            None,
            len(interviews),
        ),
        "n_interviews_with_formats": key_figure(
            formats.loc[formats["interview_id"].isin(known), "interview_id"].nunique(),
            "Interviewees who named at least one preferred training format.",
            "count",
            None,
            len(interviews),
        ),
    }
    ratings = aggregates["ratings_by_skill"]
    if ratings.empty:
        return kf
    rated = tables["ratings"][tables["ratings"]["interview_id"].isin(known)]
    for column in ("importance", "proficiency"):
        kf[f"mean_{column}_all"] = key_figure(
            float(rated[column].astype("float64").mean()),
            f"Mean {column} over all ratings (1–5).",
            "score",
            len(rated),
        )
    kf["n_skills_positive_mwds"] = key_figure(
        int((ratings["mwds"] > 0).sum()),
        "Rated skills whose mean importance exceeds mean proficiency (MWDS > 0).",
        "count",
        None,
        len(ratings),
    )
    return kf


def key_figures(aggregates: Tables, tables: Tables) -> dict[str, dict]:
    """Every number the prose uses, by name, with definition, n, denominator and unit.

    ``aggregates``: from ``build_aggregates``; ``tables``: the processed tables they were
    built from (``load_processed``), not read again here.
    """
    kf: dict[str, dict] = {}
    kf.update(_plain_counts(tables, aggregates))
    kf.update(_sample(tables, aggregates))
    kf.update(declared_figures(aggregates))
    kf.update(_supply_demand(aggregates))
    kf.update(_answers(tables, aggregates))
    return {name: kf[name] for name in sorted(kf)}
