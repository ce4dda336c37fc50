"""Stage 1, cross-file checks: all checked partner files -> every problem and the tidy tables.

``combine`` runs what one file alone cannot tell: partner files named after a partner of
``partners.csv``, the pandera schema over all files of a table (``schema``: identifiers
unique across partners), ratings of interviews that exist; then builds the tidy tables
(``tables``). ``combine_parts`` is the combining pipeline step, reading the bundles of parts
the per-table jobs wrote (``table_parts``).
"""

from __future__ import annotations

import difflib
import functools
from collections import defaultdict
from pathlib import Path

from ktreport.catalog import PARTNERS_FILE
from ktreport.contract import PARTNER_TABLES
from ktreport.core.problems import Problem, sort_problems
from ktreport.ingest.checks import odd_entry_problems
from ktreport.ingest.references import References, load_references
from ktreport.ingest.results import PartnerFile, ValidationResult
from ktreport.ingest.schema import schema_problems
from ktreport.ingest.table_parts import read_bundle
from ktreport.ingest.tables import build_tables


def combine(parts: list[PartnerFile], references: References) -> ValidationResult:
    """Schema and cross-file checks over every partner file, and the tidy tables."""
    parts = sorted(parts, key=lambda p: (p.report.table, p.report.path))
    problems: list[Problem] = list(references.problems)
    extra: dict[str, list[Problem]] = defaultdict(list)  # file -> cross-file problems
    for part in parts:
        problems.extend(part.report.problems)
    known_partners = sorted(references.partners)
    for part in parts:
        report = part.report
        if references.partners and report.partner_id not in references.partners:
            close = difflib.get_close_matches(report.partner_id, known_partners, n=1, cutoff=0.6)
            hint = (
                (f"did you mean {close[0]}? " if close else "")
                + f"name the file after a partner_id of {PARTNERS_FILE}: "
                + ", ".join(known_partners)
            )
            extra[report.path].append(
                Problem(
                    report.path,
                    None,
                    None,
                    f"'{report.partner_id}' is not a partner_id of {PARTNERS_FILE}",
                    hint,
                )
            )
    for table_name, table in PARTNER_TABLES.items():
        table_parts = [p for p in parts if p.report.table == table_name]
        if table_parts:
            for problem in schema_problems(table, table_parts):
                extra[problem.file].append(problem)
    for problem in _rating_reference_problems(parts):
        extra[problem.file].append(problem)
    for file_problems in extra.values():
        problems.extend(file_problems)
    by_file = {p.report.path: p.report for p in parts}
    for path, file_problems in extra.items():
        if path in by_file:
            report = by_file[path]
            report.problems = sort_problems(report.problems + file_problems)
    return ValidationResult(
        problems=sort_problems(_dedupe(problems)),
        files=[p.report for p in sorted(parts, key=lambda p: p.report.path)],
        build_tables=functools.partial(build_tables, parts, references),
    )


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen = set()
    unique = []
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            unique.append(problem)
    return unique


def _rating_reference_problems(parts: list[PartnerFile]) -> list[Problem]:
    interviews = [part for part in parts if part.report.table == "interviews"]
    interview_ids = {row.get("interview_id") for part in interviews for row in part.rows}
    # An interviews file that could not be read would make every rating of its interviews
    # an error; say once that the check waits for that file instead.
    unreadable = sorted(
        part.report.path
        for part in interviews
        if not part.rows
        and any(p.row is None and p.severity == "error" for p in part.report.problems)
    )
    problems = []
    for part in parts:
        if part.report.table != "ratings":
            continue
        missing = [
            row
            for row in part.rows
            if row.get("interview_id") and row.get("interview_id") not in interview_ids
        ]
        if missing and unreadable:
            problems.append(
                Problem(
                    part.report.path,
                    None,
                    None,
                    f"{len(missing)} ratings name interviews that are in no readable "
                    f"interviews file; they are checked once {', '.join(unreadable)} "
                    "can be read",
                    "fix the problems of that file first",
                    "warning",
                )
            )
            continue
        for row in missing:
            interview_id = row["interview_id"]
            problems.append(
                Problem(
                    part.report.path,
                    row["_row"],
                    "interview_id",
                    f"'{interview_id}' is not an interview_id of any interviews file",
                    "rate only interviews listed in data/raw/interviews/, "
                    "with the same interview_id",
                    value=interview_id,
                )
            )
    return problems


def combine_parts(
    part_paths: list[Path],
    partners_path: Path,
    taxonomy_path: Path,
    root: Path | None = None,
    raw_dir: Path | None = None,
) -> ValidationResult:
    """Every table's bundle of parts (``table_parts``) -> the cross-file checks and the tidy
    tables: the combining pipeline step.

    The links, folders and special files of ``raw_dir`` (by default the folder of
    ``partners_path``) where partner files should be are errors here too: the per-file
    steps never see them, as discovery leaves them out.
    """
    references = load_references(partners_path, taxonomy_path, root)
    parts = [part for path in part_paths for part in read_bundle(Path(path))]
    result = combine(parts, references)
    odd = odd_entry_problems(Path(partners_path).parent if raw_dir is None else raw_dir, root)
    if odd:
        result.problems = sort_problems(result.problems + odd)
    return result
