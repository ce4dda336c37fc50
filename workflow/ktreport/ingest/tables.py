"""Stage 1, tidy tables: validated partner rows -> the tidy tables of ``data/processed/``.

The shapes are ``contract.PROCESSED_TABLES`` (columns in that order) and the row order
``contract.PROCESSED_KEYS``. The CSV text is fixed by construction (UTF-8, "\\n", numbers
without a trailing ".0", booleans as true/false, blanks empty), so two runs on the same
data give the same bytes and a ``git diff`` of two versions shows only real changes. A
text cell that a spreadsheet would run as a formula (``=HYPERLINK(…)``) is written with a
quote in front (``core.safe``); the readers of these tables take it off again.
No personal column ever reaches these tables: the rows arrive without them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ktreport.catalog import PROBLEMS_FILE
from ktreport.contract import (
    DURATION_CLASSES,
    DURATION_UNKNOWN,
    PROCESSED_KEYS,
    PROCESSED_TABLES,
)
from ktreport.core.problems import PROBLEM_COLUMNS, Problem, sort_problems
from ktreport.core.safe import neutralise
from ktreport.ingest import countries
from ktreport.ingest.cells import format_number
from ktreport.ingest.references import References
from ktreport.ingest.results import PartnerFile

if TYPE_CHECKING:  # pragma: no cover
    # pandas and numpy are imported inside the functions: the per-file jobs import this
    # package (``ktreport.ingest``) and must not pay for them.
    import pandas as pd

# Column kinds of the processed tables (everything else is text).
NUMBER_COLUMNS = {"duration_hours"}
INTEGER_COLUMNS = {"years_experience", "importance", "proficiency"}
BOOLEAN_COLUMNS = {"certification", "best_practice", "has_quote", "consent_to_quote"}


def duration_class(hours: float | None) -> str:
    """The class label of a programme's duration (``contract.DURATION_CLASSES``)."""
    if hours is None:
        return DURATION_UNKNOWN
    for label, upper in DURATION_CLASSES:
        if hours <= upper:
            return label
    return DURATION_CLASSES[-1][0]


def build_tables(parts: list[PartnerFile], references: References) -> dict[str, pd.DataFrame]:
    """Every table of ``PROCESSED_TABLES`` from the checked partner files."""
    records: dict[str, list[dict[str, Any]]] = {name: [] for name in PROCESSED_TABLES}
    for partner_id, partner in sorted(references.partners.items()):
        records["partners"].append({"partner_id": partner_id, **partner})
    for skill in references.taxonomy.skills.values():
        records["skills"].append(
            {
                "skill_id": skill.skill_id,
                "label": skill.label,
                "category": skill.category,
                "cluster": skill.cluster,
                "framework": skill.framework,
            }
        )
    for part in parts:
        partner_id = part.report.partner_id
        table = part.report.table
        for row in part.rows:
            if table == "case_studies":
                _case_study(row, partner_id, records)
            elif table == "interviews":
                _interview(row, partner_id, records)
            elif table == "ratings" and row.get("interview_id") and row.get("skill"):
                records["ratings"].append(
                    {
                        "interview_id": row["interview_id"],
                        "skill_id": row["skill"],
                        "importance": row.get("importance"),
                        "proficiency": row.get("proficiency"),
                    }
                )
    return {name: _to_frame(name, rows) for name, rows in records.items()}


def _place(code: str | None) -> dict[str, str | None]:
    if not code:
        return {"country": None, "country_name": None, "region": None}
    return {
        "country": code,
        "country_name": countries.name_of(code),
        "region": countries.REGION_OF.get(code),
    }


def _case_study(row, partner_id, records) -> None:
    case_id = row.get("case_id")
    records["case_studies"].append(
        {
            "case_id": case_id,
            "partner_id": partner_id,
            "programme": row.get("programme"),
            "provider": row.get("provider"),
            "provider_type": row.get("provider_type"),
            **_place(row.get("country")),
            "delivery_mode": row.get("delivery_mode"),
            "duration_hours": row.get("duration_hours"),
            "duration_class": duration_class(row.get("duration_hours")),
            "audience": row.get("audience"),
            "certification": row.get("certification"),
            "best_practice": row.get("best_practice"),
            "url": row.get("url"),
            "notes": row.get("notes"),
        }
    )
    for skill_id in row.get("skills") or ():
        records["case_study_skills"].append({"case_id": case_id, "skill_id": skill_id})


def _interview(row, partner_id, records) -> None:
    interview_id = row.get("interview_id")
    place = _place(row.get("country"))
    records["interviews"].append(
        {
            "interview_id": interview_id,
            "partner_id": partner_id,
            "respondent_group": row.get("respondent_group"),
            **place,
            "interview_date": row.get("interview_date"),
            "years_experience": row.get("years_experience"),
            "gender": row.get("gender"),
            "has_quote": bool(row.get("has_quote")),
            "consent_to_quote": bool(row.get("consent_to_quote")),
        }
    )
    for dimension in ("possessed", "required", "desirable"):
        for skill_id in row.get(f"skills_{dimension}") or ():
            records["interview_skills"].append(
                {"interview_id": interview_id, "skill_id": skill_id, "dimension": dimension}
            )
    for training_format in row.get("preferred_formats") or ():
        records["preferred_formats"].append(
            {"interview_id": interview_id, "format": training_format}
        )
    if row.get("quote") and row.get("consent_to_quote"):
        records["quotes"].append(
            {
                "interview_id": interview_id,
                "respondent_group": row.get("respondent_group"),
                "country": place["country"],
                "quote": row["quote"],
            }
        )


def _sort_key(value: Any) -> tuple:
    return (value is None, "" if value is None else str(value))


def _to_frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    columns = PROCESSED_TABLES[name]
    keys = PROCESSED_KEYS[name]
    unique = {tuple(row.get(c) for c in columns): row for row in rows}.values()
    ordered = sorted(
        unique, key=lambda row: tuple(_sort_key(row.get(k)) for k in (*keys, *columns))
    )
    data: dict[str, Any] = {}
    for column in columns:
        values = [row.get(column) for row in ordered]
        if column in NUMBER_COLUMNS:
            data[column] = pd.array(values, dtype="Float64")
        elif column in INTEGER_COLUMNS:
            data[column] = pd.array(values, dtype="Int64")
        elif column in BOOLEAN_COLUMNS:
            data[column] = pd.array(values, dtype="boolean")
        else:
            data[column] = pd.array(values, dtype="str")
    return pd.DataFrame(data, columns=list(columns))


# ----------------------------------------------------------------------------- writing


def format_value(value: Any) -> str:
    """One cell of a processed CSV: blank for missing, true/false, 21 not 21.0."""
    import numpy as np
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return format_number(float(value))
    return str(value)


def _csv_cell(value: Any) -> str:
    """``format_value``, and a text cell a spreadsheet would run as a formula quoted
    (``core.safe.neutralise``); numbers, booleans and dates are never text here."""
    return neutralise(value) if isinstance(value, str) else format_value(value)


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """CSV text with "\n" line ends; text cells neutralised for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()


def table_text(name: str, frame: pd.DataFrame) -> str:
    columns = list(PROCESSED_TABLES[name])
    frame = frame.reindex(columns=columns)
    return csv_text(columns, frame.itertuples(index=False, name=None))


def problems_text(problems: Iterable[Problem]) -> str:
    rows = [[getattr(p, c) for c in PROBLEM_COLUMNS] for p in sort_problems(problems)]
    return csv_text(PROBLEM_COLUMNS, rows)


def _write(path: Path, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def write_table(name: str, frame: pd.DataFrame, path: Path) -> Path:
    """Write one processed table as CSV."""
    return _write(path, table_text(name, frame))


def write_problems(problems: Iterable[Problem], path: Path) -> Path:
    return _write(path, problems_text(problems))


def write_processed(
    tables: dict[str, pd.DataFrame], out_dir: Path, problems: Iterable[Problem] = ()
) -> list[Path]:
    """Write every ``PROCESSED_TABLES`` CSV and ``problems.csv`` into ``out_dir``."""
    out_dir = Path(out_dir)
    written = [
        write_table(name, tables[name], out_dir / f"{name}.csv") for name in PROCESSED_TABLES
    ]
    written.append(write_problems(problems, out_dir / PROBLEMS_FILE))
    return written
