"""Stage 1, results: what validation hands on — one file's report and rows, the whole run's result.

``FileReport`` and ``PartnerFile`` come out of the per-file check (``checks``),
``ValidationResult`` out of the combining step (``crossfile``); the terminal messages
(``messages``) and the partner-readable validation report read them. Files are named as
``display_path`` names them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ktreport.core.problems import Problem, count


class ProblemCounts:
    """Errors and warnings among ``self.problems``."""

    problems: list[Problem]

    @property
    def n_errors(self) -> int:
        return count(self.problems, "error")

    @property
    def n_warnings(self) -> int:
        return count(self.problems, "warning")


@dataclass
class FileReport(ProblemCounts):
    """What the validation found in one partner file."""

    path: str  # as problems name it: relative to the project root when inside it
    table: str
    partner_id: str
    n_rows: int
    problems: list[Problem]
    # Per data row: column -> (cell as typed, what the pipeline understood; "?" = not understood).
    # Personal columns are never included; the quote only anonymised.
    preview: list[tuple[int, dict[str, tuple[str, str]]]] = field(default_factory=list)


@dataclass
class PartnerFile:
    """One checked partner file: its report and its typed rows (no personal data)."""

    report: FileReport
    # Typed values by contract column, plus "_row" (spreadsheet row) and "_bad" (columns
    # whose cell could not be understood, already reported).
    rows: list[dict[str, Any]]


@dataclass
class ValidationResult(ProblemCounts):
    problems: list[Problem]  # sorted; the reference files' and the cross-file ones included
    files: list[FileReport]  # one per partner file, in path order
    # Builds the tidy tables; called on first use of ``tables``: ``ktreport validate`` only
    # reports problems and never pays for the frames.
    build_tables: Callable[[], dict[str, Any]] = field(default=dict, repr=False, compare=False)

    @cached_property
    def tables(self) -> dict[str, Any]:
        """Name -> pandas DataFrame shaped as ``contract.PROCESSED_TABLES``."""
        return self.build_tables()

    @property
    def ok(self) -> bool:
        return self.n_errors == 0

    @property
    def n_rows(self) -> int:
        return sum(f.n_rows for f in self.files)


def display_path(path: Path, root: Path | None = None) -> str:
    """``path`` relative to ``root`` (default: the working directory) when inside it."""
    root = (root or Path.cwd()).resolve()
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
