"""Stage 1, validation: partner files -> typed rows and every problem, in the partner's coordinates.

Two steps, so that Snakemake can redo only what changed:

1. ``check_partner_file`` reads one partner file (``readers``), parses each cell by the kind
   its contract column declares (numbers, dates, yes/no, enums, countries, skills), drops the
   personal columns after using them to anonymise the quote, and returns a ``PartnerFile``:
   typed rows, parse problems and a preview. Standard library only (no pandas), so one job
   per file starts quickly; ``write_part``/``read_part`` store it as JSON.
2. ``combine`` puts every partner file of a table in one frame and runs the pandera schema
   generated from the contract (``lazy=True``: required values, allowed values, ranges,
   identifiers unique across all partners, URLs), then the cross-file checks (partner files
   named after a partner of ``partners.csv``, ratings of existing interviews), and builds the
   tidy tables of ``clean``.

``validate_raw`` does both for a whole ``data/raw/`` folder. Nothing here raises for bad
input: every problem is a ``Problem`` naming file, row, column, value and fix.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ktreport import contract
from ktreport.catalog import (
    PARTNERS_FILE,
    TAXONOMY_FILE,
    discover_partner_files,
    is_partner_file,
)
from ktreport.contract import PARTNER_TABLES, PARTNERS_COLUMNS, Column, Table
from ktreport.core.problems import Problem, count, sort_problems
from ktreport.ingest.readers import (
    SPREADSHEET_ERRORS,
    RawTable,
    fold,
    header_key,
    read_table,
)
from ktreport.ingest.taxonomy import Taxonomy, load_taxonomy

# Dates outside this window are typing errors (a fixed window: the result must not depend
# on the day the pipeline runs).
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2035, 12, 31)
# Rows of each file kept in the preview of the partner-readable validation report.
PREVIEW_ROWS = 1000
# Files in the table folders that are not partner files: notes, hidden files, Office locks.
URL_PATTERN = r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$"
UNKNOWN = "?"
# Numbers beyond this are typing errors, and could not be stored as whole numbers exactly.
LARGEST_NUMBER = 1e15


# ----------------------------------------------------------------------------- results


@dataclass
class FileReport:
    """What the validation found in one partner file."""

    path: str  # as problems name it: relative to the project root when inside it
    table: str
    partner_id: str
    n_rows: int
    problems: list[Problem]
    # Per data row: column -> (cell as typed, what the pipeline understood; "?" = not understood).
    # Personal columns are never included; the quote only anonymised.
    preview: list[tuple[int, dict[str, tuple[str, str]]]] = field(default_factory=list)

    @property
    def n_errors(self) -> int:
        return count(self.problems, "error")

    @property
    def n_warnings(self) -> int:
        return count(self.problems, "warning")


@dataclass
class PartnerFile:
    """One checked partner file: its report and its typed rows (no personal data)."""

    report: FileReport
    # Typed values by contract column, plus "_row" (spreadsheet row) and "_bad" (columns
    # whose cell could not be understood, already reported).
    rows: list[dict[str, Any]]


@dataclass
class ValidationResult:
    problems: list[Problem]  # sorted; the reference files' and the cross-file ones included
    files: list[FileReport]  # one per partner file, in path order
    tables: dict[str, Any]  # name -> pandas DataFrame shaped as contract.PROCESSED_TABLES

    @property
    def n_errors(self) -> int:
        return count(self.problems, "error")

    @property
    def n_warnings(self) -> int:
        return count(self.problems, "warning")

    @property
    def ok(self) -> bool:
        return self.n_errors == 0

    @property
    def n_rows(self) -> int:
        return sum(f.n_rows for f in self.files)


@dataclass
class References:
    """The consortium's reference tables: partners and the skills taxonomy."""

    partners: dict[str, dict[str, str]]  # partner_id -> {"name": ..., "country": alpha-2}
    taxonomy: Taxonomy
    problems: list[Problem]

    @property
    def taxonomy_usable(self) -> bool:
        return len(self.taxonomy) > 0


# ----------------------------------------------------------------------------- paths


def display_path(path: Path, root: Path | None = None) -> str:
    """``path`` relative to ``root`` (default: the working directory) when inside it."""
    root = (root or Path.cwd()).resolve()
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# ----------------------------------------------------------------------------- references


def load_references(
    partners_path: Path, taxonomy_path: Path, root: Path | None = None
) -> References:
    """Read ``partners.csv`` and ``skills_taxonomy.csv``; their problems come along."""
    taxonomy, problems = load_taxonomy(taxonomy_path, display_path(taxonomy_path, root))
    partners, partner_problems = load_partners(partners_path, root)
    return References(partners=partners, taxonomy=taxonomy, problems=problems + partner_problems)


def load_partners(
    path: Path, root: Path | None = None
) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    from ktreport.ingest import countries

    display = display_path(path, root)
    table = read_table(path, display, PARTNERS_COLUMNS, PARTNERS_COLUMNS)
    problems = list(table.problems)
    partners: dict[str, dict[str, str]] = {}
    if table.header_row is not None:
        for name in PARTNERS_COLUMNS:
            if name not in table.headers:
                problems.append(
                    Problem(display, table.header_row, name, f"the column '{name}' is missing")
                )
    for row in table.rows:
        partner_id = row.cells.get("partner_id", "")
        if not partner_id:
            problems.append(Problem(display, row.number, "partner_id", "the partner_id is empty"))
            continue
        if partner_id in partners:
            problems.append(
                Problem(display, row.number, "partner_id", f"'{partner_id}' appears twice")
            )
            continue
        country_text = row.cells.get("country", "")
        country = countries.lookup(country_text) if country_text else None
        if country is None:
            problems.append(
                Problem(
                    display,
                    row.number,
                    "country",
                    f"'{country_text}' is not a country name or ISO code",
                    value=country_text,
                )
            )
        partners[partner_id] = {
            "name": row.cells.get("name", ""),
            "country": country.alpha_2 if country else "",
        }
    return partners, problems


# ----------------------------------------------------------------------------- cell parsing


@dataclass
class Parsed:
    value: Any = None  # typed value (None: blank or not understood)
    understood: str = ""  # for the preview
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (severity, msg, hint)

    @property
    def bad(self) -> bool:
        return any(severity == "error" for severity, _, _ in self.problems)


def _choice_map(column: Column) -> dict[str, str]:
    return _choices(column.allowed, tuple(sorted(column.aliases.items())))


@cache
def _choices(allowed: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Folded spelling (with and without spaces) -> canonical value."""
    choices: dict[str, str] = {}
    for value in allowed:
        choices[fold(value)] = value
        choices[fold(value).replace(" ", "")] = value
    for alias, value in aliases:
        choices.setdefault(fold(alias), value)
        choices.setdefault(fold(alias).replace(" ", ""), value)
    return choices


def _choice_hint(column: Column, text: str) -> str:
    """'did you mean …?' for a value close to an allowed one (or one of its aliases)."""
    choices = _choice_map(column)
    close = difflib.get_close_matches(fold(text), list(choices), n=1, cutoff=0.75)
    return f"did you mean '{choices[close[0]]}'?" if close else ""


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_NUMBER_WITH_UNIT = re.compile(r"^[+-]?\d+([.,]\d+)?\s*[^\d\s.,]+\.?$")


def parse_number(text: str) -> float | None:
    """'21', '2,5', '1 234,5', '1.234,5', '1,234.5' -> float; None if not a number."""
    compact = re.sub(r"[\s\u00a0\u202f']", "", text)
    if "," in compact and "." in compact:
        decimal = "," if compact.rfind(",") > compact.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        compact = compact.replace(thousands, "")
    compact = compact.replace(",", ".")
    if not _NUMBER.match(compact):
        return None
    number = float(compact)
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return number


_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), (3, 2, 1)),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), (3, 2, 1)),
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), (3, 2, 1)),
)
_DATE_HINT = "write the date as 2023-03-31, 31/03/2023 or 31.03.2023 (day before month)"


def parse_date(text: str) -> tuple[dt.date | None, str]:
    """A date and "" or None and the reason it is not one."""
    for pattern, (y, m, d) in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year, month, day = (int(match.group(i)) for i in (y, m, d))
        try:
            return dt.date(year, month, day), ""
        except ValueError:
            if not 1 <= month <= 12:
                return None, f"there is no month {month}"
            return None, f"{dt.date(year, month, 1):%B %Y} has no day {day}"
    return None, "not a date"


def parse_cell(column: Column, text: str, taxonomy: Taxonomy | None) -> Parsed:
    """Parse the cell ``text`` of ``column``; a blank cell gives the column's default."""
    if not text:
        default = column.default
        if isinstance(default, bool):
            return Parsed(default, "yes" if default else "no")
        return Parsed(None, "")
    if text in SPREADSHEET_ERRORS:
        return Parsed(
            None,
            UNKNOWN,
            [
                (
                    "error",
                    f"the cell shows the spreadsheet error {text}",
                    "correct the formula or type the value",
                )
            ],
        )
    kind = column.kind
    if kind in ("text", "id", "personal"):
        return Parsed(text, text)
    if kind == "enum":
        value = _choice_map(column).get(fold(text))
        if value is None:
            value = _choice_map(column).get(fold(text).replace(" ", ""))
        if value is None:
            allowed = ", ".join(column.allowed)
            hint = _choice_hint(column, text)
            return Parsed(None, UNKNOWN, [("error", f"'{text}' is not one of {allowed}", hint)])
        return Parsed(value, value)
    if kind in ("multi", "skills"):
        return _parse_list(column, text, taxonomy)
    if kind == "skill":
        if taxonomy is None:
            return Parsed(text, text)
        skill_id = taxonomy.match(text)
        if skill_id is None:
            if ";" in text:
                return Parsed(
                    None,
                    UNKNOWN,
                    [("error", f"'{text}' holds several skills", "write one skill per row")],
                )
            message, hint = taxonomy.unknown(text)
            return Parsed(None, UNKNOWN, [("error", message, hint)])
        return Parsed(skill_id, skill_id)
    if kind == "country":
        from ktreport.ingest import countries

        country = countries.lookup(text)
        if country is None:
            suggestions = countries.suggest(text)
            if suggestions:
                hint = "did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?"
            else:
                hint = "write the country's English name or its ISO code, e.g. Italy or IT"
            return Parsed(
                None, UNKNOWN, [("error", f"'{text}' is not a country name or ISO code", hint)]
            )
        return Parsed(country.alpha_2, country.alpha_2)
    if kind in ("number", "integer"):
        number = parse_number(text)
        if number is None:
            if _NUMBER_WITH_UNIT.match(text):
                hint = "write the number only, without a unit"
            elif kind == "integer":
                hint = "write a whole number such as 8"
            else:
                hint = "write a number such as 21 or 2,5"
            return Parsed(None, UNKNOWN, [("error", f"'{text}' is not a number", hint)])
        if not abs(number) < LARGEST_NUMBER:  # also inf: "1e309" must not reach pandas
            return Parsed(
                None,
                UNKNOWN,
                [("error", f"'{text}' is far too large", f"write {column.allowed_text()}")],
            )
        if kind == "integer":
            if not number.is_integer():
                return Parsed(
                    None,
                    UNKNOWN,
                    [("error", f"'{text}' is not a whole number", "round it to a whole number")],
                )
            return Parsed(int(number), str(int(number)))
        return Parsed(number, format_number(number))
    if kind == "date":
        date, reason = parse_date(text)
        if date is None:
            message = f"'{text}' is not a valid date"
            if reason != "not a date":
                message += f" ({reason})"
            return Parsed(None, UNKNOWN, [("error", message, _DATE_HINT)])
        if not EARLIEST_DATE <= date <= LATEST_DATE:
            return Parsed(
                None,
                UNKNOWN,
                [
                    (
                        "error",
                        f"'{text}' is not a plausible date: the year must be between "
                        f"{EARLIEST_DATE.year} and {LATEST_DATE.year}",
                        "check the year",
                    )
                ],
            )
        return Parsed(date.isoformat(), date.isoformat())
    if kind == "boolean":
        key = fold(text)
        if key in contract.YES_VALUES:
            return Parsed(True, "yes")
        if key in contract.NO_VALUES:
            return Parsed(False, "no")
        return Parsed(
            None,
            UNKNOWN,
            [
                (
                    "error",
                    f"'{text}' is not yes or no",
                    "write yes or no (y/n, true/false, 1/0 and x are understood too)",
                )
            ],
        )
    if kind == "url":
        if re.match(URL_PATTERN, text, flags=re.IGNORECASE):
            return Parsed(text, text)
        hint = "write the full address of the web page, starting with https:// or http://"
        if re.match(r"^www\.\S+\.\S+$", text, flags=re.IGNORECASE):
            hint = f"write it with https:// in front: https://{text}"
        return Parsed(None, UNKNOWN, [("error", f"'{text}' is not a web address", hint)])
    raise ValueError(f"unknown column kind {kind!r}")  # a bug in the contract, not in the data


def _parse_list(column: Column, text: str, taxonomy: Taxonomy | None) -> Parsed:
    pieces = [piece.strip() for piece in text.split(";")]
    pieces = [piece for piece in pieces if piece]
    what = "skill" if column.kind == "skills" else "value"
    if not pieces:
        severity = "error" if column.required else "warning"
        consequence = "" if column.required else "; it is read as blank"
        return Parsed(
            None,
            "",
            [
                (
                    severity,
                    f"'{text}' lists no {what}{consequence}",
                    f"write one or more {what}s separated by ';'",
                )
            ],
        )
    values: list[str] = []
    understood: list[str] = []
    problems: list[tuple[str, str, str]] = []
    choices = _choice_map(column) if column.kind == "multi" else {}
    for piece in pieces:
        if column.kind == "skills":
            if taxonomy is None:
                value: str | None = piece
            else:
                value = taxonomy.match(piece)
                if value is None:
                    message, hint = taxonomy.unknown(piece)
                    if "," in piece:
                        hint = "separate skills with ';', not ','"
                    problems.append(("error", message, hint))
        else:
            value = choices.get(fold(piece)) or choices.get(fold(piece).replace(" ", ""))
            if value is None:
                if "," in piece:
                    hint = "separate values with ';', not ','"
                else:
                    hint = _choice_hint(column, piece)
                allowed = ", ".join(column.allowed)
                problems.append(("error", f"'{piece}' is not one of {allowed}", hint))
        if value is None:
            understood.append(UNKNOWN)
            continue
        understood.append(value)
        if value in values:
            problems.append(
                ("warning", f"'{piece}' names {value}, which is already listed; counted once", "")
            )
            continue
        values.append(value)
    return Parsed(values, "; ".join(understood), problems)


def format_number(number: float) -> str:
    """Fixed text for a number: 21 (not 21.0), 2.5, at most 6 decimals, no exponent."""
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.6f}".rstrip("0").rstrip(".")


# ----------------------------------------------------------------------------- one file


def anonymise(quote: str, name: str, organisation: str) -> str:
    """The quote with the interviewee's name, name parts (>= 3 letters) and organisation
    replaced by "[name]" / "[organisation]", ignoring case."""
    replacements: list[tuple[str, str]] = []
    if organisation:
        replacements.append((organisation, "[organisation]"))
    if name:
        replacements.append((name, "[name]"))
        for part in re.split(r"[\s,]+", name):
            part = part.strip(".")
            if len(part) >= 3:
                replacements.append((part, "[name]"))
    # Longest first, so that "Anna Rossi" goes before "Anna".
    for text, mask in sorted(replacements, key=lambda r: (-len(r[0]), r[0])):
        pattern = r"(?<!\w)" + re.escape(text) + r"(?!\w)"
        quote = re.sub(pattern, mask, quote, flags=re.IGNORECASE)
    return quote


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
    missing_required = [c for c in table.required_columns if c not in raw.headers]
    for raw_row in raw.rows:
        typed: dict[str, Any] = {"_row": raw_row.number}
        bad: list[str] = list(missing_required)
        shown: dict[str, tuple[str, str]] = {}
        for column in table.columns:
            if column.name not in raw.headers:
                if not column.is_personal:
                    typed[column.name] = parse_cell(column, "", taxonomy).value
                continue
            text = raw_row.cells.get(column.name, "")
            parsed = parse_cell(column, text, taxonomy)
            for severity, message, hint in parsed.problems:
                problems.append(
                    Problem(
                        display,
                        raw_row.number,
                        column.name,
                        message,
                        hint,
                        severity,
                        _column_problem(column, text),
                    )
                )
            if parsed.bad:
                bad.append(column.name)
            if column.is_personal:
                continue
            typed[column.name] = parsed.value
            shown[column.name] = (text, parsed.understood)
        if table is contract.INTERVIEWS:
            _settle_quote(typed, raw_row.cells, shown)
        typed["_bad"] = sorted(set(bad))
        rows.append(typed)
        if len(preview) < PREVIEW_ROWS:
            preview.append((raw_row.number, shown))
    report = FileReport(
        path=display,
        table=table_name,
        partner_id=partner_id,
        n_rows=len(rows),
        problems=sort_problems(problems),
        preview=preview,
    )
    return PartnerFile(report=report, rows=rows)


def _settle_quote(typed: dict[str, Any], cells: dict[str, str], shown: dict) -> None:
    """Anonymise the quote; keep it only with consent; record whether there was one."""
    quote = typed.get("quote") or ""
    anonymous = (
        anonymise(quote, cells.get("name", ""), cells.get("organisation", "")) if quote else ""
    )
    consent = bool(typed.get("consent_to_quote"))
    typed["has_quote"] = bool(quote)
    typed["quote"] = anonymous if (quote and consent) else None
    if "quote" in shown:
        # Without consent the quote is not shown anywhere, not even to its partner.
        if consent or not quote:
            shown["quote"] = (anonymous, anonymous)
        else:
            shown["quote"] = ("(not shown: no consent to quote)", "not used")


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


# ----------------------------------------------------------------------------- parts (JSON)


def part_to_json(part: PartnerFile) -> str:
    report = part.report
    data = {
        "path": report.path,
        "table": report.table,
        "partner_id": report.partner_id,
        "n_rows": report.n_rows,
        "problems": [p.as_dict() for p in report.problems],
        "preview": [
            [number, {k: list(v) for k, v in cells.items()}] for number, cells in report.preview
        ],
        "rows": part.rows,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def part_from_json(text: str) -> PartnerFile:
    data = json.loads(text)
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


# ----------------------------------------------------------------------------- all files


def combine(parts: list[PartnerFile], references: References) -> ValidationResult:
    """Schema and cross-file checks over every partner file, and the tidy tables."""
    from ktreport.ingest import clean

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
            for problem in _schema_problems(table, table_parts):
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
    tables = clean.build_tables(parts, references)
    return ValidationResult(
        problems=sort_problems(_dedupe(problems)),
        files=[p.report for p in sorted(parts, key=lambda p: p.report.path)],
        tables=tables,
    )


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen = set()
    unique = []
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            unique.append(problem)
    return unique


def _frame(table: Table, parts: list[PartnerFile]):
    """One frame of every part's rows (typed, no personal data) and the (file, row) of each."""
    import pandas as pd

    names = [c.name for c in table.columns if not c.is_personal]
    records, where, bad = [], [], []
    for part in parts:
        for row in part.rows:
            records.append({name: row.get(name) for name in names})
            where.append((part.report.path, row["_row"]))
            bad.append(set(row.get("_bad", ())))
    frame = pd.DataFrame.from_records(records, columns=names)
    for column in table.columns:
        if column.is_personal:
            continue
        if column.kind == "number":
            frame[column.name] = pd.array(frame[column.name].tolist(), dtype="Float64")
        elif column.kind == "integer":
            frame[column.name] = pd.array(frame[column.name].tolist(), dtype="Int64")
        else:
            frame[column.name] = frame[column.name].astype(object)
    return frame, where, bad


def _schema(table: Table):
    """The pandera schema of a partner table, generated from the contract."""
    import pandera.pandas as pa

    from ktreport.ingest import countries

    columns = {}
    for column in table.columns:
        if column.is_personal:
            continue
        checks = []
        if column.kind == "enum":
            checks.append(pa.Check.isin(column.allowed, name="allowed"))
        elif column.kind == "country":
            checks.append(pa.Check.isin(countries.all_codes(), name="allowed"))
        elif column.kind in ("number", "integer"):
            if column.minimum is not None:
                lower = pa.Check.gt if column.minimum_exclusive else pa.Check.ge
                checks.append(lower(column.minimum, name="range"))
            if column.maximum is not None:
                checks.append(pa.Check.le(column.maximum, name="range"))
        elif column.kind == "url":
            checks.append(pa.Check.str_matches(URL_PATTERN, name="url"))
        columns[column.name] = pa.Column(
            None,
            checks=checks,
            nullable=not column.required,
            unique=column.name == table.id_column,
            required=True,
        )
    unique = ["interview_id", "skill"] if table is contract.RATINGS else None
    return pa.DataFrameSchema(columns, name=table.name, unique=unique, strict=False)


def _schema_problems(table: Table, parts: list[PartnerFile]) -> list[Problem]:
    import pandera.pandas as pa

    frame, where, bad = _frame(table, parts)
    if frame.empty:
        return []
    try:
        _schema(table).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases.to_dict("records")
    # Where each id occurs, to name the other occurrences of a duplicate.
    occurrences: dict[tuple[str, Any], list[int]] = defaultdict(list)
    for failure in failures:
        if failure["check"] in ("field_uniqueness", "multiple_fields_uniqueness"):
            index = int(failure["index"])
            key = (failure["check"], _duplicate_key(frame, table, index))
            if index not in occurrences[key]:
                occurrences[key].append(index)
    problems = []
    for failure in failures:
        if failure["index"] is None or failure["column"] is None:
            continue  # whole-frame failures cannot happen: every column is built above
        index = int(failure["index"])
        name = failure["column"]
        if name in bad[index]:
            continue  # the cell was already reported as not understood
        file, row = where[index]
        column = table.column(name)
        problem = _failure_problem(
            table, column, failure, frame, index, file, row, where, occurrences
        )
        if problem is not None:
            problems.append(problem)
    return problems


def _duplicate_key(frame, table: Table, index: int):
    if table is contract.RATINGS:
        return (frame.at[index, "interview_id"], frame.at[index, "skill"])
    return frame.at[index, table.id_column]


def _failure_problem(table, column, failure, frame, index, file, row, where, occurrences):
    check = str(failure["check"])
    value = failure["failure_case"]
    shown = "" if value is None or value != value else str(value)
    if check == "not_nullable":
        return Problem(
            file,
            row,
            column.name,
            f"'{column.name}' is required but the cell is empty",
            f"fill it in: {column.description}",
        )
    if check in ("field_uniqueness", "multiple_fields_uniqueness"):
        if check == "multiple_fields_uniqueness" and column.name != "skill":
            return None  # one problem per duplicated rating, on its skill cell
        key = _duplicate_key(frame, table, index)
        others = [where[i] for i in occurrences[(check, key)] if i != index]
        elsewhere = "; ".join(
            f"row {other_row}" if other_file == file else f"{other_file} row {other_row}"
            for other_file, other_row in others
        )
        if check == "field_uniqueness":
            return Problem(
                file,
                row,
                column.name,
                f"'{shown}' is used more than once (also in {elsewhere})",
                f"each {column.name} must be unique across all partners: give one of them "
                f"another id, e.g. starting with your partner id",
                value=shown,
            )
        interview, skill = key
        return Problem(
            file,
            row,
            column.name,
            f"'{interview}' rates the skill '{skill}' more than once (also in {elsewhere})",
            "keep one rating per interview and skill",
            value=str(skill),
        )
    if check.startswith("range") or check.startswith(("greater", "less", "in_range")):
        return Problem(
            file,
            row,
            column.name,
            f"'{_plain(value)}' is not {column.allowed_text()}",
            "",
            value=_plain(value),
        )
    if check.startswith("allowed") or check.startswith("isin"):
        allowed = column.allowed_text() or "an accepted value"
        return Problem(file, row, column.name, f"'{shown}' is not one of {allowed}", value=shown)
    if check.startswith(("url", "str_matches")):
        return Problem(file, row, column.name, f"'{shown}' is not a web address", value=shown)
    return Problem(file, row, column.name, f"'{shown}' fails the check {check}", value=shown)


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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


def combine_parts(
    part_paths: list[Path],
    partners_path: Path,
    taxonomy_path: Path,
    root: Path | None = None,
) -> ValidationResult:
    """Every part -> the cross-file checks and the tidy tables: the combining pipeline step."""
    references = load_references(partners_path, taxonomy_path, root)
    return combine([read_part(Path(p)) for p in part_paths], references)


def table_of(path: Path, raw_dir: Path) -> str | None:
    """The partner table a file belongs to: its folder's name."""
    folder = path.parent.name
    return folder if folder in PARTNER_TABLES else None


def validate_raw(
    raw_dir: Path, paths: list[Path] | None = None, root: Path | None = None
) -> ValidationResult:
    """Validate the partner files of ``raw_dir`` (or only ``paths``) and build the tables.

    With ``paths``, only their problems are reported, but they are checked against all
    the other files of ``raw_dir`` (unique ids, ratings of existing interviews); a path
    outside ``raw_dir`` stands in for the file of the same table and partner.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        problem = Problem(
            display_path(raw_dir, root),
            None,
            None,
            "this folder of partner data does not exist",
            "run the command in the project folder, or name the folder with --raw-dir",
        )
        return ValidationResult(problems=[problem], files=[], tables={})
    references = load_references(raw_dir / PARTNERS_FILE, raw_dir / TAXONOMY_FILE, root)
    taxonomy = references.taxonomy if references.taxonomy_usable else None
    files = discover_partner_files(raw_dir)
    selected: set[str] | None = None
    problems: list[Problem] = []
    if paths is not None:
        selected = set()
        for path in paths:
            path = Path(path)
            if path.is_dir():
                candidates = sorted(p for p in path.rglob("*") if is_partner_file(p))
            else:
                candidates = [path]
            for candidate in candidates:
                display = display_path(candidate, root)
                table = table_of(candidate, raw_dir)
                if not candidate.exists():
                    problems.append(Problem(display, None, None, "there is no such file"))
                    selected.add(display)
                    continue
                if table is None:
                    if candidate.name in (PARTNERS_FILE, TAXONOMY_FILE):
                        continue
                    problems.append(
                        Problem(
                            display,
                            None,
                            None,
                            "the file is not in a folder named after a table",
                            "put it in data/raw/case_studies/, data/raw/interviews/ or "
                            "data/raw/ratings/",
                        )
                    )
                    selected.add(display)
                    continue
                key = (table, candidate.stem)
                current = files.get(key, [])
                if candidate.resolve() not in [p.resolve() for p in current]:
                    files[key] = [candidate]
                selected.add(display)
    parts = [
        check_partner_file(file_paths, table, partner_id, taxonomy, root)
        for (table, partner_id), file_paths in sorted(files.items())
    ]
    result = combine(parts, references)
    if selected is not None:
        reference_files = {p.file for p in references.problems}
        result.problems = sort_problems(
            [p for p in result.problems if p.file in selected or p.file in reference_files]
            + problems
        )
        result.files = [f for f in result.files if f.path in selected]
    return result


# ----------------------------------------------------------------------------- text output


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(result: ValidationResult) -> str:
    """'7 files, 90 rows: 2 errors, 1 warning'"""
    return (
        f"{plural(len(result.files), 'file')}, {plural(result.n_rows, 'row')}: "
        f"{plural(result.n_errors, 'error')}, {plural(result.n_warnings, 'warning')}"
    )


def group_by_file(problems: list[Problem]) -> list[tuple[str, list[Problem]]]:
    groups: dict[str, list[Problem]] = defaultdict(list)
    for problem in sort_problems(problems):
        groups[problem.file].append(problem)
    return sorted(groups.items())


def format_problems(problems: list[Problem]) -> str:
    """Every problem, one line each, grouped by file under a heading with the counts."""
    blocks = []
    for file, group in group_by_file(problems):
        lines = [
            f"{file} ({plural(count(group, 'error'), 'error')}, "
            f"{plural(count(group, 'warning'), 'warning')})"
        ]
        lines += [f"  {p.severity}: {p.line()}" for p in group]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
