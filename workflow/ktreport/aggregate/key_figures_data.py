"""Stage 2, aggregation: the key figures read off the aggregate tables, declared as data.

``PER_ROW``: the figures every row of a table gives; ``RANKED``: the figures of the first
rows of a table in an order. ``declared_figures`` interprets both (``key_figures``
computes the few figures that are not a row of a table); the words are in
``declarations``. Templates: a row's columns, ``Category`` (the category capitalised),
``group`` / ``Group`` (the respondent group's label), and the fields of a ``Ranked``.
"""

from __future__ import annotations

from ktreport.aggregate.declarations import (
    ORDINALS,
    Figure,
    PerRow,
    Ranked,
    all_and_each_group,
    count,
    counted,
    equals,
    label,
    positive,
    score,
    share,
    top_skills,
)

# ``key_figures`` gives the composition tables the fields ``stem`` (the name's middle) and
# ``what`` (the definition's subject).
PER_ROW: tuple[PerRow, ...] = (
    PerRow(
        "interviews_composition",
        (
            count("n_{stem}", "n", "Number of {what}."),
            share("share_{stem}", "share", "Share of {what} among all interviews."),
        ),
    ),
    PerRow(
        "case_studies_composition",
        (
            count("n_{stem}", "n", "Number of {what}."),
            share("share_{stem}", "share", "Share of {what} among all case studies."),
        ),
    ),
    PerRow(
        "training_offer_by_skill", counted("offered_{skill_id}", "Programmes that train {label}.")
    ),
    PerRow(
        "training_offer_by_category",
        (
            share(
                "share_programmes_{category}",
                "share",
                "Share of programmes that train at least one {category} skill.",
            ),
            count(
                "n_programmes_{category}",
                "n",
                "Programmes that train at least one {category} skill.",
            ),
            share(
                "share_offer_links_{category}",
                "share_links",
                "{Category} skills' share of all programme–skill links.",
                "n_links",
            ),
        ),
    ),
    PerRow(
        "interview_skills_overall",
        counted("{dimension}_{skill_id}", "Interviewees naming {label} as {dimension}."),
    ),
    PerRow(
        "interview_skills_by_category",
        (
            share(
                "share_{dimension}_any_{category}",
                "share",
                "Share of interviewees naming at least one {category} skill as {dimension}.",
            ),
            share(
                "share_{dimension}_mentions_{category}",
                "share_mentions",
                "{Category} skills' share of all skills named as {dimension}.",
                "n_mentions",
            ),
        ),
    ),
    PerRow(
        "skill_gap_overall",
        (
            Figure(
                "gap_{skill_id}",
                "gap",
                "share",
                "Share requiring {label} minus share possessing it (all interviewees).",
                None,
                "denominator",
            ),
        ),
    ),
    PerRow(
        "supply_demand",
        counted(
            "demand_{skill_id}", "Interviewees naming {label} as required or desirable.", "n_demand"
        ),
    ),
    PerRow(
        "ratings_by_skill",
        (
            score(
                "mwds_{skill_id}",
                "mwds",
                "Borich mean weighted discrepancy score of {label}: "
                "mean(importance − proficiency) × mean importance.",
            ),
            score(
                "mean_importance_{skill_id}", "mean_importance", "Mean importance (1–5) of {label}."
            ),
            score(
                "mean_proficiency_{skill_id}",
                "mean_proficiency",
                "Mean proficiency (1–5) of {label}.",
            ),
        ),
    ),
    PerRow("formats_overall", counted("format_{format}", "Interviewees preferring {label}.")),
)

# The skill with the largest gap required − possessed, of ``who`` (figure names ``…{suffix}``).
_LARGEST_GAP = (
    Figure(
        "gap_max_skill{suffix}",
        "label",
        "label",
        "The skill with the largest gap between the share of {who} who say the job "
        "requires it and the share who say they possess it.",
        None,
        "denominator",
    ),
    label("gap_max_skill_id{suffix}", "skill_id", "Skill id of gap_max_skill{suffix}."),
    Figure(
        "gap_max_value{suffix}",
        "gap",
        "share",
        "Size of that gap: (n required − n possessed) / {who}.",
        None,
        "denominator",
    ),
    Figure(
        "gap_max_n_required{suffix}",
        "n_required",
        "count",
        "{Who} requiring gap_max_skill{suffix}.",
        "n_required",
        "denominator",
    ),
    Figure(
        "gap_max_n_possessed{suffix}",
        "n_possessed",
        "count",
        "{Who} possessing gap_max_skill{suffix}.",
        "n_possessed",
        "denominator",
    ),
)
_TOP_FORMAT = (
    label(
        "top_format{suffix}",
        "label",
        "Training format preferred by most {who} (ties alphabetical).",
        "n",
    ),
    share("top_format_share{suffix}", "share", "Share of {who} preferring top_format{suffix}."),
)
_UNDERSUPPLY = (
    "Skill with the largest excess of demand (share of interviewees) over supply "
    "(share of programmes)."
)
_OVERSUPPLY = "Skill with the largest excess of supply (share of programmes) over demand."


def _largest(excess: str, definition: str, n: str, ascending: bool) -> Ranked:
    """The skill with the largest excess of demand over supply (or the reverse), and its size."""
    name = f"largest_{excess}_skill"
    difference = f"Share demanding {name} minus share of programmes offering it."
    return Ranked(
        "supply_demand",
        "difference",
        (
            label(name, "label", definition, n),
            Figure(f"largest_{excess}_value", "difference", "share", difference),
        ),
        ascending=ascending,
    )


RANKED: tuple[Ranked, ...] = (
    Ranked(
        "training_offer_by_skill",
        "n",
        top_skills("offered", "trained skill among programmes"),
        ORDINALS,
        where=positive("n"),
    ),
    Ranked(
        "training_offer_by_cluster",
        "n",
        (
            label(
                "top_offered_cluster",
                "cluster",
                "The skill cluster trained by most programmes (ties alphabetical).",
                "n",
            ),
        ),
        tie="cluster",
    ),
    Ranked(
        "interview_skills_overall",
        "n",
        top_skills("{dimension}", "{dimension} skill named by interviewees"),
        ORDINALS,
        split=("dimension",),
        where=positive("n"),
    ),
    Ranked(
        "interview_skills_by_group",
        "n",
        top_skills("{dimension}_{respondent_group}", "{dimension} skill named by {group}"),
        ORDINALS,
        split=("respondent_group", "dimension"),
        where=positive("n"),
    ),
    # A gap of no interviews (denominator 0) has no largest.
    *all_and_each_group(
        "skill_gap_overall", "skill_gap_by_group", "gap", _LARGEST_GAP, positive("denominator")
    ),
    Ranked(
        "supply_demand",
        "n_demand",
        top_skills(
            "demand", "demanded skill (required or desirable) among interviewees", "n_demand"
        ),
        ORDINALS,
        where=positive("n_demand"),
    ),
    _largest("undersupply", _UNDERSUPPLY, "n_demand", ascending=False),
    _largest("oversupply", _OVERSUPPLY, "n_offered", ascending=True),
    Ranked(
        "supply_demand",
        "difference",
        (
            label(
                "{ordinal}_training_gap_skill",
                "label",
                "The {nth}skill of the training-gap quadrant with the largest demand − supply "
                "difference.",
                "n_demand",
            ),
        ),
        ORDINALS,
        where=equals("quadrant", "training_gap"),
    ),
    Ranked(
        "ratings_by_skill",
        "rank",
        (
            Figure(
                "{ordinal}_borich_skill",
                "label",
                "label",
                "Rank {rank} of the training needs by Borich MWDS.",
                "n",
            ),
            score("{ordinal}_borich_mwds", "mwds", "MWDS of {ordinal}_borich_skill."),
        ),
        ORDINALS,
        ascending=True,
    ),
    *all_and_each_group("formats_overall", "formats_by_group", "n", _TOP_FORMAT, positive("n")),
    Ranked(
        "formats_overall",
        "n",
        (
            label(
                "{ordinal}_format",
                "label",
                "The {ordinal} most preferred training format (ties alphabetical).",
                "n",
            ),
            share(
                "{ordinal}_format_share",
                "share",
                "Share of interviewees preferring {ordinal}_format.",
            ),
        ),
        ("second", "third"),
        where=positive("n"),
    ),
)
