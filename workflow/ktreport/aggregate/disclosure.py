"""Stage 2, aggregation: small-cell protection (statistical disclosure control).

No count or share computed from fewer than ``min_cell`` respondents (config ``min_cell``,
default 5) is published: a reader who knows the sample could otherwise recognise the one
non-binary interviewee or the two interviewees of a country.

Who is protected: *respondents* (interviewees) only. The case studies are public training
programmes, described from their own documentation; counts of programmes, skills,
countries, partners or regions single out no person and stay as they are.

Two kinds of respondent figures (``respondent_kind`` decides, by the figure's name):

* **who** (the sample's composition): how many interviewees are in a cell defined by who
  they are — a respondent group, a gender, a world region, a country and their crosses. A
  reader who knows the field can name the one non-binary interviewee or the two of a
  country: the count itself is the base, and a count between 1 and ``min_cell`` − 1 is
  suppressed (reason ``small``), with its share. Zero is published: it names nobody.
* **answers** (what interviewees said: skills, gaps, formats, ratings, quotes): computed
  over a respondent base, the denominator (all interviewees, a group; for a mean of
  ratings: the raters, its n). It is suppressed when that base is below ``min_cell``;
  "4 of 60 interviewees say they possess it" identifies nobody and is published.

Where parts add up to a published total (groups, genders and regions to all interviews;
a country's groups to its total; the countries to all interviews), one hidden part would
be the total minus the others: until at least two parts are hidden and the hidden parts
add up to ``min_cell`` or more, the smallest published non-zero part is suppressed too
(reason ``complementary``), with its share.

A suppressed key figure keeps its definition and unit, gets ``"value": None,
"suppressed": True, "suppressed_reason": "small" | "complementary"``; its ``n`` is
dropped (it is the hidden count) and its denominator kept only when it is itself at least
``min_cell`` ("fewer than 5 of 60"). A suppressed table cell is empty, and the row's
column ``suppressed`` lists ``column=reason`` pairs (``suppressed_cells`` reads it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ktreport import contract
from ktreport.aggregate.disclosure_tables import (
    COMPLEMENTARY,
    FLAG_COLUMN,
    SMALL,
    TABLE_RULES,
    TableRule,
    complementary,
    protect_aggregates,
    protect_table,
    small,
    suppressed_cells,
)
from ktreport.core.style import fewer_than

__all__ = [
    "COMPLEMENTARY",
    "FLAG_COLUMN",
    "SMALL",
    "TABLE_RULES",
    "TableRule",
    "complementary",
    "fewer_than",
    "primary_small",
    "protect_aggregates",
    "protect_key_figures",
    "protect_table",
    "respondent_kind",
    "suppressed_cells",
    "suppressed_figures",
]

DEFAULT_MIN_CELL = 5

# Key figures of the sample's composition (the count is the base) and of the answers (the
# denominator, or n, is the base); matched on the whole name. A name in none of the three
# lists is an answer figure: protected by its base until someone decides otherwise.
_GROUPS = "|".join(contract.RESPONDENT_GROUPS)
WHO: tuple[str, ...] = (
    r"n_interviews",
    r"(n|share)_(group|gender|interviews_region)_.+",
)
ANSWERS: tuple[str, ...] = (
    r"(n|share)_(possessed|required|desirable|demand|format)_.+",
    r"(top|second|third)_(possessed|required|desirable|demand)(_.+)?_skill(_id|_share)?",
    r"(top|second|third)_format(_share)?(_.+)?",
    r"gap_.+",
    r"(largest_undersupply_(skill|value)|(top|second|third)_training_gap_skill)",
    r"(mwds|mean_importance|mean_proficiency)_.+",
    r"(top|second|third)_borich_(skill|mwds)",
    r"median_years_experience|interview_period_(start|end)",
    r"n_(quotes_consented|rated_interviews|interviews_with_formats|ratings)",
)
NOT_RESPONDENTS: tuple[str, ...] = (
    r"(n|share)_case_studies_.+|n_case_studies|n_best_practices",
    r"(n|share)_offered_.+|(top|second|third)_offered_skill(_id|_share)?|top_offered_cluster",
    r"(n|share)_programmes_.+|share_offer_links_.+|mean_skills_per_programme",
    r"median_duration_hours|largest_oversupply_(skill|value)",
    r"n_partners(_contributing)?|n_countries_.+|n_regions_.+|n_respondent_groups",
    r"n_(\w+_)?skills_taxonomy|n_clusters_taxonomy|share_soft_skills_taxonomy",
    r"n_skills_.+|n_rated_skills|n_soft_in_top10_.+|n_(soft|hard)_skills_training_gap",
    r"supply_demand_threshold_.+|min_cell",
)
_KINDS = {
    kind: re.compile("|".join(f"(?:{p})" for p in patterns))
    for kind, patterns in (("who", WHO), ("answers", ANSWERS), ("none", NOT_RESPONDENTS))
}

# Families of key figures whose parts add up to a published total (all interviews).
FAMILIES: tuple[tuple[str, str], ...] = (
    (rf"n_group_(?:{_GROUPS})", "n_interviews"),
    (r"n_gender_.+", "n_interviews"),
    (r"n_interviews_region_.+", "n_interviews"),
)


def min_cell_figure(min_cell: int) -> dict:
    """The key figure ``min_cell``, so that every later stage reads the same threshold."""
    return {
        "value": int(min_cell),
        "definition": "Published counts and shares rest on at least this many interviewees "
        "(small-cell protection).",
        "n": None,
        "denominator": None,
        "unit": "count",
    }


def respondent_kind(name: str) -> str:
    """``who`` (a count of the sample's composition, or its share), ``answers`` (computed
    over a respondent base) or ``none`` (programmes, skills, countries…) for the key
    figure ``name``; a name in no list is ``answers``."""
    for kind in ("who", "none", "answers"):
        if _KINDS[kind].fullmatch(name):
            return kind
    return "answers"


def classified(name: str) -> bool:
    """Whether ``name`` is in exactly one list (a test keeps every figure so)."""
    return sum(bool(p.fullmatch(name)) for p in _KINDS.values()) == 1


# ------------------------------------------------------------------ key figures


def _suppressed(record: Mapping, reason: str, min_cell: int) -> dict:
    out = dict(record)
    denominator = out.get("denominator")
    out["value"] = None
    out["n"] = None
    out["denominator"] = denominator if denominator is None or denominator >= min_cell else None
    out["suppressed"] = True
    out["suppressed_reason"] = reason
    return out


def primary_small(name: str, record: Mapping, min_cell: int) -> bool:
    """Whether the key figure ``name`` rests on fewer than ``min_cell`` respondents (its
    own count for the sample's composition, its base for an answer)."""
    kind = respondent_kind(name)
    value, n, denominator = record.get("value"), record.get("n"), record.get("denominator")
    if kind == "none":
        return False
    if kind == "who":
        counted = value if record.get("unit") == "count" else n
        return small(counted, min_cell) or small(denominator, min_cell)
    if denominator is not None:
        return small(denominator, min_cell)
    return small(n, min_cell) and record.get("unit") != "count"


def _dependants(name: str) -> list[str]:
    """The figures computed from the count ``name``: its share."""
    return ["share_" + name.removeprefix("n_")] if name.startswith("n_") else []


def protect_key_figures(figures: dict[str, dict], min_cell: int) -> dict[str, dict]:
    """The key figures with every small respondent figure suppressed (module docstring);
    ``figures`` as in ``key_figures.json``, not changed. ``min_cell`` 1 changes nothing."""
    reasons: dict[str, str] = {}
    for name, record in figures.items():
        if primary_small(name, record, min_cell):
            reasons[name] = SMALL
    for pattern, total in FAMILIES:
        if total not in figures or total in reasons:
            continue
        parts = sorted(n for n in figures if re.fullmatch(pattern, n))
        values = [float(figures[n]["value"] or 0) for n in parts]
        for i in complementary(values, [n in reasons for n in parts], min_cell):
            reasons[parts[i]] = COMPLEMENTARY
    for name in sorted(reasons):
        for dependant in _dependants(name):
            if dependant in figures and dependant not in reasons:
                reasons[dependant] = reasons[name]
    out = {}
    for name, record in figures.items():
        if name in reasons:
            out[name] = _suppressed(record, reasons[name], min_cell)
            continue
        out[name] = dict(record)
    return out


def suppressed_figures(figures: Mapping[str, Mapping]) -> dict[str, str]:
    """Name → reason of every suppressed key figure."""
    return {
        name: str(record.get("suppressed_reason") or SMALL)
        for name, record in figures.items()
        if record.get("suppressed")
    }
