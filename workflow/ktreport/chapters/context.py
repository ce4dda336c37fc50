"""Stage 4a, the render context: what the templates see, read from the files of the earlier
stages (key figures, aggregates, processed tables, the figures manifest), and its JSON copy
``report/_build/render_context.json``, which stage 4b reads.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ktreport.chapters.keyfigures import KeyFigure, load_key_figures
from ktreport.chapters.markdown import is_missing
from ktreport.core.io import restored


def _read_csv(path: Path) -> pd.DataFrame:
    # Only an empty cell is missing: "NA" is Namibia's country code, not a missing value.
    # A text cell written quoted for spreadsheets ('=…, core.safe) is read as typed.
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""], encoding="utf-8")
    return restored(frame)


# The most rows each list that grows with the data shows (config "lists"; the defaults of
# workflow/schemas/config.schema.yaml, for a context made without the workflow's config).
LIST_DEFAULTS = {
    "case_studies": 30,
    "best_practices": 10,
    "interview_countries": 25,
    "build_partners": 30,
}


def build_context(
    *,
    config: Mapping[str, Any],
    build: Mapping[str, Any],
    key_figures: Path,
    figures_manifest: Path,
    aggregates_dir: Path | None = None,
    processed_dir: Path | None = None,
) -> dict[str, Any]:
    """The render context: ``kf``, ``tables`` (aggregates), ``data`` (processed tables),
    ``figures`` (manifest by id), ``skills`` (id → label), ``config``, ``build``."""
    manifest = json.loads(Path(figures_manifest).read_text(encoding="utf-8"))
    entries = manifest["figures"] if isinstance(manifest, Mapping) else manifest
    figures = {entry["id"]: dict(entry) for entry in entries}
    tables = {}
    if aggregates_dir is not None and Path(aggregates_dir).is_dir():
        tables = {p.stem: _read_csv(p) for p in sorted(Path(aggregates_dir).glob("*.csv"))}
    data = {}
    if processed_dir is not None and Path(processed_dir).is_dir():
        data = {p.stem: _read_csv(p) for p in sorted(Path(processed_dir).glob("*.csv"))}
    skills: dict[str, str] = {}
    if "skills" in data:
        skills = dict(zip(data["skills"]["skill_id"], data["skills"]["label"], strict=True))
    return {
        "kf": load_key_figures(key_figures),
        "tables": tables,
        "data": data,
        "figures": figures,
        "skills": skills,
        "config": {
            **config,
            "archival_pdf": bool(config.get("archival_pdf", False)),
            "lists": {**LIST_DEFAULTS, **dict(config.get("lists") or {})},
        },
        "build": dict(build),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, KeyFigure):
        return {
            "value": value.value,
            "definition": value.definition,
            "n": value.n,
            "denominator": value.denominator,
            "unit": value.unit,
        }
    if isinstance(value, pd.DataFrame):
        return [
            {k: (None if is_missing(v) else v) for k, v in record.items()}
            for record in value.to_dict(orient="records")
        ]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


# Not written to the render context's file: the processed tables (``data``) are already in
# data/processed/, and the renderers read only the config and build; at 100x the sample
# they were 18 of its 25 MB, read by every render and scanned by the guard.
NOT_DUMPED = ("data",)


def dump_context(context: Mapping[str, Any], path: Path) -> None:
    """Write the render context as JSON (sorted keys), for the renderers and for inspection,
    without the processed tables (``NOT_DUMPED``)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    kept = {key: value for key, value in context.items() if key not in NOT_DUMPED}
    text = json.dumps(_jsonable(kept), indent=1, sort_keys=True, ensure_ascii=False)
    Path(path).write_text(text + "\n", encoding="utf-8")
