"""Reading and writing the files stages hand each other, one way each.

Stages meet only through the files the catalog names; the tables a later stage reads are
read here, typed the same way for every reader (figures, chapters, review).

A text cell that a spreadsheet would run as a formula is written with a quote in front
(``neutralised``, by ``core.safe.neutralise``) and read back without it (``restored``): the
CSVs are safe to open in Excel, the report shows the text as typed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ktreport.catalog import AGGREGATE_NAMES
from ktreport.core.errors import AggregateError
from ktreport.core.safe import needs_quote, neutralise, restore

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


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text cells neutralised for spreadsheets (``core.safe``); numbers
    are never touched: only ``str`` values of columns that do not hold numbers."""
    changed = {}
    for column in _text_columns(frame):
        values = frame[column]
        if any(isinstance(v, str) and needs_quote(v) for v in values):
            changed[column] = values.map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return frame.assign(**changed) if changed else frame


def restored(frame: pd.DataFrame) -> pd.DataFrame:
    """The inverse of ``neutralised``, for every reader of the project's own CSVs."""
    for column in _text_columns(frame):
        values = frame[column]
        if any(isinstance(v, str) and v.startswith("'") for v in values):
            frame[column] = values.map(lambda v: restore(v) if isinstance(v, str) else v)
    return frame


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
        restored(frames[name])
    return frames


def read_key_figures(path: Path) -> dict[str, dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_aggregates(aggregates: Mapping[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """``<out_dir>/<name>.csv`` for every aggregate: rows as given, ``%.4f`` floats, "\\n",
    text cells neutralised for spreadsheets.

    The aggregation sorts the rows by each table's keys before (``build_aggregates``).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in AGGREGATE_NAMES:
        path = out_dir / f"{name}.csv"
        text = neutralised(aggregates[name]).to_csv(
            index=False, float_format=FLOAT_FORMAT, lineterminator="\n"
        )
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
