"""Review aid, after the pipeline: the partner data of two versions, row by row.

Each partner and reference file of ``data/raw/`` is read as the pipeline reads it
(``ktreport.ingest.readers``) and its rows are matched by id: rows added, removed and
modified, with the cells that changed. Personal columns of the contract are never read
into a change, and a quote is shown only where the interviewee consented to being quoted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ktreport import contract
from ktreport.ingest import readers
from ktreport.review.changes import CellChange, FileChange, RowChange, Status
from ktreport.review.tree import REFERENCE_TABLES, Snapshot

WITHHELD_QUOTE = "[quote withheld: no consent to quote]"
# The columns that identify a row of each partner table (ratings have no single id).
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "case_studies": ("case_id",),
    "interviews": ("interview_id",),
    "ratings": ("interview_id", "skill"),
}


@dataclass(frozen=True)
class RawTable:
    """A partner file as text: contract column names and rows keyed by their id."""

    columns: tuple[str, ...]
    rows: dict[str, tuple[int, dict[str, str]]]  # key -> (spreadsheet row, column -> text)
    ignored_columns: tuple[str, ...] = ()
    error: str = ""


def load_raw_table(path: Path, table: str) -> RawTable:
    """Rows of a partner or reference file keyed by id, read as the pipeline reads them
    (``ktreport.ingest.readers``: header row found, header spellings matched, cells as text).

    Personal columns are never kept; a quote is kept only when consent to quote is "yes"."""
    if table in contract.PARTNER_TABLES:
        spec = contract.PARTNER_TABLES[table]
        columns, required = spec.column_names, spec.required_columns
        known = [c for c in columns if c not in spec.personal_columns]
        key_columns = ROW_KEYS[table]
    else:
        key_column, columns = next(
            (key, cols)
            for name, (key, cols) in REFERENCE_TABLES.items()
            if Path(name).stem == table
        )
        required, known, key_columns = (key_column,), list(columns), (key_column,)
    try:
        raw = readers.read_table(path, path.name, columns, required, sheet_name=table)
    except Exception as error:  # a damaged file is a change to report, not a crash
        return RawTable((), {}, error=f"could not be read ({type(error).__name__}: {error})")
    if raw.header_row is None:
        reasons = "; ".join(p.message for p in raw.problems) or "no header row"
        return RawTable((), {}, error=f"could not be read ({reasons})")
    present = tuple(c for c in known if c in raw.headers)
    keyed: dict[str, tuple[int, dict[str, str]]] = {}
    for row in raw.rows:
        values = {c: row.cells.get(c, "") for c in present}
        if table == "interviews" and values.get("quote"):
            consent = values.get("consent_to_quote", "").strip().lower()
            if consent not in contract.YES_VALUES:
                values["quote"] = WITHHELD_QUOTE
        key = " / ".join(values.get(c, "") for c in key_columns)
        if not key.replace(" / ", "").strip():
            key = f"(row {row.number}, no id)"
        unique, occurrence = key, 1
        while unique in keyed:
            occurrence += 1
            unique = f"{key} (#{occurrence})"
        keyed[unique] = (row.number, values)
    return RawTable(present, keyed, tuple(sorted(raw.unknown_columns)))


def compare_raw_file(
    table: str,
    name: str,
    old_path: Path | None,
    new_path: Path | None,
    root_old: Path,
    root_new: Path,
) -> FileChange:
    """Rows added, removed and modified (by id) between two versions of one partner file."""
    old_rel = old_path.relative_to(root_old).as_posix() if old_path else ""
    new_rel = new_path.relative_to(root_new).as_posix() if new_path else ""
    empty = RawTable((), {})
    before = load_raw_table(old_path, table) if old_path else empty
    after = load_raw_table(new_path, table) if new_path else empty
    common = tuple(c for c in after.columns if c in before.columns)
    added = tuple(
        _row(key, None, after.rows[key], after.columns)
        for key in sorted(after.rows.keys() - before.rows.keys())
    )
    removed = tuple(
        _row(key, before.rows[key], None, before.columns)
        for key in sorted(before.rows.keys() - after.rows.keys())
    )
    modified = []
    for key in sorted(before.rows.keys() & after.rows.keys()):
        old_values, new_values = before.rows[key][1], after.rows[key][1]
        cells = tuple(
            CellChange(c, old_values[c], new_values[c])
            for c in common
            if old_values[c].strip() != new_values[c].strip()
        )
        if cells:
            shown = tuple((c, new_values.get(c, "")) for c in after.columns)
            modified.append(RowChange(key, before.rows[key][0], after.rows[key][0], shown, cells))
    columns_added = tuple(c for c in after.columns if c not in before.columns)
    columns_removed = tuple(c for c in before.columns if c not in after.columns)
    note = "; ".join(
        f"{side} version {error}"
        for side, error in (("old", before.error), ("new", after.error))
        if error
    )
    if old_path is None:
        status: Status = "added"
    elif new_path is None:
        status = "removed"
    elif (
        added
        or removed
        or modified
        or columns_added
        or columns_removed
        or note
        or old_rel != new_rel
    ):
        status = "changed"
    else:
        status = "unchanged"
    return FileChange(
        table=table,
        name=name,
        old_path=old_rel,
        new_path=new_rel,
        status=status,
        columns=after.columns or before.columns,
        columns_added=columns_added,
        columns_removed=columns_removed,
        ignored_columns=tuple(sorted(set(before.ignored_columns) | set(after.ignored_columns))),
        rows_added=added,
        rows_removed=removed,
        rows_modified=tuple(modified),
        rows_old=len(before.rows),
        rows_new=len(after.rows),
        note=note,
    )


def _row(
    key: str,
    before: tuple[int, dict[str, str]] | None,
    after: tuple[int, dict[str, str]] | None,
    columns: Sequence[str],
) -> RowChange:
    values = (after or before or (0, {}))[1]
    return RowChange(
        key=key,
        old_row=before[0] if before else None,
        new_row=after[0] if after else None,
        cells=tuple((c, values.get(c, "")) for c in columns),
    )


def compare_raw(old: Snapshot, new: Snapshot) -> list[FileChange]:
    old_files, new_files = old.raw_files(), new.raw_files()
    order = {name: index for index, name in enumerate(contract.PARTNER_TABLES)}
    keys = sorted(set(old_files) | set(new_files), key=lambda k: (order.get(k[0], 99), k))
    return [
        compare_raw_file(
            table,
            name,
            old_files.get((table, name)),
            new_files.get((table, name)),
            old.root,
            new.root,
        )
        for table, name in keys
    ]
