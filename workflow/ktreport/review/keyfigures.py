"""Review aid, after the pipeline: the key figures of two versions, old -> new.

Read from each snapshot's published ``key_figures.json``; a figure quoted in the prose
(a source span ``data-kf="name"`` in a chapter) is listed before the others.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from ktreport.review.changes import KeyFigureChange, Status


def is_number(value: Any) -> bool:
    """A finite int or float (a bool is not a number here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def compare_key_figures(
    old: dict[str, dict[str, Any]],
    new: dict[str, dict[str, Any]],
    in_text: Iterable[str] = (),
) -> list[KeyFigureChange]:
    """Every key figure of either side: changed, added and removed ones first, those quoted in
    the text (``in_text``) before the others, then by name."""
    quoted = set(in_text)
    changes = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        entry = after if after is not None else before or {}
        old_value = None if before is None else before.get("value")
        new_value = None if after is None else after.get("value")
        if before is None:
            status: Status = "added"
        elif after is None:
            status = "removed"
        else:
            status = "unchanged" if old_value == new_value else "changed"
        delta = None
        if status == "changed" and is_number(old_value) and is_number(new_value):
            # Rounded so that 0.45 - 0.4 reads 0.05, not 0.04999999999999999.
            delta = round(new_value - old_value, 10)
            delta = int(delta) if isinstance(old_value + new_value, int) else delta
        changes.append(
            KeyFigureChange(
                name=name,
                status=status,
                definition=str(entry.get("definition", "")),
                unit=str(entry.get("unit", "") or ""),
                old_value=old_value,
                new_value=new_value,
                delta=delta,
                old_n=None if before is None else before.get("n"),
                new_n=None if after is None else after.get("n"),
                old_denominator=None if before is None else before.get("denominator"),
                new_denominator=None if after is None else after.get("denominator"),
                in_text=name in quoted,
            )
        )
    order = {"changed": 0, "added": 1, "removed": 2, "unchanged": 3}
    return sorted(changes, key=lambda c: (order[c.status], not c.in_text, c.name))


_SOURCE_SPAN_NAME = re.compile(r'data-kf="([^"]+)"')


def quoted_key_figures(*chapter_sets: dict[str, str]) -> list[str]:
    """Names of the key figures the chapters quote (their source spans), sorted."""
    names: set[str] = set()
    for chapters in chapter_sets:
        for text in chapters.values():
            names.update(_SOURCE_SPAN_NAME.findall(text))
    return sorted(names)
