"""Outside the pipeline, its inputs: the interviewees of the SAMPLE and synthetic data.

The canonical records (``Interview``, ``Rating``) before a partner's file style is applied,
and how they are drawn: fake people, then skills, formats and quotes handed out so that each
group names each skill exactly as often as ``synth_data`` says (times the scale), then ratings.
Every draw comes from the caller's seeded ``random.Random``, in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ktreport.contract import RESPONDENT_GROUPS, TRAINING_FORMATS
from ktreport.tools.synth_data import (
    DESIRABLE,
    FAKE_ORGANISATIONS,
    FIRST_INTERVIEW_DAY,
    GENDER_WEIGHTS,
    LAST_INTERVIEW_DAY,
    POSSESSED,
    PRACTICE_FORMATS,
    PREFERRED_FORMATS,
    QUOTES,
    RATED_SKILLS,
    REQUIRED,
    SKILLS_RATED_EACH,
    SOFT_GAP_SKILLS,
    YEARS_EXPERIENCE,
)

# --------------------------------------------------------------------------- records


@dataclass
class Interview:
    """One interview before it is written in a partner's style (canonical values)."""

    partner: str
    interview_id: str
    number: int  # 1.. across all partners: numbers the fake personal data
    group: str
    country: str  # as the partner typed it
    date: dt.date | None
    years: int | None
    gender: str | None
    possessed: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    desirable: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    quote: str = ""
    consent: bool | None = None
    name: str = ""
    email: str = ""
    organisation: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Rating:
    partner: str
    interview_id: str
    skill: str
    importance: int
    proficiency: int


# --------------------------------------------------------------------------- drawing


def assign_answers(interviews: Sequence[Interview], rng: random.Random, scale: int) -> None:
    """Skills, preferred formats and quotes for everyone, in this order (the draws' order)."""
    _assign_skills(interviews, rng, scale)
    _assign_formats(interviews, rng, scale)
    _assign_quotes(interviews, rng, scale)


def new_interview(
    rng: random.Random, partner: str, interview_id: str, number: int, group: str
) -> Interview:
    low, high = YEARS_EXPERIENCE[group]
    span = (LAST_INTERVIEW_DAY - FIRST_INTERVIEW_DAY).days
    day = FIRST_INTERVIEW_DAY + dt.timedelta(days=rng.randint(0, span))
    if day.weekday() >= 5:  # interviews happen on working days
        day -= dt.timedelta(days=day.weekday() - 4)
    person = f"{number:02d}" if number < 100 else f"{number}"
    genders = list(GENDER_WEIGHTS)
    return Interview(
        partner=partner,
        interview_id=interview_id,
        number=number,
        group=group,
        country="",
        date=None if rng.random() < 0.1 else day,
        years=None if rng.random() < 0.05 else rng.randint(low, high),
        gender=None
        if rng.random() < 0.05
        else rng.choices(genders, weights=[GENDER_WEIGHTS[g] for g in genders])[0],
        name=f"Sample Person {person}",
        email=f"sample.person{person}@example.org",
        organisation=rng.choice(FAKE_ORGANISATIONS[group]),
        phone=f"+00 000 {number:04d}",
    )


def _allocate(
    rng: random.Random,
    members: Sequence[Interview],
    count: int,
    load: dict[str, int],
    prefer: Callable[[Interview], bool] = lambda iv: False,
    avoid: Callable[[Interview], bool] = lambda iv: False,
    capacity: dict[str, float] | None = None,
) -> list[Interview]:
    """``count`` of ``members``: the least loaded first (load relative to the member's
    ``capacity``; preferred ones as if one less loaded), avoided ones last, ties broken at
    random; the chosen ones' load goes up by one."""

    def rank(iv: Interview) -> tuple[bool, float, float]:
        relative = (load[iv.interview_id] - prefer(iv)) / (capacity or {}).get(iv.interview_id, 1)
        return (avoid(iv), relative, rng.random())

    ranked = sorted(members, key=rank)
    chosen = ranked[: min(count, len(ranked))]
    for iv in chosen:
        load[iv.interview_id] += 1
    return chosen


def _by_group(interviews: Sequence[Interview]) -> dict[str, list[Interview]]:
    return {g: [iv for iv in interviews if iv.group == g] for g in RESPONDENT_GROUPS}


def _assign_skills(interviews: Sequence[Interview], rng: random.Random, scale: int) -> None:
    """Give each skill to exactly scale x its count of interviewees per group and dimension,
    spreading mentions over interviewees as talkative as each was (a random capacity);
    desirable skills go to those who require but lack them first."""
    groups = _by_group(interviews)
    capacity = {iv.interview_id: rng.uniform(0.6, 1.4) for iv in interviews}
    for dimension, counts in (
        ("possessed", POSSESSED),
        ("required", REQUIRED),
        ("desirable", DESIRABLE),
    ):
        load = {iv.interview_id: 0 for iv in interviews}
        for skill, per_group in counts.items():
            for group, count in zip(RESPONDENT_GROUPS, per_group, strict=True):
                chosen = _allocate(
                    rng,
                    groups[group],
                    count * scale,
                    load,
                    prefer=lambda iv, s=skill: s in iv.required,
                    avoid=lambda iv, s=skill, d=dimension: d == "desirable" and s in iv.possessed,
                    capacity=capacity,
                )
                for iv in chosen:
                    getattr(iv, dimension).append(skill)
    for iv in interviews:
        for skills in (iv.possessed, iv.required, iv.desirable):
            rng.shuffle(skills)


def _assign_formats(interviews: Sequence[Interview], rng: random.Random, scale: int) -> None:
    load = {iv.interview_id: 0 for iv in interviews}
    for training_format, count in PREFERRED_FORMATS.items():
        practice = training_format in PRACTICE_FORMATS
        chosen = _allocate(
            rng,
            interviews,
            count * scale,
            load,
            prefer=lambda iv, p=practice: p and any(s in iv.desirable for s in SOFT_GAP_SKILLS),
        )
        for iv in chosen:
            iv.formats.append(training_format)
    for iv in interviews:
        iv.formats.sort(key=TRAINING_FORMATS.index)


def _assign_quotes(interviews: Sequence[Interview], rng: random.Random, scale: int) -> None:
    """Each group's quotes go to interviewees of that group (scale times each)."""
    for group, members in _by_group(interviews).items():
        quotes = QUOTES[group] * scale
        for iv, (quote, consent) in zip(
            rng.sample(members, min(len(quotes), len(members))), quotes, strict=False
        ):
            iv.quote = quote.format(name=iv.name, organisation=iv.organisation)
            iv.consent = consent


def draw_ratings(
    interviews: dict[str, list[Interview]], raters: dict[str, int], rng: random.Random
) -> dict[str, list[Rating]]:
    """The first ``raters[partner]`` interviewees of a partner rate ~10 skills each, 1-5.

    A skill the interviewee requires is more important to them, one they possess they master
    better, one they want training in they master less.
    """
    ratings: dict[str, list[Rating]] = {}
    for partner, n_raters in raters.items():
        rows = []
        for iv in interviews[partner][:n_raters]:
            for skill in rng.sample(list(RATED_SKILLS), SKILLS_RATED_EACH):
                mean_importance, mean_proficiency = RATED_SKILLS[skill]
                importance = mean_importance + 0.4 * (skill in iv.required) - 0.2
                proficiency = (
                    mean_proficiency + 0.5 * (skill in iv.possessed) - 0.4 * (skill in iv.desirable)
                )
                rows.append(
                    Rating(
                        partner,
                        iv.interview_id,
                        skill,
                        _likert(importance + rng.gauss(0, 0.6)),
                        _likert(proficiency + rng.gauss(0, 0.6)),
                    )
                )
        ratings[partner] = rows
    return ratings


def _likert(value: float) -> int:
    return max(1, min(5, round(value)))
