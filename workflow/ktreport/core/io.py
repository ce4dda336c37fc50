"""Reading and writing the files stages hand each other, one way each.

Stages meet only through the files the catalog names; the tables a later stage reads are
read here, typed the same way for every reader (figures, chapters, review).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ktreport.catalog import AGGREGATE_NAMES
from ktreport.core.errors import AggregateError

# How the aggregate CSVs write floats (shares are rounded to 4 decimals before).
FLOAT_FORMAT = "%.4f"

# Columns read back as text whatever they look like ("NA" is Namibia, not a missing value).
TEXT_COLUMNS = frozenset(
    {
        "variable",
        "characteristic",
        "value",
        "label",
        "respondent_group",
        "country",
        "country_name",
        "region",
        "provider_type",
        "delivery_mode",
        "duration_class",
        "audience",
        "case_id",
        "partner_id",
        "programme",
        "provider",
        "skill_id",
        "category",
        "cluster",
        "framework",
        "dimension",
        "format",
        "quadrant",
        "interview_id",
        "quote",
        "skills",
        "url",
    }
)


def read_aggregates(aggregates_dir: Path) -> dict[str, pd.DataFrame]:
    """The aggregate tables written by ``write_aggregates``, typed again (for figures, text)."""
    aggregates_dir = Path(aggregates_dir)
    frames = {}
    for name in AGGREGATE_NAMES:
        path = aggregates_dir / f"{name}.csv"
        if not path.exists():
            raise AggregateError(f"{path}: aggregate table missing — run the aggregation step.")
        header = pd.read_csv(path, nrows=0).columns
        dtypes = {c: "str" for c in header if c in TEXT_COLUMNS}
        frames[name] = pd.read_csv(
            path, dtype=dtypes, keep_default_na=False, na_values=[""], encoding="utf-8"
        )
        for column in dtypes:
            frames[name][column] = frames[name][column].fillna("")
    return frames


def read_key_figures(path: Path) -> dict[str, dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_aggregates(aggregates: Mapping[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """``<out_dir>/<name>.csv`` for every aggregate: rows as given, ``%.4f`` floats, "\\n".

    The aggregation sorts the rows by each table's keys before (``build_aggregates``).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in AGGREGATE_NAMES:
        path = out_dir / f"{name}.csv"
        text = aggregates[name].to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
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
