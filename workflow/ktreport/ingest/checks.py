"""Stage 1, one-file checks: a partner file -> its typed rows and problems (``PartnerFile``).

``check_partner_file`` reads the file (``readers``), checks its header against the contract,
parses each cell by its column's kind (``cells``), drops the personal columns after using
them to anonymise the quote and to find them in the row's other cells (``personal_row``),
and keeps a preview for the partner-readable validation report.
``clean_partner_file`` stores one file's result as a part (``parts``); the pipeline's
per-table step (``table_parts``) runs the checks of each changed file. Standard library
only (no pandas), so that step starts quickly.
"""

from __future__ import annotations

import difflib
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from ktreport import contract
from ktreport.catalog import entry_kind, odd_partner_entries
from ktreport.contract import PARTNER_TABLES, Column, Table
from ktreport.core.problems import Problem, sort_problems
from ktreport.ingest import suggestions
from ktreport.ingest.capped import ProblemCap
from ktreport.ingest.cells import parse_cell
from ktreport.ingest.lookalikes import visible
from ktreport.ingest.parts import write_part
from ktreport.ingest.personal_row import settle_personal
from ktreport.ingest.readers import RawRow, RawTable, read_table
from ktreport.ingest.results import FileReport, PartnerFile, display_path
from ktreport.ingest.spelling import header_key
from ktreport.ingest.taxonomy import Taxonomy, load_taxonomy

# Rows of each file kept in the preview of the partner-readable validation report.
PREVIEW_ROWS = 1000


def _column_problem(column: Column, text: str) -> str:
    return "" if column.is_personal else text


def check_partner_file(
    paths: list[Path],
    table_name: str,
    partner_id: str,
    taxonomy: Taxonomy | None,
    root: Path | None = None,
) -> PartnerFile:
    """Read and parse one partner file (the first of ``paths``; more is a problem).

    ``taxonomy`` None (or empty) skips skill matching: a broken taxonomy is reported once,
    by ``load_references``, not once per skill.
    """
    table = PARTNER_TABLES[table_name]
    if taxonomy is not None and len(taxonomy) == 0:
        taxonomy = None
    path = paths[0]
    display = display_path(path, root)
    problems: list[Problem] = []
    for extra in paths[1:]:
        problems.append(
            Problem(
                display_path(extra, root),
                None,
                None,
                f"{partner_id} has two files for {table_name}: this one is ignored and "
                f"{path.name} is read",
                "keep one file per partner and table",
            )
        )
    unreadable = _regular_file_problem(path, display)
    if unreadable is not None:
        report = FileReport(
            path=display,
            table=table_name,
            partner_id=partner_id,
            n_rows=0,
            problems=sort_problems([*problems, unreadable]),
            preview=[],
        )
        return PartnerFile(report=report, rows=[])
    raw = read_table(
        path,
        display,
        table.column_names,
        table.required_columns,
        sheet_name=table_name,
    )
    problems.extend(raw.problems)
    if raw.header_row is not None:
        problems.extend(_header_problems(raw, table, display))
        if not raw.rows and not raw.problems:
            problems.append(
                Problem(
                    display,
                    None,
                    None,
                    "the file has column names but no rows of data",
                    "add one row per record below the column names, or delete the file",
                )
            )
    rows: list[dict[str, Any]] = []
    preview: list[tuple[int, dict[str, tuple[str, str]]]] = []
    cap = ProblemCap(display)
    for raw_row in raw.rows:
        typed, shown = _typed_row(raw, raw_row, table, taxonomy, problems, cap)
        rows.append(typed)
        if len(preview) < PREVIEW_ROWS:
            preview.append((raw_row.number, shown))
    problems.extend(cap.summaries())
    report = FileReport(
        path=display,
        table=table_name,
        partner_id=partner_id,
        n_rows=len(rows),
        problems=sort_problems(problems),
        preview=preview,
    )
    return PartnerFile(report=report, rows=rows)


def _typed_row(
    raw: RawTable,
    raw_row: RawRow,
    table: Table,
    taxonomy: Taxonomy | None,
    problems: list[Problem],
    cap: ProblemCap,
) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    """One row: its typed values (no personal column) and its preview; problems appended
    (a column's first ones, the others counted by ``cap``)."""
    display = raw.display
    typed: dict[str, Any] = {"_row": raw_row.number}
    bad: list[str] = [c for c in table.required_columns if c not in raw.headers]
    shown: dict[str, tuple[str, str]] = {}
    start = len(problems)
    for column in table.columns:
        if column.name not in raw.headers:
            if not column.is_personal:
                typed[column.name] = parse_cell(column, "", taxonomy).value
            continue
        text = raw_row.cells.get(column.name, "")
        if "\x00" in text:
            problems.append(_nul_problem(display, raw_row.number, column, text))
            text = text.replace("\x00", "").strip()
            bad.append(column.name)
        with suggestions.suspended() if not cap.admits(column.name) else nullcontext():
            parsed = parse_cell(column, text, taxonomy, decimal_comma=raw.delimiter == ";")
        value = None  # the cell as shown in a problem, made once per cell (a cell of 10,000
        # characters can hold hundreds of unknown skills)
        for severity, message, hint in parsed.problems:
            if not cap.admits(column.name):
                cap.count(raw_row.number, column.name, severity, message, hint)
                continue
            cap.listed(column.name)
            if value is None:
                value = _column_problem(column, visible(text))
            problems.append(
                Problem(display, raw_row.number, column.name, message, hint, severity, value)
            )
        if parsed.bad:
            bad.append(column.name)
        if column.is_personal:
            continue
        typed[column.name] = parsed.value
        shown[column.name] = (visible(text), parsed.understood)
    if table is contract.INTERVIEWS:
        settle_personal(
            display, raw_row.number, raw_row.cells, typed, shown, problems, start,
            table.personal_columns,
        )  # fmt: skip
    typed["_bad"] = sorted(set(bad))
    return typed, shown


def _nul_problem(display: str, row: int, column: Column, text: str) -> Problem:
    """A NUL in a cell: reported there, and the cell read without it (not the file refused)."""
    return Problem(
        display,
        row,
        column.name,
        "the cell holds a NUL character (an invisible zero byte, left by a damaged file or a "
        "faulty export)",
        "retype the text of this cell; copying and pasting it may carry the character along",
        "error",
        _column_problem(column, visible(text.replace("\x00", ""))),
    )


def _header_problems(raw: RawTable, table: Table, display: str) -> list[Problem]:
    problems = []
    for name in table.required_columns:
        if name not in raw.headers:
            column = table.column(name)
            problems.append(
                Problem(
                    display,
                    raw.header_row,
                    name,
                    f"the required column '{name}' is missing",
                    f"add a column named {name} to the header row (row {raw.header_row}): "
                    f"{column.description}",
                )
            )
    names = list(table.column_names)
    for written in raw.unknown_columns:
        close = difflib.get_close_matches(header_key(written), names, n=1, cutoff=0.75)
        if close and close[0] not in raw.headers:
            hint = f"did you mean '{close[0]}'?"
        else:
            hint = f"the columns of {table.name} are listed in docs/data-dictionary.md"
        problems.append(
            Problem(
                display,
                raw.header_row,
                written,
                f"unknown column '{written}' is ignored",
                hint,
                "warning",
            )
        )
    return problems


# What a link, a folder or a special file is, said to the partner who put it there.
_ODD_KINDS = {
    "link": "a link, not a file: partner files are read only as real files inside data/raw/",
    "folder": "a folder, not a partner file: nothing in it is read",
    "pipe": "a named pipe (FIFO), not a partner file: it is not read",
    "socket": "a socket, not a partner file: it is not read",
    "device": "a device, not a partner file: it is not read",
    "other": "not a regular file: it is not read",
}
_ODD_HINTS = {
    "link": "copy the file itself here, in place of the link",
    "folder": "move the files it holds into the table's folder (one per partner), or remove it",
}


def odd_entry_problem(display: str, kind: str, is_table_folder: bool = False) -> Problem:
    """The error for what stands where a partner file (or a table's folder) should be."""
    what = _ODD_KINDS.get(kind, _ODD_KINDS["other"])
    if is_table_folder:
        return Problem(
            display,
            None,
            None,
            f"this table's folder is {what.split(',')[0].split(':')[0]}: no file in it is read",
            "put a real folder here, holding the partner files",
        )
    hint = _ODD_HINTS.get(kind, "put the partner's file here instead, or remove this entry")
    return Problem(display, None, None, f"this is {what}", hint)


def odd_entry_problems(raw_dir: Path, root: Path | None = None) -> list[Problem]:
    """An error for each link, folder or special file where partner files should be."""
    return [
        odd_entry_problem(entry_display(path, root), kind, path.name in PARTNER_TABLES)
        for path, kind in odd_partner_entries(raw_dir)
    ]


def entry_display(path: Path, root: Path | None = None) -> str:
    """How problems name ``path`` itself: a link by its own name, not by its target's."""
    folder = display_path(path.parent, root)
    return path.name if folder == "." else f"{folder}/{path.name}"


def _regular_file_problem(path: Path, display: str) -> Problem | None:
    """None for a regular file; else the problem, without opening it (a pipe would block)."""
    kind = entry_kind(path)
    if kind == "file":
        return None
    if kind == "missing":
        return Problem(display, None, None, "there is no such file")
    return odd_entry_problem(display, kind)


def clean_partner_file(
    raw_paths: list[Path],
    table_name: str,
    partner_id: str,
    taxonomy_path: Path,
    part_path: Path,
    root: Path | None = None,
) -> FileReport:
    """One partner file -> its part (JSON) at ``part_path``: the per-file pipeline step.

    The taxonomy's own problems are left to ``combine_parts`` (reported once, not per file).
    """
    taxonomy, _ = load_taxonomy(taxonomy_path, display_path(taxonomy_path, root))
    part = check_partner_file(list(raw_paths), table_name, partner_id, taxonomy, root)
    write_part(part, part_path)
    return part.report
