"""Reading and writing the files stages hand each other, one way each.

Stages meet only through the files the catalog names; the tables a later stage reads are
read here, typed the same way for every reader (figures, chapters, review).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ktreport.catalog import AGGREGATE_NAMES
from ktreport.core.errors import AggregateError

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
