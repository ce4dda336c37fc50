"""Stage 1, parts: one checked partner file as JSON, from the per-table job to the combining one.

A part holds the file's report (problems, preview) and its typed rows, never a personal
column: ``data/processed/parts/`` may be kept and shared like the processed tables.
"""

from __future__ import annotations

import json
from pathlib import Path

from ktreport.core.problems import Problem
from ktreport.ingest.results import FileReport, PartnerFile


def part_to_json(part: PartnerFile, *, with_preview: bool = True) -> str:
    """The part as compact JSON; ``with_preview=False``: without the rows as the partner
    typed them (the validation page's preview, which the build never reads)."""
    report = part.report
    data = {
        "path": report.path,
        "table": report.table,
        "partner_id": report.partner_id,
        "n_rows": report.n_rows,
        "problems": [p.as_dict() for p in report.problems],
        "preview": [
            [number, {k: list(v) for k, v in cells.items()}]
            for number, cells in (report.preview if with_preview else [])
        ],
        "rows": part.rows,
    }
    # Compact: with an indent, json.dumps runs its pure-Python encoder (at 100x the sample,
    # 5 s of the ratings' cleaning); the readable copies are the tables of data/processed/.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text + "\n"


def part_from_json(text: str) -> PartnerFile:
    return part_from_data(json.loads(text))


def part_from_data(data: dict) -> PartnerFile:
    """A part from its parsed JSON."""
    report = FileReport(
        path=data["path"],
        table=data["table"],
        partner_id=data["partner_id"],
        n_rows=data["n_rows"],
        problems=[Problem(**p) for p in data["problems"]],
        preview=[
            (number, {k: tuple(v) for k, v in cells.items()}) for number, cells in data["preview"]
        ],
    )
    return PartnerFile(report=report, rows=data["rows"])


def write_part(part: PartnerFile, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(part_to_json(part), encoding="utf-8", newline="\n")


def read_part(path: Path) -> PartnerFile:
    return part_from_json(path.read_text(encoding="utf-8"))
