"""Stage 4a, the key figures: ``key_figures.json`` (stage 2's output) as values a template
can print, compare and compute with; printed, each carries its source span.

Every number taken from ``kf`` is written as a Pandoc span ``[41]{data-kf="name" title="…"}``
so that the HTML shows where it comes from (name, definition, n of N) on hover.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ktreport.chapters.markdown import attribute, escape, plain_number, plain_pct
from ktreport.core.style import fewer_than, join_list


@dataclass(frozen=True, eq=False)
class KeyFigure:
    """One number of ``key_figures.json``; renders as its value wrapped in a source span."""

    name: str
    value: Any
    definition: str = ""
    n: Any = None
    denominator: Any = None
    unit: str = ""
    # Small-cell protection (``aggregate.disclosure``): "small" or "complementary".
    suppressed: str = ""
    min_cell: int = 1

    def formatted(self) -> str:
        """The value as the prose shows it (shares as percentages, counts as integers); a
        suppressed count "fewer than 5", anything else suppressed "not shown"."""
        if self.suppressed:
            if self.unit == "count" and self.suppressed == "small":
                return fewer_than(self.min_cell)
            return "not shown"
        if self.unit in ("share", "proportion", "percent"):
            return plain_pct(self.value)
        return plain_number(self.value)

    def tooltip(self) -> str:
        text = self.name
        if self.definition:
            text += f" — {self.definition}"
        if self.suppressed:
            why = (
                f"fewer than {self.min_cell} interviewees"
                if self.suppressed == "small"
                else f"not shown, so that a cell of fewer than {self.min_cell} interviewees "
                "cannot be worked out by subtraction"
            )
            return text + f" ({why}; small-cell protection)"
        if self.n is not None and self.denominator is not None:
            text += f": {plain_number(self.n)} of {plain_number(self.denominator)}"
        elif self.n is not None:
            text += f": n = {plain_number(self.n)}"
        return text

    def span(self, text: str) -> str:
        """``text`` (already Markdown) marked with this figure's source."""
        return f'[{text}]{{data-kf="{attribute(self.name)}" title="{attribute(self.tooltip())}"}}'

    def __str__(self) -> str:
        return self.span(escape(self.formatted()))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise jinja2.UndefinedError(
            f"'kf.{self.name}' has no attribute '{name}' "
            "(a key figure has value, definition, n, denominator and unit)"
        )

    # Comparisons and arithmetic use the value, so templates can write
    # ``{% if kf.share_x > 0.5 %}``; arithmetic gives a plain number (no source span).
    def _number(self) -> Any:
        return self.value

    def _bounds(self) -> tuple[Any, Any] | None:
        """What is known of a suppressed value: a small count is 1 … min_cell − 1."""
        if self.suppressed == "small" and self.unit == "count":
            return 1, self.min_cell - 1
        return None

    # A comparison with a suppressed value is decided by its bounds where they can (a
    # count of "fewer than 5" is > 0 and < 5) and is false otherwise, so that a condition
    # such as ``{% if kf.gap_max_value_other > 0 %}`` leaves out what is not shown
    # instead of failing the build when a group falls below min_cell.
    def __eq__(self, other: object) -> bool:
        if self.suppressed:
            return False
        return self.value == value_of(other)

    def __lt__(self, other: object) -> bool:
        if self.suppressed:
            bounds = self._bounds()
            return bounds is not None and bounds[1] < value_of(other)
        return self.value < value_of(other)

    def __gt__(self, other: object) -> bool:
        if self.suppressed:
            bounds = self._bounds()
            return bounds is not None and bounds[0] > value_of(other)
        return self.value > value_of(other)

    def __le__(self, other: object) -> bool:
        return self < other if self.suppressed else self.value <= value_of(other)

    def __ge__(self, other: object) -> bool:
        return self > other if self.suppressed else self.value >= value_of(other)

    def __hash__(self) -> int:
        return hash((self.name, self.value))

    def _plain(self) -> Any:
        """The value for arithmetic; a suppressed figure has none to compute with."""
        if self.suppressed:
            raise jinja2.UndefinedError(
                f"kf.{self.name} is not shown (small-cell protection): there is no value to "
                f"compute with; test kf.{self.name}.suppressed first"
            )
        return self.value

    def __float__(self) -> float:
        return float(self._plain())

    def __int__(self) -> int:
        return int(self._plain())

    def __add__(self, other: object) -> Any:
        return self._plain() + value_of(other)

    def __radd__(self, other: object) -> Any:
        return value_of(other) + self._plain()

    def __sub__(self, other: object) -> Any:
        return self._plain() - value_of(other)

    def __rsub__(self, other: object) -> Any:
        return value_of(other) - self._plain()

    def __mul__(self, other: object) -> Any:
        return self._plain() * value_of(other)

    def __rmul__(self, other: object) -> Any:
        return value_of(other) * self._plain()

    def __truediv__(self, other: object) -> Any:
        return self._plain() / value_of(other)

    def __rtruediv__(self, other: object) -> Any:
        return value_of(other) / self._plain()

    def __abs__(self) -> Any:
        return abs(self._plain())

    def __neg__(self) -> Any:
        return -self._plain()


def value_of(x: Any) -> Any:
    """The plain value of a key figure; anything else as it is."""
    return x.value if isinstance(x, KeyFigure) else x


class NamedMapping(Mapping):
    """A read-only mapping whose entries are also attributes; an unknown name is an error
    that names the mapping (``'kf' has no attribute 'n_foo'``) and suggests close names."""

    def __init__(self, label: str, items: Mapping[str, Any], what: str = "attribute"):
        self._label = label
        self._items = dict(items)
        self._what = what

    def __getitem__(self, name: str) -> Any:
        try:
            return self._items[name]
        except KeyError:
            raise jinja2.UndefinedError(self._unknown(name)) from None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __iter__(self):
        return iter(sorted(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def _unknown(self, name: str) -> str:
        message = f"'{self._label}' has no {self._what} '{name}'"
        close = difflib.get_close_matches(name, list(self._items), n=3, cutoff=0.6)
        if close:
            message += " (did you mean " + join_list([f"'{c}'" for c in close], "or") + "?)"
        return message

    def __repr__(self) -> str:
        return f"<{self._label}: {len(self._items)} entries>"


def load_key_figures(path: Path) -> dict[str, KeyFigure]:
    """Read ``key_figures.json``: ``{name: {value, definition, n, denominator, unit}}``
    (a bare number is accepted as ``{value: number}``; a list of records with ``name`` too)."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(raw, Mapping) and "key_figures" in raw and len(raw) <= 2:
        raw = raw["key_figures"]
    records: dict[str, Any] = (
        {r["name"]: r for r in raw} if isinstance(raw, list) else dict(raw)  # type: ignore[index]
    )
    figures = {}
    threshold = records.get("min_cell")
    min_cell = int(threshold["value"]) if isinstance(threshold, Mapping) else 1
    for name, record in sorted(records.items()):
        if not isinstance(record, Mapping):
            record = {"value": record}
        figures[name] = KeyFigure(
            name=name,
            value=record.get("value"),
            definition=str(record.get("definition") or ""),
            n=record.get("n"),
            denominator=record.get("denominator", record.get("N")),
            unit=str(record.get("unit") or record.get("kind") or ""),
            suppressed=str(record.get("suppressed_reason") or "small")
            if record.get("suppressed")
            else "",
            min_cell=min_cell,
        )
    return figures
