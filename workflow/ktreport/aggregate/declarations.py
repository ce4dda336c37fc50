"""Stage 2, aggregation: the words the key-figure declarations are written in.

A declaration names an aggregate table and the figures a row of it gives: a figure's
name and definition are templates filled with the row's columns (and the fields
``declared_figures`` derives), its value is one column, its n and its
denominator are columns too (or none). ``PerRow``: the figures of every row of a table;
``Ranked``: of the first rows of a table in an order (the most named skill, the largest
gap…). The declarations themselves are in ``key_figures_data``; ``key_figure`` makes the
record every key figure is written as.

Units: ``count`` (an integer), ``share`` (0–1, 4 decimals), ``score`` (4 decimals),
``label`` (text).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ktreport.aggregate.counting import SHARE_DECIMALS

# Position in a ranking → its name in figure names ("top_required_skill", …).
ORDINALS = ("top", "second", "third")

Where = Callable[[pd.DataFrame], pd.Series]


def key_figure(
    value: int | float | str,
    definition: str,
    unit: str,
    n: int | None = None,
    denominator: int | None = None,
) -> dict:
    """A key figure as written to ``key_figures.json`` (floats rounded once, NaN → null)."""
    if isinstance(value, float) and math.isnan(value):
        value = None  # undefined (denominator 0): JSON has no NaN
    elif isinstance(value, float) and unit != "label":
        value = round(value, SHARE_DECIMALS)
    elif unit == "count":
        value = int(value)
    return {
        "value": value,
        "definition": definition,
        "n": None if n is None else int(n),
        "denominator": None if denominator is None else int(denominator),
        "unit": unit,
    }


@dataclass(frozen=True)
class Figure:
    """One key figure of a row: name and definition are templates of the row's fields."""

    name: str
    value: str  # the column holding the value
    unit: str
    definition: str
    n: str | None = None  # the column holding n (None: the figure has no n)
    denominator: str | None = None  # the column holding the denominator


@dataclass(frozen=True)
class PerRow:
    """The figures of every row of the aggregate table ``table``."""

    table: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Ranked:
    """The figures of the first rows of ``table`` ordered by ``by`` (ties by ``tie``).

    ``positions`` name the rows used (``ORDINALS``: top, second, third; the fields
    ``ordinal``, ``rank_text`` "most"/"second most" and ``nth`` ""/"second " say which);
    ``split``: one ranking per combination of these columns; ``where``: only the rows it
    selects; ``fields``: more template fields, themselves templates of the row's fields.
    """

    table: str
    by: str
    figures: tuple[Figure, ...]
    positions: tuple[str, ...] = ("top",)
    ascending: bool = False
    tie: str = "label"
    split: tuple[str, ...] = ()
    where: Where | None = None
    fields: dict[str, str] = field(default_factory=dict)


def positive(column: str) -> Where:
    """Rows whose ``column`` is above zero."""
    return lambda frame: frame[column] > 0


def equals(column: str, wanted: str) -> Where:
    """Rows whose ``column`` is ``wanted``."""
    return lambda frame: frame[column] == wanted


def like(n: str, what: str) -> str:
    """The column that goes with the n column ``n``: ``n_demand`` → ``denominator_demand``."""
    return what + n[1:]


def count(name: str, value: str, definition: str, n: str | None = None) -> Figure:
    """A count; with ``n``, its n and denominator are that column and its denominator."""
    return Figure(
        name, value, "count", definition, n, None if n is None else like(n, "denominator")
    )


def share(name: str, value: str, definition: str, n: str = "n") -> Figure:
    """A share with its n and denominator (``n`` and the denominator named like it)."""
    return Figure(name, value, "share", definition, n, like(n, "denominator"))


def label(name: str, value: str, definition: str, n: str | None = None) -> Figure:
    """A label; with ``n``, of the row that column counts (with its n and denominator)."""
    return Figure(
        name, value, "label", definition, n, None if n is None else like(n, "denominator")
    )


def score(name: str, value: str, definition: str) -> Figure:
    """A score of the ``n`` rated answers behind it (no denominator)."""
    return Figure(name, value, "score", definition, "n")


def counted(stem: str, definition: str, n: str = "n") -> tuple[Figure, Figure]:
    """``n_<stem>`` and ``share_<stem>``: the count with its n and denominator, and its share."""
    share_definition = f"Share of {definition[:1].lower()}{definition[1:]}"
    return (
        count(f"n_{stem}", n, definition, n),
        share(f"share_{stem}", like(n, "share"), share_definition, n),
    )


def top_skills(prefix: str, what: str, n: str = "n") -> tuple[Figure, ...]:
    """``top_<prefix>_skill``, ``…_id`` and ``…_share`` (and the same for second, third)."""
    name = f"{{ordinal}}_{prefix}_skill"
    definition = f"The {{rank_text}} {what} (ties broken alphabetically by label)."
    return (
        label(name, "label", definition, n),
        label(f"{name}_id", "skill_id", f"Skill id of {name}."),
        share(f"{name}_share", like(n, "share"), f"Share of {name}: n / denominator.", n),
    )


# Template fields of the figures given once for all interviewees and once per group.
ALL_INTERVIEWEES = {"suffix": "", "who": "interviewees", "Who": "Interviewees"}
EACH_GROUP = {"suffix": "_{respondent_group}", "who": "{group}", "Who": "{Group}"}


def all_and_each_group(
    overall: str, by_group: str, by: str, figures: tuple[Figure, ...], where: Where
) -> tuple[Ranked, Ranked]:
    """The same top figures of ``overall`` (all interviewees) and of each group's rows.

    Figure names end in ``{suffix}`` ("" or "_<group>"); definitions say ``{who}``.
    """
    return (
        Ranked(overall, by, figures, where=where, fields=ALL_INTERVIEWEES),
        Ranked(by_group, by, figures, split=("respondent_group",), where=where, fields=EACH_GROUP),
    )
