"""Stage 5, the guard: what it looks for, the personal values of the raw interviews files.

The interviews files hold the interviewees' name, e-mail, organisation and phone
(``contract`` kind ``personal``); ``read_personal_values`` reads every one of them, and the
quotes given *without* consent, with the readers the pipeline uses. ``public_names`` are the
names printed in the report on purpose (partners, consortium, case-study providers): a
personal value equal to one of them is not searched (``matching``).

A value never shows in a ``repr`` or a message: findings name its kind, file and row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ktreport.catalog import PARTNERS_FILE, discover_partner_files
from ktreport.contract import CASE_STUDIES, INTERVIEWS, PARTNERS_COLUMNS, YES_VALUES
from ktreport.ingest import countries
from ktreport.ingest.personal import fold
from ktreport.ingest.readers import fold as fold_cell
from ktreport.ingest.readers import read_table

# What a finding calls each kind of value (never the value itself).
KINDS: dict[str, str] = {
    "name": "an interviewee's name",
    "email": "an interviewee's e-mail",
    "organisation": "an interviewee's organisation",
    "phone": "an interviewee's phone number",
    "quote": "a quote whose interviewee did not consent to be quoted",
}


@dataclass(frozen=True, order=True)
class PersonalValue:
    """One personal value of a raw file; ``repr`` and messages never show the value."""

    kind: str  # a key of KINDS
    source: str  # the raw file, as problems name it
    row: int  # the spreadsheet row the partner sees
    value: str = field(repr=False, compare=False)
    region: str = field(default="", compare=False)  # the interviewee's country (alpha-2)


# Text for comparison: no accents, no case, one space for any run of spaces or punctuation.
normalise = fold


def display_path(path: Path, root: Path | None) -> str:
    """``path`` as findings name it: relative to ``root`` (default: the working directory)
    when inside it."""
    base = (root or Path.cwd()).resolve()
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _table_files(raw_dir: Path, name: str) -> list[Path]:
    """Every partner file of the table ``name`` under ``raw_dir``."""
    files = discover_partner_files(Path(raw_dir))
    return [p for (table, _), paths in files.items() if table == name for p in paths]


def read_personal_values(raw_dir: Path, root: Path | None = None) -> list[PersonalValue]:
    """Every personal value of every interviews file, and every quote given without consent.

    Files are read exactly as the pipeline reads them (``readers.read_table``), so a value
    the pipeline could see is a value the guard looks for.
    """
    values: list[PersonalValue] = []
    for path in sorted(_table_files(raw_dir, "interviews")):
        shown = display_path(path, root)
        table = read_table(
            path, shown, INTERVIEWS.column_names, INTERVIEWS.required_columns, "interviews"
        )
        for raw_row in table.rows:
            country = countries.lookup(raw_row.cells.get("country", ""))
            region = country.alpha_2 if country is not None else ""
            for column in INTERVIEWS.personal_columns:
                text = raw_row.cells.get(column, "")
                if text:
                    values.append(PersonalValue(column, shown, raw_row.number, text, region))
            quote = raw_row.cells.get("quote", "")
            consent = fold_cell(raw_row.cells.get("consent_to_quote", "")) in YES_VALUES
            if quote and not consent:
                values.append(PersonalValue("quote", shown, raw_row.number, quote))
    return sorted(values)


@dataclass(frozen=True, order=True)
class TypedCell:
    """A partner's cell where a personal value may have been typed by mistake (not a
    personal column): where the guard tells the partner to correct it."""

    source: str
    row: int
    column: str
    text: str = field(repr=False, compare=False)

    @property
    def where(self) -> str:
        return f"{self.source}, row {self.row}, column {self.column}"


def read_typed_cells(raw_dir: Path, root: Path | None = None) -> list[TypedCell]:
    """Every filled cell of the interviews and case-study files but the personal columns."""
    cells: list[TypedCell] = []
    for contract in (INTERVIEWS, CASE_STUDIES):
        columns = [c for c in contract.column_names if c not in contract.personal_columns]
        for path in sorted(_table_files(raw_dir, contract.name)):
            shown = display_path(path, root)
            table = read_table(
                path, shown, contract.column_names, contract.required_columns, contract.name
            )
            for raw_row in table.rows:
                for column in columns:
                    if text := raw_row.cells.get(column, ""):
                        cells.append(TypedCell(shown, raw_row.number, column, text))
    return cells


def public_names(raw_dir: Path, extra: Iterable[str] = ()) -> set[str]:
    """Names printed in the report on purpose (normalised): the partners' ids and names,
    ``extra`` (the consortium list of config.yaml) and the providers of the case studies."""
    names = {normalise(name) for name in extra if name}
    partners = read_table(
        Path(raw_dir) / PARTNERS_FILE, PARTNERS_FILE, PARTNERS_COLUMNS, PARTNERS_COLUMNS
    )
    for row in partners.rows:
        names.update(normalise(row.cells.get(c, "")) for c in ("partner_id", "name"))
    for path in _table_files(raw_dir, "case_studies"):
        cases = read_table(
            path, path.name, CASE_STUDIES.column_names, CASE_STUDIES.required_columns
        )
        names.update(normalise(row.cells.get("provider", "")) for row in cases.rows)
    names.discard("")
    return names
