"""Stage 5, the guard's second check: no small cell of interviewees in a published output.

The aggregate stage suppresses them (``aggregate.disclosure``); this check reads what is
about to be published and refuses it if one got through (a template that prints a count
from a table by hand, a brief that forgot to protect, a tampered file):

* ``key_figures.json``: a figure the rules would suppress but which carries a value, and
  a family (groups, genders, regions of all interviews) whose hidden parts the total gives
  away by subtraction;
* the HTML: the key-figure spans (``data-kf``) of counts of the sample's composition that
  show a number between 1 and ``min_cell`` − 1;
* a published CSV named after a protected aggregate table: a count cell of that size.

A finding names the output and the key or the cell, never more than the rules need.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ktreport.aggregate.disclosure import (
    FAMILIES,
    TABLE_RULES,
    primary_small,
    respondent_kind,
)

# A key-figure span of the HTML: its name and the text it shows.
_SPAN = re.compile(r'<span\b[^>]*\bdata-kf="([^"]+)"[^>]*>([^<]*)</span>')
_NUMBER = re.compile(r"^\s*(\d[\d,]*)\s*$")


@dataclass(frozen=True, order=True)
class SmallCell:
    file: str
    where: str  # the key figure or the table cell
    why: str

    def message(self) -> str:
        return f"{self.file}: {self.where} {self.why}"


def _small(value: object, min_cell: int) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < min_cell


def key_figure_cells(figures: Mapping[str, Mapping], min_cell: int, shown: str) -> list[SmallCell]:
    """Published key figures that the small-cell rules would have suppressed."""
    found = []
    for name, record in sorted(figures.items()):
        if not isinstance(record, Mapping) or record.get("suppressed"):
            continue
        if primary_small(name, record, min_cell):
            found.append(
                SmallCell(
                    shown, f"key figure '{name}'", f"rests on fewer than {min_cell} interviewees"
                )
            )
        elif respondent_kind(name) == "who" and _small(record.get("n"), min_cell):
            found.append(
                SmallCell(shown, f"key figure '{name}'", f"has an n of fewer than {min_cell}")
            )
    for pattern, total in FAMILIES:
        parts = [n for n in figures if re.fullmatch(pattern, n)]
        hidden = [n for n in parts if figures[n].get("value") is None]
        record = figures.get(total) or {}
        if not hidden or record.get("value") is None:
            continue
        shown_sum = sum(figures[n]["value"] for n in parts if n not in hidden)
        if len(hidden) == 1 or record["value"] - shown_sum < min_cell:
            names = ", ".join(f"'{n}'" for n in sorted(hidden))
            found.append(
                SmallCell(
                    shown, f"key figure {names}", f"can be worked out from '{total}' by subtraction"
                )
            )
    return found


def html_cells(text: str, min_cell: int, shown: str) -> list[SmallCell]:
    """Key-figure spans of counts of who the interviewees are that show a small number."""
    found = set()
    for name, body in _SPAN.findall(text):
        name = html.unescape(name)
        if respondent_kind(name) != "who" or not name.startswith("n_"):
            continue
        match = _NUMBER.match(html.unescape(body))
        if match and 0 < int(match.group(1).replace(",", "")) < min_cell:
            found.add(
                SmallCell(
                    shown, f"key-figure span '{name}'", f"shows fewer than {min_cell} interviewees"
                )
            )
    return sorted(found)


def csv_cells(text: str, table: str, min_cell: int, shown: str) -> list[SmallCell]:
    """Count cells of a published aggregate table between 1 and ``min_cell`` − 1."""
    rule = TABLE_RULES[table]
    found = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        for column in rule.counts:
            try:
                value = float(row.get(column) or "")
            except ValueError:
                continue
            if 0 < value < min_cell:
                found.append(
                    SmallCell(
                        shown,
                        f"row {number}, column '{column}'",
                        f"counts fewer than {min_cell} interviewees",
                    )
                )
    return found


def check_small_cells(
    outputs: Iterable[Path], min_cell: int, root: Path | None = None
) -> list[SmallCell]:
    """Every small cell of interviewees in the published ``outputs``."""
    if min_cell <= 1:
        return []
    found: list[SmallCell] = []
    figures: dict | None = None
    paths = sorted(Path(p) for p in outputs)
    for path in paths:
        if path.suffix == ".json" and path.name == "key_figures.json":
            figures = json.loads(path.read_text(encoding="utf-8"))
            found += key_figure_cells(figures, min_cell, _shown(path, root))
    for path in paths:
        if path.suffix in (".html", ".htm"):
            found += html_cells(path.read_text(encoding="utf-8"), min_cell, _shown(path, root))
        elif path.suffix == ".csv" and path.stem in TABLE_RULES:
            found += csv_cells(
                path.read_text(encoding="utf-8"), path.stem, min_cell, _shown(path, root)
            )
    return sorted(set(found))


def small_cell_message(cells: list[SmallCell], min_cell: int) -> str:
    """The guard's refusal: which output, which key or cell, and what to do."""
    listed = "\n".join(f"  {cell.message()}" for cell in cells[:20])
    more = f"\n  … and {len(cells) - 20} more" if len(cells) > 20 else ""
    return (
        f"small-cell protection: {len(cells)} published number(s) of interviewees rest on "
        f"fewer than {min_cell} (config min_cell); nothing was published:\n{listed}{more}\n"
        "  Print the key figure itself (it reads 'fewer than "
        f"{min_cell}'), or protect the table with ktreport.aggregate.disclosure."
    )


def _shown(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()
