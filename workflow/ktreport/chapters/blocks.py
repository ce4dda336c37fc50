"""Stage 4a, the blocks a template inserts whole: ``figure()`` (a figure of stage 3's
manifest), ``table()`` (a data frame as a pipe table) and ``build_information()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from ktreport import contract
from ktreport.aggregate.disclosure import COMPLEMENTARY, FLAG_COLUMN, suppressed_cells
from ktreport.chapters.context import LIST_DEFAULTS
from ktreport.chapters.filters import md, num
from ktreport.chapters.keyfigures import KeyFigure
from ktreport.chapters.layout import CELL_CHARS, pipe_table, shorten
from ktreport.chapters.markdown import attribute, is_missing
from ktreport.core.style import MISSING, join_list, plural


def make_figure(figures: Mapping[str, Mapping[str, Any]]) -> Callable[[str], str]:
    def figure(figure_id: str) -> str:
        """The Quarto figure block of one figure of the manifest."""
        if figure_id not in figures:
            known = join_list(sorted(figures), "and") or "none"
            raise jinja2.UndefinedError(
                f"no figure '{figure_id}' in the figures manifest (known: {known})"
            )
        entry = figures[figure_id]
        svg = Path(str(entry.get("svg") or f"{figure_id}.svg")).name
        title = " ".join(str(entry.get("title") or "").split())
        caption = " ".join(str(entry.get("caption") or "").split())
        caption_md = (f"**{md(title.rstrip('.'))}.** " if title else "") + md(caption)
        alt = " ".join(str(entry.get("alt") or title).split())
        return (
            f"::: {{#{figure_id}}}\n"
            f'![](figures/{svg}){{fig-alt="{attribute(alt)}"}}\n\n'
            f"{caption_md}\n"
            ":::\n"
        )

    return figure


def _cell(value: Any, formatter: Callable[[Any], str] | None) -> str:
    if isinstance(value, KeyFigure) and formatter is None:
        return str(value)
    if formatter is not None:
        return formatter(value) if not is_missing(value) else MISSING
    if is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, Decimal)):
        return num(value)
    return md(value)


def _is_long(value: Any) -> bool:
    return isinstance(value, str) and len(value) > CELL_CHARS


def _shortened(value: Any) -> Any:
    return shorten(value) if _is_long(value) else value


def _is_count_column(column: str) -> bool:
    return column in ("n", "total", *contract.RESPONDENT_GROUPS) or column.startswith("n_")


def _protected(column: str, reason: str, min_cell: int) -> str:
    """A suppressed cell (``aggregate.disclosure``): "< 5" (a small count), "c" (withheld
    against subtraction), "–" (a share or mean not shown)."""
    if not _is_count_column(column):
        return MISSING
    return "c" if reason == COMPLEMENTARY else f"<\u00a0{min_cell}"


def _protection_note(marks: set[str], min_cell: int) -> str:
    """What the marks of the suppressed cells mean: a note under the table (not in the
    caption, which the list of tables repeats)."""
    words = []
    if any(m.startswith("<") for m in marks):
        words.append(f"< {min_cell}: fewer than {min_cell} interviewees")
    if "c" in marks:
        words.append("c: withheld, so that a smaller number cannot be worked out by subtraction")
    if MISSING in marks:
        words.append(f"{MISSING}: not shown, as the number it is computed from")
    return "\n::: {.table-note}\nSmall-cell protection. " + md("; ".join(words) + ".") + "\n:::\n"


def make_table(filters: Mapping[str, Callable], min_cell: int = 1) -> Callable[..., str]:
    def table(
        frame: pd.DataFrame | Iterable[Mapping[str, Any]],
        id: str,  # noqa: A002 - the Quarto name of the table (tbl-…)
        caption: str,
        columns: Mapping[str, str] | Iterable[str] | None = None,
        formats: Mapping[str, str | Callable] | None = None,
        max_rows: int | None = None,
        full: str = "",
        archival: bool = False,
    ) -> str:
        """A pipe table with a Quarto caption ``: caption {#tbl-x}``.

        ``frame`` is a data frame or a list of records (mappings). ``columns`` picks and
        orders columns (a mapping gives their headers, else the contract label); ``formats``
        maps a column to a filter name (``pct``, ``num``, ``code``) or a function. Text cells
        are escaped (``md``); numbers are right-aligned. Column widths follow the content
        (``pipe_table``): identifiers and numbers never break.

        ``max_rows`` caps a table that grows with the data (annex lists: 3,000 programmes
        would be a hundred pages and minutes of PDF layout): only the first rows are shown
        and the caption says how many more there are and where the whole table is
        (``full``; with ``archival``, that the archival PDF carries it too).
        A text longer than ``CELL_CHARS`` is shortened in its cell, with "…" (one long cell
        would also take minutes of layout), and the caption says where the full text is.
        """
        if not str(id).startswith("tbl-"):
            raise jinja2.UndefinedError(f"table id '{id}' must start with 'tbl-'")
        if not isinstance(frame, pd.DataFrame):
            frame = pd.DataFrame.from_records(list(frame))
        if columns is None:
            columns = list(frame.columns)
        headers = (
            dict(columns)
            if isinstance(columns, Mapping)
            else {c: contract.label(c).replace("_", " ").capitalize() for c in columns}
        )
        missing = [c for c in headers if c not in frame.columns]
        if missing:
            raise jinja2.UndefinedError(
                f"table '{id}': no column {join_list(missing)} "
                f"(columns are {join_list(list(frame.columns))})"
            )
        formatters: dict[str, Callable | None] = {}
        for column in headers:
            spec = (formats or {}).get(column)
            formatters[column] = filters[spec] if isinstance(spec, str) else spec
        numeric = [
            pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
            for c in headers
        ]
        n_rows = len(frame)
        if max_rows is not None and n_rows > max_rows:
            frame = frame.head(max_rows)
            caption = f"{caption} ({more_rows(max_rows, n_rows, full, archival=archival)})"
        records = frame.to_dict(orient="records")
        long = sum(_is_long(row[c]) for row in records for c in headers)
        if long:
            where = f"`{full}`" if full else "the tables of `data/processed/`"
            caption = (
                f"{caption} ({plural(long, 'cell')} of more than {num(CELL_CHARS)} characters "
                f"shortened, ending in …; the full text is in {where})"
            )
        rows, marks = [], set()
        for row in records:
            hidden = suppressed_cells(row) if FLAG_COLUMN in row else {}
            cells = []
            for c in headers:
                if c in hidden:
                    mark = _protected(c, hidden[c], min_cell)
                    marks.add(mark)
                    cells.append(md(mark))
                else:
                    cells.append(_cell(_shortened(row[c]), formatters[c]))
            rows.append(cells)
        note = _protection_note(marks, min_cell) if marks else ""
        table_md = pipe_table([md(h) for h in headers.values()], rows, numeric, caption, id)
        return table_md + "\n" + note

    return table


def more_rows(shown: int, total: int, full: str, *, archival: bool = False) -> str:
    """What a capped list says of the rows it leaves out: "the first 40 rows, and 2,960
    more in `data/processed/…`, which the archival PDF carries too"."""
    where = f" in `{full}`" if full else ""
    carried = ", which the archival PDF carries too" if full and archival else ""
    return f"the first {plural(shown, 'row')}, and {num(total - shown)} more{where}{carried}"


# Annex E's partners, when a context carries no lists setting (config "lists").
BUILD_PARTNERS = LIST_DEFAULTS["build_partners"]
PROJECT_FILES = "project files"  # the raw files of no partner (partners.csv, the taxonomy)


def files_by_partner(raw_files: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The raw files summarised by partner (the project's own files last): how many files,
    which tables, how many rows."""
    groups: dict[str, dict[str, Any]] = {}
    for entry in raw_files:
        partner = entry.get("partner") or ""
        group = groups.setdefault(partner, {"files": 0, "tables": set(), "rows": 0})
        group["files"] += 1
        group["tables"].add(str(entry.get("table") or Path(str(entry["path"])).stem))
        group["rows"] += int(entry.get("rows") or 0)
    order = sorted(groups, key=lambda partner: (partner == "", partner))
    return [
        {
            "partner": partner or PROJECT_FILES,
            "files": groups[partner]["files"],
            "tables": ", ".join(sorted(groups[partner]["tables"])).replace("_", " "),
            "rows": groups[partner]["rows"],
        }
        for partner in order
    ]


def build_information(build: Mapping[str, Any], max_partners: int = BUILD_PARTNERS) -> str:
    """The "Build information" annex block: version, commit, data fingerprint, the raw files
    summarised by partner (at most ``max_partners`` rows: its length does not grow with the
    data; ``ktreport build-info`` lists every file with its SHA-256) and tool versions, as
    Markdown (tables with captions ``tbl-build-files``/``-tools``)."""
    # A release names its tag only (no commit hash anywhere); a draft names its commit.
    source = (
        f"- Released as the tag {md(build.get('version', ''))} of the repository"
        if build.get("release")
        else f"- Commit: {md(build.get('commit') or 'not a git checkout')}"
    )
    raw_files = list(build.get("raw_files", []))
    lines = [
        f"- Version: {md(build.get('version', ''))}",
        source,
        f"- Date of the commit: {md(build.get('date', ''))}",
        f"- Data fingerprint (SHA-256 over all raw files): {md(build.get('data_fingerprint', ''))}",
        f"- Raw data files: {num(len(raw_files))}; `ktreport build-info` lists each with its "
        "partner, rows and SHA-256",
        "",
    ]
    partners = files_by_partner(raw_files)
    shown = partners[:max_partners]
    files = [[md(p["partner"]), num(p["files"]), md(p["tables"]), num(p["rows"])] for p in shown]
    headers = ["Partner", "Files", "Tables", "Rows"]
    caption = "Raw data files the report was built from, by partner"
    if len(partners) > len(shown):
        left = len(partners) - len(shown)
        caption += (
            f" (the first {num(len(shown))} partners, and {num(left)} more: `ktreport build-info`)"
        )
    numeric = [False, True, False, True]
    lines += [pipe_table(headers, files, numeric, caption, "tbl-build-files")]
    lines.append("")
    tools = [
        [md(tool), md(version or "not available")]
        for tool, version in sorted(build.get("tools", {}).items())
    ]
    caption = "Software that built the report"
    lines += [pipe_table(["Tool", "Version"], tools, [False, False], caption, "tbl-build-tools")]
    lines.append("")
    return "\n".join(lines)
