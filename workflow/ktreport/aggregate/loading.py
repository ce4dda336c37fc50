"""Stage 2, aggregation, first step: read the tidy tables of ``data/processed/``, typed.

Every table is read as text (``keep_default_na=False``: "NA" is Namibia), then the few
boolean and numeric columns are converted; a missing or unreadable table, or a value that
is not what its column holds, is an ``AggregateError`` that says what to do.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ktreport import contract
from ktreport.core.errors import AggregateError
from ktreport.core.io import restored

_TRUE = frozenset({"true", "yes", "y", "1", "x"})
_FALSE = frozenset({"false", "no", "n", "0"})


def _read_table(processed_dir: Path, name: str) -> pd.DataFrame:
    path = processed_dir / f"{name}.csv"
    columns = contract.PROCESSED_TABLES[name]
    if not path.exists():
        if name == "ratings":  # optional partner table: no file means no ratings
            return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
        raise AggregateError(
            f"{path}: the processed table '{name}' is missing — run the cleaning step "
            "first (snakemake builds it from data/raw/)."
        )
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise AggregateError(f"{path}: cannot be read as UTF-8 CSV ({error}).") from error
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AggregateError(
            f"{path}: column(s) {', '.join(missing)} missing; the processed tables must "
            "have the columns of contract.PROCESSED_TABLES — rebuild them with the cleaning step."
        )
    # A text cell written quoted for spreadsheets ('=…, core.safe) is read as typed.
    return restored(frame[list(columns)].copy())


def _to_bool(values: pd.Series, path: str, column: str) -> pd.Series:
    """true/false (any case, also yes/no, 1/0) → True/False; blank → missing."""

    def convert(text: str) -> bool | None:
        folded = text.strip().lower()
        if folded == "":
            return None
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        raise AggregateError(f"{path}: column {column} holds {text!r}, expected true or false.")

    return pd.Series([convert(v) for v in values], index=values.index, dtype="boolean")


def _to_number(values: pd.Series, path: str, column: str, integer: bool) -> pd.Series:
    numbers = pd.to_numeric(values.str.strip().replace("", None), errors="coerce")
    bad = values[numbers.isna() & (values.str.strip() != "")]
    if not bad.empty:
        raise AggregateError(f"{path}: column {column} holds {bad.iloc[0]!r}, expected a number.")
    return numbers.astype("Int64") if integer else numbers.astype("float64")


def load_processed(processed_dir: Path) -> dict[str, pd.DataFrame]:
    """The tidy tables of ``processed_dir``, typed (booleans, numbers), personal data absent."""
    processed_dir = Path(processed_dir)
    tables = {name: _read_table(processed_dir, name) for name in contract.PROCESSED_TABLES}

    def where(name: str) -> str:
        return str(processed_dir / f"{name}.csv")

    cases = tables["case_studies"]
    cases["duration_hours"] = _to_number(
        cases["duration_hours"], where("case_studies"), "duration_hours", integer=False
    )
    for column in ("certification", "best_practice"):
        cases[column] = _to_bool(cases[column], where("case_studies"), column)
    cases["best_practice"] = cases["best_practice"].fillna(False)

    interviews = tables["interviews"]
    interviews["years_experience"] = _to_number(
        interviews["years_experience"], where("interviews"), "years_experience", integer=True
    )
    for column in ("has_quote", "consent_to_quote"):
        interviews[column] = _to_bool(interviews[column], where("interviews"), column).fillna(False)

    ratings = tables["ratings"]
    for column in ("importance", "proficiency"):
        ratings[column] = _to_number(ratings[column], where("ratings"), column, integer=True)
    return tables
