"""Stage 1, a bounded list of cell problems: the first ones of a column in full, then a count.

A file within every limit can hold close to a million bad cells or list items (20 MB of
unknown skills: issue 17, finding 3). Listing each costs minutes and gigabytes, and a
partner reads none of them past the first screen. So each column of a file lists its first
``MAX_LISTED_PER_COLUMN`` problems in full (file:row:column, value, hint), and the rest
are counted by kind (the message with its quoted value masked) and said in one problem per
kind: "'…' is not in the skills taxonomy: 867,800 more in rows 2-2001, not listed one by
one". No ``Problem`` is built for a counted one. Standard library only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ktreport.core import style
from ktreport.core.problems import Problem, Severity

MAX_LISTED_PER_COLUMN = 200
# Kinds of counted problems per column said apart; beyond, "other problems".
MAX_KINDS_PER_COLUMN = 10
OTHER_KIND = "other problems"
MASK = "'…'"


def kind_of(text: str) -> str:
    """The text with everything from its first to its last quote masked: what problems of
    one kind share (the value they quote is the partner's, never shown in a summary)."""
    first, last = text.find("'"), text.rfind("'")
    if first == -1 or first == last:
        return text
    return text[:first] + MASK + text[last + 1 :]


@dataclass
class _Counted:
    n: int
    first_row: int | None
    last_row: int | None
    hint: str | None  # the masked hint, None once two of them differ
    typed_hint: str  # the last hint as given (most are the same: compared first, cheaply)


class ProblemCap:
    """The problems of one file's cells: ``admits`` says whether the next one of a column is
    listed (then the caller builds it and calls ``listed``), else ``count`` it."""

    def __init__(self, display: str) -> None:
        self.display = display
        self._listed: Counter[str | None] = Counter()
        self._counted: dict[tuple[str | None, Severity, str], _Counted] = {}
        self._kinds: Counter[str | None] = Counter()

    def admits(self, column: str | None) -> bool:
        return self._listed[column] < MAX_LISTED_PER_COLUMN

    def listed(self, column: str | None) -> None:
        self._listed[column] += 1

    def count(
        self, row: int | None, column: str | None, severity: Severity, message: str, hint: str
    ) -> None:
        kind = kind_of(message)
        key = (column, severity, kind)
        if key not in self._counted and self._kinds[column] >= MAX_KINDS_PER_COLUMN:
            key = (column, severity, OTHER_KIND)
        counted = self._counted.get(key)
        if counted is None:
            self._kinds[column] += 1
            self._counted[key] = _Counted(1, row, row, kind_of(hint), hint)
            return
        counted.n += 1
        if row is not None:
            counted.first_row = row if counted.first_row is None else min(counted.first_row, row)
            counted.last_row = row if counted.last_row is None else max(counted.last_row, row)
        if hint != counted.typed_hint:
            counted.typed_hint = hint
            if counted.hint is not None and counted.hint != kind_of(hint):
                counted.hint = None

    def summaries(self) -> list[Problem]:
        """One problem per column and kind counted: how many, in which rows, what kind."""
        return [
            Problem(
                self.display,
                None,
                column,
                f"{kind}: {style.number(c.n)} more in {_rows(c)} of this column, not listed "
                f"one by one (its first {MAX_LISTED_PER_COLUMN} problems are)",
                c.hint or "",
                severity,
            )
            for (column, severity, kind), c in self._counted.items()
        ]


def _rows(counted: _Counted) -> str:
    if counted.first_row is None:
        return "the file"
    if counted.first_row == counted.last_row:
        return f"row {counted.first_row}"
    return f"rows {counted.first_row}-{counted.last_row}"
