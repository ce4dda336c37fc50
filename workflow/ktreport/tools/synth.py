"""Outside the pipeline, its inputs: the curated SAMPLE data of ``data/raw/`` and synthetic sets.

``write_sample`` writes the sample the project ships: 30 case studies of real public KT
training programmes (values that are not public are plausible guesses) and 60 coded
interviews (24 KT professionals in higher education, 18 in business, 12 KT experts, 6 others)
with skill ratings for 30 of them, spread over the six partners in the file formats partners
really use, with the imperfections the contract accepts. The skill mentions tell the story the
report tells: training offers hard skills, interviewees require soft ones. Every personal value
is obviously fake.

``write_synthetic`` writes a dataset ``scale`` times that size over more partners and countries,
for performance tests. Both are deterministic: the same arguments give the same bytes (seeded
``random.Random``, spreadsheets with fixed document and zip-entry dates).
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from pathlib import Path

from ktreport.contract import RESPONDENT_GROUPS
from ktreport.tools.synth_data import (
    COUNTRY_SPELLINGS,
    EXTRA_PARTNER_COUNTRIES,
    GROUP_SIZES,
    HARD_SKILLS_TAUGHT,
    PARTNER_COUNTRIES,
    PROGRAMMES,
    PROJECT_RAW,
    SAMPLE_INTERVIEW_COUNTRIES,
    SAMPLE_INTERVIEW_PLAN,
    SAMPLE_LABEL,
    SAMPLE_PARTNERS,
    SAMPLE_RATERS,
    SAMPLE_SEED,
    SAMPLE_STYLES,
    SOFT_SKILLS_RARELY_TAUGHT,
    SYNTHETIC_LABEL,
    SYNTHETIC_README,
    FileStyle,
    Programme,
)
from ktreport.tools.synth_people import Interview, assign_answers, draw_ratings, new_interview
from ktreport.tools.synth_writers import Dataset, copy_reference, write_csv_rows, write_dataset

# --------------------------------------------------------------------------- public API


def write_sample(raw_dir: Path) -> None:
    """Write the curated SAMPLE data into ``raw_dir`` (the project ships its output).

    Writes ``case_studies/``, ``interviews/`` and ``ratings/`` (replacing the partner files
    there) and, when ``raw_dir`` is not the project's ``data/raw``, copies ``partners.csv``,
    ``skills_taxonomy.csv`` and ``README.md`` from it, so that ``raw_dir`` is a complete raw-data
    folder. Same call, same bytes.
    """
    raw_dir = Path(raw_dir)
    rng = random.Random(SAMPLE_SEED)
    interviews = _sample_interviews(rng)
    dataset = Dataset(
        case_studies=_sample_case_studies(),
        interviews=interviews,
        ratings=draw_ratings(interviews, SAMPLE_RATERS, rng),
        styles=SAMPLE_STYLES,
        label=SAMPLE_LABEL,
    )
    write_dataset(raw_dir, dataset, rng)
    for name in ("partners.csv", "skills_taxonomy.csv", "README.md"):
        copy_reference(PROJECT_RAW / name, raw_dir / name)


def write_synthetic(raw_dir: Path, scale: int, seed: int = 1, partners: int | None = None) -> None:
    """Write a synthetic dataset ``scale`` times the sample's size into ``raw_dir``.

    ``scale`` x 30 case studies, x 60 interviews (the sample's group split) and x ~300 ratings,
    spread over ``partners`` partners (default ``6 * ceil(sqrt(scale))``: the six consortium
    partners plus synthetic ones P01, P02, ...) from many countries, in the six partners' file
    styles. Writes ``partners.csv``, the taxonomy and a README too. Deterministic for a seed.
    """
    if scale < 1:
        raise ValueError(f"scale must be 1 or more, not {scale}")
    raw_dir = Path(raw_dir)
    n_partners = partners if partners is not None else 6 * math.ceil(math.sqrt(scale))
    if n_partners < len(SAMPLE_PARTNERS):
        raise ValueError(f"partners must be {len(SAMPLE_PARTNERS)} or more, not {n_partners}")
    rng = random.Random(seed)
    partner_rows = _synthetic_partners(n_partners)
    styles = {pid: _synthetic_style(pid, i) for i, (pid, _, _) in enumerate(partner_rows)}
    countries = {pid: country for pid, _, country in partner_rows}
    interviews = _synthetic_interviews(rng, scale, styles, countries)
    raters = _synthetic_raters(interviews, styles, 30 * scale)
    dataset = Dataset(
        case_studies=_synthetic_case_studies(rng, scale, styles),
        interviews=interviews,
        ratings=draw_ratings(interviews, raters, rng),
        styles=styles,
        label=f"{SYNTHETIC_LABEL} (scale {scale}, seed {seed})",
    )
    write_dataset(raw_dir, dataset, rng)
    write_csv_rows(raw_dir / "partners.csv", ("partner_id", "name", "country"), partner_rows)
    copy_reference(PROJECT_RAW / "skills_taxonomy.csv", raw_dir / "skills_taxonomy.csv")
    (raw_dir / "README.md").write_text(
        SYNTHETIC_README.format(
            scale=scale,
            seed=seed,
            partners=n_partners,
            case_studies=30 * scale,
            interviews=60 * scale,
        ),
        encoding="utf-8",
    )


# --------------------------------------------------------------------------- sample data


def _sample_case_studies() -> dict[str, list[tuple[str, Programme]]]:
    cases: dict[str, list[tuple[str, Programme]]] = {}
    for programme in PROGRAMMES:
        rows = cases.setdefault(programme.partner, [])
        rows.append((f"{programme.partner}-C{len(rows) + 1:02d}", programme))
    return cases


def _sample_interviews(rng: random.Random) -> dict[str, list[Interview]]:
    interviews: dict[str, list[Interview]] = {}
    number = 0
    for partner in SAMPLE_PARTNERS:
        plan = SAMPLE_INTERVIEW_PLAN[partner]
        groups = [g for g, n in zip(RESPONDENT_GROUPS, plan, strict=True) for _ in range(n)]
        rng.shuffle(groups)
        countries = list(SAMPLE_INTERVIEW_COUNTRIES[partner])
        rng.shuffle(countries)
        rows = []
        for index, (group, country) in enumerate(zip(groups, countries, strict=True), 1):
            number += 1
            rows.append(new_interview(rng, partner, f"{partner}-I{index:02d}", number, group))
            rows[-1].country = country
        interviews[partner] = rows
    everyone = [iv for rows in interviews.values() for iv in rows]
    assign_answers(everyone, rng, scale=1)
    return interviews


# --------------------------------------------------------------------------- synthetic data


def _synthetic_partners(n_partners: int) -> list[tuple[str, str, str]]:
    """partner_id, name, country: the six consortium partners, then P01, P02, ..."""
    sample_names = {
        "ASTP": "ASTP",
        "NETVAL": "Netval",
        "SOPU": "SOPU Academy",
        "UH": "University of Helsinki",
        "UJ": "Jagiellonian University",
        "UNIBO": "University of Bologna (coordinator)",
    }
    rows = [(pid, sample_names[pid], PARTNER_COUNTRIES[pid]) for pid in SAMPLE_PARTNERS]
    width = max(2, len(str(n_partners - len(SAMPLE_PARTNERS))))
    for k in range(1, n_partners - len(SAMPLE_PARTNERS) + 1):
        country = EXTRA_PARTNER_COUNTRIES[(k - 1) % len(EXTRA_PARTNER_COUNTRIES)]
        rows.append((f"P{k:0{width}d}", f"Synthetic Partner {k:0{width}d}", country))
    return rows


def _synthetic_style(partner: str, index: int) -> FileStyle:
    """Partner i keeps its files like sample partner i mod 6."""
    return SAMPLE_STYLES[SAMPLE_PARTNERS[index % len(SAMPLE_PARTNERS)]]


def _synthetic_interviews(
    rng: random.Random, scale: int, styles: dict[str, FileStyle], countries: dict[str, str]
) -> dict[str, list[Interview]]:
    partners = [pid for pid, style in styles.items() if "interviews" in style.tables]
    groups = [g for g in RESPONDENT_GROUPS for _ in range(GROUP_SIZES[g] * scale)]
    rng.shuffle(groups)
    interviews: dict[str, list[Interview]] = {pid: [] for pid in partners}
    abroad = sorted(COUNTRY_SPELLINGS)
    for number, group in enumerate(groups, 1):
        partner = partners[(number - 1) % len(partners)]
        rows = interviews[partner]
        iv = new_interview(rng, partner, f"{partner}-I{len(rows) + 1:03d}", number, group)
        home = countries[partner] if rng.random() < 0.7 else rng.choice(abroad)
        iv.country = rng.choice(COUNTRY_SPELLINGS[home])
        iv.name = iv.name.replace("Sample", "Synthetic")
        iv.email = iv.email.replace("sample", "synthetic")
        rows.append(iv)
    everyone = [iv for rows in interviews.values() for iv in rows]
    assign_answers(everyone, rng, scale)
    return interviews


def _synthetic_raters(
    interviews: dict[str, list[Interview]], styles: dict[str, FileStyle], wanted: int
) -> dict[str, int]:
    """About ``wanted`` raters, spread evenly over the partners that keep ratings."""
    partners = [pid for pid in interviews if "ratings" in styles[pid].tables]
    raters = {pid: 0 for pid in partners}
    available = sum(len(interviews[pid]) for pid in partners)
    for k in range(min(wanted, available)):
        pid = partners[k % len(partners)]
        while raters[pid] >= len(interviews[pid]):
            k += 1
            pid = partners[k % len(partners)]
        raters[pid] += 1
    return raters


def _synthetic_case_studies(
    rng: random.Random, scale: int, styles: dict[str, FileStyle]
) -> dict[str, list[tuple[str, Programme]]]:
    """Variants of the sample programmes (each one ``scale`` times): other countries,
    durations and a skill more or less, spread over the partners that keep case studies."""
    partners = [pid for pid, style in styles.items() if "case_studies" in style.tables]
    cases: dict[str, list[tuple[str, Programme]]] = {pid: [] for pid in partners}
    for k in range(len(PROGRAMMES) * scale):
        base = PROGRAMMES[k % len(PROGRAMMES)]
        edition = k // len(PROGRAMMES) + 1
        partner = partners[k % len(partners)]
        skills = base.skills.split()
        if rng.random() < 0.3 and len(skills) > 3:
            skills.remove(rng.choice(skills))
        if rng.random() < 0.3:
            skills.append(rng.choice(HARD_SKILLS_TAUGHT))
        if rng.random() < 0.05:
            skills.append(rng.choice(SOFT_SKILLS_RARELY_TAUGHT))
        country = base.country
        if rng.random() < 0.5:
            country = rng.choice(COUNTRY_SPELLINGS[rng.choice(sorted(COUNTRY_SPELLINGS))])
        hours = base.hours
        if hours is not None:
            hours = max(1.0, round(hours * rng.choice((0.5, 0.75, 1, 1.25, 1.5, 2)) * 2) / 2)
        variant = replace(
            base,
            partner=partner,
            programme=f"{base.programme} (synthetic edition {edition})",
            country=country,
            hours=hours,
            skills=" ".join(dict.fromkeys(skills)),
            notes="Synthetic variant of a sample programme.",
        )
        rows = cases[partner]
        rows.append((f"{partner}-C{len(rows) + 1:03d}", variant))
    return cases


def output_is_safe(out: Path) -> bool:
    """True when ``out`` does not exist or is an empty folder (the CLI refuses anything else
    without ``--force``)."""
    return not out.exists() or (out.is_dir() and not any(out.iterdir()))
