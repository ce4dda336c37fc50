"""Stage 2, the briefs' data: which countries (or partners) get a brief, and one *slice* per
brief with its key figures, computed by the report's own aggregation on that brief's rows.

A brief needs at least ``min_cell`` interviewees: below that there is no national sample to
publish, and the unit is only listed as too small. Every figure goes through
``disclosure.protect_key_figures``.

The slices (``data/processed/briefs/<id>.json``, and ``sample.json`` for the whole sample's
side of each brief) are written only when their content changes, so a brief depends on its
own slice and is rebuilt only when its own numbers (or the whole sample's numbers it shows)
change: a new Polish file does not rebuild the Finnish brief unless it moves the numbers
the Finnish brief quotes for the whole sample.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ktreport.aggregate.disclosure import protect_key_figures
from ktreport.aggregate.key_figures import key_figures
from ktreport.aggregate.loading import load_processed
from ktreport.aggregate.tables import aggregate_tables
from ktreport.catalog import BRIEF_SAMPLE_FILE as SAMPLE_FILE
from ktreport.catalog import BRIEF_SLICES_DIR as SLICES
from ktreport.catalog import BRIEF_UNITS_FILE as UNITS_FILE
from ktreport.core.stamps import write_if_changed

Tables = Mapping[str, pd.DataFrame]
KINDS = ("countries", "partners")
# The whole sample's figures a brief shows beside its own (and nothing else, so that a
# change elsewhere that leaves these alone rebuilds no brief).
SAMPLE_PREFIXES = (
    "n_interviews",
    "n_countries_interviews",
    "n_case_studies",
    "n_group_",
    "share_group_",
    "n_required_",
    "n_possessed_",
    "gap_",
)
PROGRAMME_COLUMNS = ("programme", "provider", "provider_type", "delivery_mode", "duration_class")


def _column(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"briefs: {kind!r} is not one of {', '.join(KINDS)}")
    return "country" if kind == "countries" else "partner_id"


def _names(tables: Tables, kind: str) -> dict[str, str]:
    """Unit id -> its name (a country's name, a partner's organisation)."""
    if kind == "partners":
        partners = tables["partners"]
        return dict(zip(partners["partner_id"], partners["name"], strict=True))
    names: dict[str, str] = {}
    for table in ("interviews", "case_studies"):
        frame = tables[table]
        names.update(zip(frame["country"], frame["country_name"], strict=True))
    return names


def brief_units(tables: Tables, kind: str, min_cell: int) -> dict[str, list[dict]]:
    """``{"briefs": [...], "too_small": [...]}``: each unit with interviews, as ``{"id",
    "name", "n_interviews"}``, sorted by id; a brief needs ``min_cell`` interviewees."""
    column = _column(kind)
    names = _names(tables, kind)
    counts = tables["interviews"][column].value_counts()
    units = [
        {"id": str(unit), "name": str(names.get(unit, unit)), "n_interviews": int(n)}
        for unit, n in sorted(counts.items())
    ]
    return {
        "briefs": [u for u in units if u["n_interviews"] >= min_cell],
        "too_small": [u for u in units if u["n_interviews"] < min_cell],
    }


def unit_tables(tables: Tables, kind: str, unit: str) -> dict[str, pd.DataFrame]:
    """The processed tables restricted to one unit's interviews and case studies (and the
    rows that belong to them); the reference tables (skills, partners) stay whole."""
    column = _column(kind)
    out = dict(tables)
    interviews = tables["interviews"][tables["interviews"][column] == unit]
    cases = tables["case_studies"][tables["case_studies"][column] == unit]
    out["interviews"], out["case_studies"] = interviews, cases
    ids, case_ids = set(interviews["interview_id"]), set(cases["case_id"])
    for name in ("interview_skills", "preferred_formats", "ratings", "quotes"):
        frame = tables[name]
        out[name] = frame[frame["interview_id"].isin(ids)]
    skills_of_cases = tables["case_study_skills"]
    out["case_study_skills"] = skills_of_cases[skills_of_cases["case_id"].isin(case_ids)]
    return {name: frame.reset_index(drop=True) for name, frame in out.items()}


def _figures(tables: Tables) -> dict[str, dict]:
    aggregates = aggregate_tables(tables)
    return key_figures(aggregates, tables)


def _programmes(tables: Tables) -> list[dict[str, Any]]:
    cases = tables["case_studies"].sort_values("case_id", kind="mergesort")
    return [{c: str(row[c]) for c in PROGRAMME_COLUMNS} for _, row in cases.iterrows()]


def unit_slice(tables: Tables, kind: str, unit: Mapping[str, Any], min_cell: int) -> dict:
    """One brief's data: the unit, its protected key figures, its programmes."""
    own = unit_tables(tables, kind, str(unit["id"]))
    return {
        "unit": {"kind": kind, **dict(unit)},
        "min_cell": int(min_cell),
        "key_figures": protect_key_figures(_figures(own), min_cell),
        "programmes": _programmes(own),
    }


def sample_slice(tables: Tables, units: Mapping[str, list], kind: str, min_cell: int) -> dict:
    """The whole sample's side of every brief: its protected key figures (those a brief
    shows) and which units have a brief and which are too small for one."""
    figures = {
        name: figure
        for name, figure in _figures(tables).items()
        if name.startswith(SAMPLE_PREFIXES)
    }
    return {
        "kind": kind,
        "min_cell": int(min_cell),
        "key_figures": protect_key_figures(figures, min_cell),
        "skills": {
            str(row["skill_id"]): {"label": str(row["label"]), "category": str(row["category"])}
            for _, row in tables["skills"].iterrows()
        },
        **{key: list(value) for key, value in units.items()},
    }


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_slices(
    processed_dir: Path, out_dir: Path, kind: str, min_cell: int
) -> dict[str, list[dict]]:
    """The rule slice_briefs: ``out_dir/slices/<id>.json`` per brief and
    ``out_dir/sample.json`` (each written only when changed; the slice of a unit that no
    longer has a brief removed), then ``out_dir/units.json`` (the rule's output)."""
    tables = load_processed(Path(processed_dir))
    units = brief_units(tables, kind, min_cell)
    out_dir = Path(out_dir)
    write_if_changed(out_dir / SAMPLE_FILE, _dumps(sample_slice(tables, units, kind, min_cell)))
    slices_dir = out_dir / SLICES
    wanted = {unit["id"] for unit in units["briefs"]}
    for unit in units["briefs"]:
        data = unit_slice(tables, kind, unit, min_cell)
        write_if_changed(slices_dir / f"{unit['id']}.json", _dumps(data))
    for stale in slices_dir.glob("*.json"):
        if stale.stem not in wanted:
            stale.unlink()
    units_text = _dumps({"kind": kind, "min_cell": int(min_cell), **units})
    (out_dir / UNITS_FILE).write_text(units_text, encoding="utf-8", newline="")
    return units
