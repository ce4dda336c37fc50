"""Problems found in partner data, as values: one place turns them into text, another into HTML.

Validation never raises for bad input; it returns ``Problem`` objects that say where (file,
row as the partner sees it in the spreadsheet, column), what (the value and the message) and
how to fix it (the hint).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    # Path relative to the project root, e.g. data/raw/interviews/UNIBO.xlsx.
    file: str
    # Spreadsheet row number the partner sees (the header row counts); None: the whole file.
    row: int | None
    # Contract column name (or the header the partner wrote); None: the whole row or file.
    column: str | None
    message: str  # what is wrong, in plain words, naming the value
    hint: str = ""  # how to fix it
    severity: Severity = "error"
    value: str = ""  # the cell as the partner typed it

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(str(self.row))
        if self.column:
            parts.append(self.column)
        return ":".join(parts)

    def line(self) -> str:
        """One line for a terminal or a log: ``file:row:column: message (hint)``."""
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text

    def as_dict(self) -> dict:
        return asdict(self)


PROBLEM_COLUMNS = tuple(f.name for f in fields(Problem))


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """File, then row, then column order; file-level problems first within a file."""
    return sorted(
        problems,
        key=lambda p: (p.file, -1 if p.row is None else p.row, p.column or "", p.message),
    )


def count(problems: Iterable[Problem], severity: Severity) -> int:
    return sum(1 for p in problems if p.severity == severity)
