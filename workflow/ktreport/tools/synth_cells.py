"""Outside the pipeline, its inputs: the cells of a SAMPLE or synthetic file in a partner's style.

A record (``Programme``, ``Interview``, ``Rating``) becomes one row of cells as the partner
would type it: its yes/no words, its skill separator, its spellings of groups and genders,
skills as labels, synonyms or ids in varying case. The draws come from the caller's rng.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence

from ktreport.tools.synth_data import FORMAT_SPELLINGS, PROJECT_RAW, FileStyle, Programme
from ktreport.tools.synth_people import Interview, Rating


def case_study_cells(
    case_id: str, p: Programme, style: FileStyle, taxonomy: dict, rng: random.Random
) -> dict[str, object]:
    return {
        "case_id": case_id,
        "programme": p.programme,
        "provider": p.provider,
        "provider_type": p.provider_type,
        "country": p.country,
        "delivery_mode": p.delivery_mode,
        "duration_hours": p.hours,
        "audience": p.audience,
        "certification": _yes_no(p.certification, style),
        "skills": _spell_skills(p.skills.split(), style, taxonomy, rng),
        "best_practice": _yes_no(p.best_practice, style, blank_no=style.blank_no),
        "url": p.url,
        "notes": p.notes,
    }


def interview_cells(
    iv: Interview, index: int, style: FileStyle, taxonomy: dict, rng: random.Random
) -> dict[str, object]:
    as_text = (
        style.text_cells_every and index % style.text_cells_every == style.text_cells_every - 1
    )
    date: object = iv.date
    years: object = iv.years
    if as_text:
        date = iv.date.strftime("%d/%m/%Y") if iv.date else None
        years = None if iv.years is None else str(iv.years)
    return {
        "interview_id": iv.interview_id,
        "respondent_group": style.spellings.get(iv.group, iv.group),
        "country": iv.country,
        "interview_date": date,
        "years_experience": years,
        "gender": style.spellings.get(iv.gender, iv.gender) if iv.gender else None,
        "skills_possessed": _spell_skills(iv.possessed, style, taxonomy, rng),
        "skills_required": _spell_skills(iv.required, style, taxonomy, rng),
        "skills_desirable": _spell_skills(iv.desirable, style, taxonomy, rng),
        "preferred_formats": style.skill_separator.join(
            rng.choice(FORMAT_SPELLINGS[f]) for f in iv.formats
        ),
        "quote": _quote_for(iv, style),
        "consent_to_quote": _yes_no(iv.consent, style, blank_no=style.blank_no),
        "name": iv.name,
        "email": iv.email,
        "organisation": iv.organisation,
        "phone": iv.phone,
    }


def _quote_for(iv: Interview, style: FileStyle) -> str:
    """The interviewee's quote as the partner's file holds it. A partner whose files have no
    organisation column cannot have it anonymised in quotes, so its quotes do not name it
    (otherwise the personal-data guard rightly stops the build: at 10x the sample, ASTP-style
    partners' quotes named organisations other partners list as interviewees')."""
    if "organisation" in style.omit and iv.organisation:
        return iv.quote.replace(iv.organisation, "my organisation")
    return iv.quote


def rating_cells(
    rating: Rating, style: FileStyle, taxonomy: dict, rng: random.Random
) -> dict[str, object]:
    return {
        "interview_id": rating.interview_id,
        "skill": _spell_skill(rating.skill, taxonomy, rng),
        "importance": rating.importance,
        "proficiency": rating.proficiency,
    }


def _yes_no(value: bool | None, style: FileStyle, blank_no: bool = False) -> str:
    if value is None:
        return ""
    if value:
        return style.yes
    return "" if blank_no else style.no


def _spell_skills(
    skills: Sequence[str], style: FileStyle, taxonomy: dict, rng: random.Random
) -> str:
    return style.skill_separator.join(_spell_skill(s, taxonomy, rng) for s in skills)


def _spell_skill(skill_id: str, taxonomy: dict[str, tuple[str, ...]], rng: random.Random) -> str:
    """The skill as a partner might type it: its label (most often), a synonym or its id, in
    the case the partner happened to use."""
    label, *synonyms = taxonomy[skill_id]
    spellings = [label, label, *synonyms, skill_id]
    text = rng.choice(spellings)
    case = rng.random()
    if case < 0.25:
        return text.lower()
    if case < 0.45:
        return text[:1].upper() + text[1:]
    return text


def read_taxonomy() -> dict[str, tuple[str, ...]]:
    """skill_id -> (label, synonym, ...) from the project's taxonomy."""
    with (PROJECT_RAW / "skills_taxonomy.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["skill_id"]: (row["label"], *[s for s in row["synonyms"].split(";") if s])
            for row in csv.DictReader(handle)
        }
