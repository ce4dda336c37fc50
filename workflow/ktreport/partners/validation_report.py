"""The validation report for partners: one self-contained HTML page, readable without a terminal.

It takes the validator's result (``validate.ValidationResult``: ``.problems``, ``.files``
with ``FileReport(path, table, partner_id, n_rows, problems, preview)``, ``.ok``) and shows
a summary per partner, then per file the problems (row, column, value as typed, what is
wrong, how to fix) and how the pipeline understood each row ("Czech Republic → CZ",
"negociation → ?"), cells with a problem highlighted.

The page has inline CSS only (no script, font, image or link to fetch), escapes everything
that comes from a partner file (jinja2 autoescape) and shows no personal data: personal
columns are left out of the preview and their values are hidden in problems. The same
result gives the same bytes (no clock time; sorted partners, files and problems).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import jinja2

from ktreport import __version__
from ktreport.contract import PARTNER_TABLES
from ktreport.core.problems import Problem, sort_problems

HIDDEN = "(personal data, not shown)"
NOT_UNDERSTOOD = "?"
BLANK = "(blank)"
NO_PARTNER = "(consortium files)"
# Every personal column of every table: hidden even in a file whose table is unknown.
PERSONAL_COLUMNS = frozenset(
    name for table in PARTNER_TABLES.values() for name in table.personal_columns
)


@dataclass
class ProblemView:
    file: str
    severity: str
    row: str
    column: str
    value: str
    message: str
    hint: str

    @property
    def has_cell(self) -> bool:
        """The problem is about one cell (so an empty value means a blank cell)."""
        return self.row.isdigit() and self.column != "whole row"


@dataclass
class CellView:
    typed: str
    understood: str | None  # None: shown as typed (nothing to explain)
    unknown: bool  # the pipeline could not understand the value
    severity: str  # "", "warning" or "error": the worst problem of the cell


@dataclass
class RowView:
    number: int
    severity: str  # the worst row-level problem (no column)
    cells: list[CellView]


@dataclass
class FileView:
    anchor: str
    path: str
    table: str
    partner: str
    n_rows: int
    errors: int
    warnings: int
    problems: list[ProblemView]
    columns: list[str] = field(default_factory=list)
    rows: list[RowView] = field(default_factory=list)
    has_preview: bool = False

    @property
    def ready(self) -> bool:
        return self.errors == 0

    @property
    def count_text(self) -> str:
        """ "2 errors and 1 warning", "1 warning": only what there is."""
        parts = [_plural(self.errors, "error")] if self.errors else []
        if self.warnings:
            parts.append(_plural(self.warnings, "warning"))
        return " and ".join(parts)


@dataclass
class PartnerView:
    partner: str
    files: list[FileView]

    @property
    def n_rows(self) -> int:
        return sum(f.n_rows for f in self.files)

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    @property
    def ready(self) -> bool:
        return self.errors == 0


def write_html(result: Any, path: Path, *, fingerprint: str | None = None) -> None:
    """Write the validation report of ``result`` to ``path`` (UTF-8, ``\\n`` line ends)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(render_html(result, fingerprint=fingerprint))


def render_html(result: Any, *, fingerprint: str | None = None) -> str:
    """The validation report as one HTML page (a string).

    ``fingerprint`` (default: ``result.fingerprint`` when present) identifies the data
    checked, so partners can tell two reports of different data apart.
    """
    if fingerprint is None:
        fingerprint = getattr(result, "fingerprint", None)
    files, general = _file_views(result)
    partners = _partner_views(files)
    errors = sum(f.errors for f in files) + sum(p.severity == "error" for p in general)
    warnings = sum(f.warnings for f in files) + sum(p.severity == "warning" for p in general)
    ready = errors == 0 and bool(getattr(result, "ok", True))
    return _TEMPLATE.render(
        partners=partners,
        files=files,
        general=general,
        n_files=len(files),
        n_rows=sum(f.n_rows for f in files),
        errors=errors,
        warnings=warnings,
        ready=ready,
        fingerprint=fingerprint,
        version=__version__,
        plural=_plural,
    )


# ----------------------------------------------------------------------------- view models
def _file_views(result: Any) -> tuple[list[FileView], list[ProblemView]]:
    reports = sorted(getattr(result, "files", []) or [], key=lambda f: _path_key(f.path))
    by_path: dict[str, list[Problem]] = {}
    for report in reports:
        by_path.setdefault(_path_key(report.path), []).extend(report.problems or [])
    general: list[Problem] = []
    for problem in getattr(result, "problems", []) or []:
        key = _path_key(problem.file)
        if key in by_path:
            by_path[key].append(problem)
        else:
            general.append(problem)
    views: list[FileView] = []
    anchors: set[str] = set()
    for report in reports:
        key = _path_key(report.path)
        # A problem can be both in the file's list and in the result's: count it once.
        problems = sort_problems(dict.fromkeys(by_path[key]))
        personal = _personal_columns(report.table)
        view = FileView(
            anchor=_anchor(key, anchors),
            path=key,
            table=str(report.table or ""),
            partner=str(report.partner_id or NO_PARTNER),
            n_rows=int(report.n_rows or 0),
            errors=sum(p.severity == "error" for p in problems),
            warnings=sum(p.severity == "warning" for p in problems),
            problems=[_problem_view(p, personal) for p in problems],
        )
        preview = getattr(report, "preview", None)
        if preview:
            view.has_preview = True
            view.columns = _preview_columns(report.table, preview, personal)
            view.rows = _preview_rows(preview, view.columns, problems)
        views.append(view)
    general_views = [
        _problem_view(p, PERSONAL_COLUMNS) for p in sort_problems(dict.fromkeys(general))
    ]
    return views, general_views


def _partner_views(files: Sequence[FileView]) -> list[PartnerView]:
    grouped: dict[str, list[FileView]] = {}
    for view in files:
        grouped.setdefault(view.partner, []).append(view)
    # Partner ids in order; files that belong to no partner (reference tables) last.
    order = sorted(grouped, key=lambda p: (p == NO_PARTNER, p))
    return [PartnerView(p, grouped[p]) for p in order]


def _problem_view(problem: Problem, personal: Iterable[str]) -> ProblemView:
    value, message, hint = problem.value or "", problem.message, problem.hint
    if problem.column in personal and value:
        message = message.replace(value, HIDDEN)
        hint = hint.replace(value, HIDDEN)
        value = HIDDEN
    if problem.row is None:
        row, column = "whole file", problem.column or ""
    else:
        row, column = str(problem.row), problem.column or "whole row"
    return ProblemView(
        file=_path_key(problem.file),
        severity=problem.severity,
        row=row,
        column=column,
        value=value,
        message=message,
        hint=hint,
    )


def _preview_columns(table: Any, preview: Sequence, personal: Iterable[str]) -> list[str]:
    """The contract's columns in contract order; personal columns never shown."""
    seen = {column for _, cells in preview for column in cells}
    contract = PARTNER_TABLES.get(str(table))
    if contract is not None:
        return [c for c in contract.column_names if c in seen and c not in personal]
    # Unknown table: what the reader found, sorted, still without personal columns.
    return sorted(c for c in seen if c not in personal)


def _preview_rows(
    preview: Sequence, columns: Sequence[str], problems: Sequence[Problem]
) -> list[RowView]:
    rank = {"": 0, "warning": 1, "error": 2}
    cell_severity: dict[tuple[int | None, str | None], str] = {}
    for problem in problems:
        key = (problem.row, problem.column)
        if rank[problem.severity] > rank[cell_severity.get(key, "")]:
            cell_severity[key] = problem.severity
    rows = []
    for number, cells in sorted(preview, key=lambda item: item[0]):
        views = []
        for column in columns:
            typed, understood = cells.get(column, ("", None))
            views.append(_cell_view(typed, understood, cell_severity.get((number, column), "")))
        rows.append(RowView(int(number), cell_severity.get((number, None), ""), views))
    return rows


def _cell_view(typed: Any, understood: Any, severity: str) -> CellView:
    typed_text = "" if _is_missing(typed) else str(typed)
    if _is_missing(understood) or understood == "":
        if typed_text.strip():
            return CellView(typed_text, NOT_UNDERSTOOD, True, severity)
        return CellView(typed_text, None, False, severity)
    shown = _show(understood)
    if not typed_text.strip():
        return CellView(BLANK, shown, False, severity)
    if shown == typed_text.strip():
        return CellView(typed_text, None, False, severity)
    # "?" alone or as one item of a list ("?; licensing") marks what was not understood.
    unknown = any(part.strip() == NOT_UNDERSTOOD for part in shown.split(";"))
    return CellView(typed_text, shown, unknown, severity)


def _show(value: Any) -> str:
    """A parsed value as a partner reads it."""
    if _is_missing(value):
        return NOT_UNDERSTOOD
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(_show(v) for v in value)
    return str(value)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    # pandas' NA and NaT, without importing pandas here.
    return type(value).__name__ in ("NAType", "NaTType")


def _personal_columns(table: Any) -> frozenset[str]:
    contract = PARTNER_TABLES.get(str(table))
    own = frozenset(contract.personal_columns) if contract is not None else frozenset()
    return own | PERSONAL_COLUMNS


def _path_key(path: Any) -> str:
    return PurePath(str(path)).as_posix()


def _anchor(path: str, taken: set[str]) -> str:
    base = "file-" + (re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "x")
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


# -------------------------------------------------------------------------------- template
_ENVIRONMENT = jinja2.Environment(
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)

_TEMPLATE = _ENVIRONMENT.from_string(
    """\
{% macro problem_table(problems, with_file) %}
<table class="problems">
<thead><tr><th></th>{% if with_file %}<th>File</th>{% endif %}<th class="num">Row</th>
<th>Column</th><th>Value as typed</th><th>What is wrong</th><th>How to fix</th></tr></thead>
<tbody>
{% for p in problems %}
<tr class="{{ p.severity }}">
<td><span class="badge {{ p.severity }}">{{ "Error" if p.severity == "error" else "Warning" }}\
</span></td>
{% if with_file %}<td>{{ p.file }}</td>{% endif %}
<td class="num">{{ p.row }}</td>
<td>{{ p.column }}</td>
<td class="value">{% if p.value %}{{ p.value }}{% elif p.has_cell %}\
<span class="blank">(blank)</span>{% endif %}</td>
<td class="what">{{ p.message }}</td>
<td class="fix">{{ p.hint }}</td>
</tr>
{% endfor %}
</tbody>
</table>
{% endmacro %}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ktreport {{ version }}">
<title>Validation report of the partner files – KT SoftSkills</title>
<style>
:root { --ink: #1b2430; --muted: #5b6573; --line: #d5dbe3; --brand: #1f4e79;
  --ok: #1d6b36; --ok-bg: #e3f4e8; --err: #a4161a; --err-bg: #fde2e1;
  --warn: #8a5300; --warn-bg: #fff1cc; --unknown-bg: #fde2e1; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem 2rem 3rem; color: var(--ink); background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 78rem; margin: 0 auto; }
h1 { color: var(--brand); font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { color: var(--brand); font-size: 1.25rem; margin: 2.2rem 0 .6rem;
  padding-top: .6rem; border-top: 2px solid var(--brand); }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
p { margin: .35rem 0; }
.sub { color: var(--muted); margin: 0 0 1rem; }
.banner { padding: .8rem 1rem; border-radius: 6px; font-size: 1.1rem; margin: 1rem 0; }
.banner.ready { background: var(--ok-bg); color: var(--ok); border: 1px solid #9fd3ae; }
.banner.fix { background: var(--err-bg); color: var(--err); border: 1px solid #f2a7a4; }
.howto { background: #f4f7fa; border: 1px solid var(--line); border-radius: 6px;
  padding: .6rem 1rem; margin: 1rem 0; }
.howto ul { margin: .3rem 0; padding-left: 1.2rem; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #eef3f8; color: var(--brand); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.problems td.num { white-space: nowrap; }
.status { display: inline-block; padding: .05rem .5rem; border-radius: 999px;
  font-weight: 600; font-size: .85rem; white-space: nowrap; }
.status.ready { background: var(--ok-bg); color: var(--ok); }
.status.fix { background: var(--err-bg); color: var(--err); }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 4px; font-size: .8rem;
  font-weight: 600; }
.badge.error { background: var(--err-bg); color: var(--err); }
.badge.warning { background: var(--warn-bg); color: var(--warn); }
.problems td.value { font-family: ui-monospace, "SFMono-Regular", Menlo,
  Consolas, "Liberation Mono", monospace; font-size: .85rem; }
.problems td.value { white-space: pre-wrap; overflow-wrap: break-word; min-width: 10rem;
  max-width: 22rem; }
.problems td.what { min-width: 16rem; }
.problems td.fix { min-width: 14rem; }
.blank { color: var(--muted); font-style: italic; }
.file { margin-bottom: 1.5rem; }
.file .meta { color: var(--muted); }
.clean { color: var(--ok); font-weight: 600; }
details { margin: .5rem 0 1rem; }
summary { cursor: pointer; color: var(--brand); font-weight: 600; }
.scroll { overflow-x: auto; max-width: 100%; }
.preview { font-size: .85rem; }
.preview th { white-space: nowrap; }
.preview td { min-width: 6rem; max-width: 18rem; overflow-wrap: break-word; }
.preview td.row { min-width: 0; }
.preview th.row, .preview td.row { text-align: right; color: var(--muted); }
.preview td.error { background: var(--err-bg); outline: 2px solid var(--err);
  outline-offset: -2px; }
.preview td.warning { background: var(--warn-bg); outline: 2px solid #e0a100;
  outline-offset: -2px; }
.preview td.unknown:not(.error):not(.warning) { background: var(--unknown-bg); }
.arrow { color: var(--muted); }
.understood { color: var(--brand); font-weight: 600; }
.unknown .understood { color: var(--err); }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem;
  border-top: 1px solid var(--line); padding-top: .6rem; }
@media print {
  body { padding: 0; font-size: 11px; }
  details > summary { list-style: none; }
  .scroll { overflow: visible; }
  h2 { break-before: auto; }
  table { break-inside: auto; } tr { break-inside: avoid; }
}
</style>
</head>
<body>
<main>
<h1>Validation report of the partner files</h1>
<p class="sub">KT SoftSkills – Knowledge Transfer Skills Investigation
{% if fingerprint %} · data fingerprint <code>{{ fingerprint }}</code>{% endif %}</p>

{% if ready %}
<div class="banner ready" role="status"><strong>Ready.</strong>
{{ plural(n_files, "file") }}, {{ plural(n_rows, "row") }} checked: no errors
{%- if warnings %}, {{ plural(warnings, "warning") }} worth a look{% endif %}.</div>
{% else %}
<div class="banner fix" role="status"><strong>Needs fixes.</strong>
{{ plural(errors, "error") }}
{%- if warnings %} and {{ plural(warnings, "warning") }}{% endif %}
 in {{ plural(n_files, "file") }} ({{ plural(n_rows, "row") }} checked).
Errors must be fixed before the report can be built.</div>
{% endif %}

<div class="howto">
<strong>How to read this report</strong>
<ul>
<li><strong>Row</strong> is the row number you see in your spreadsheet (the header is row 1);
<strong>column</strong> is the name in the header row.</li>
<li><span class="badge error">Error</span> must be fixed in your file before the report can be
built. <span class="badge warning">Warning</span> the value was used, but please check it.</li>
<li>In the previews, <code>Czech Republic <span class="arrow">→</span>
<span class="understood">CZ</span></code> shows how a value was understood;
<code>negociation <span class="arrow">→</span> <span class="understood">?</span></code>
means it was not understood. Problem cells are highlighted.</li>
<li>Fix the cell in your own file, save it and send the whole file again.</li>
</ul>
</div>

<h2 id="summary">Summary per partner</h2>
{% if partners %}
<table class="summary">
<thead><tr><th>Partner</th><th>Files</th><th class="num">Rows</th><th class="num">Errors</th>
<th class="num">Warnings</th><th>Status</th></tr></thead>
<tbody>
{% for partner in partners %}
<tr>
<td><strong>{{ partner.partner }}</strong></td>
<td>{% for f in partner.files %}<a href="#{{ f.anchor }}">{{ f.path }}</a>
{%- if not loop.last %}<br>{% endif %}{% endfor %}</td>
<td class="num">{{ partner.n_rows }}</td>
<td class="num">{{ partner.errors }}</td>
<td class="num">{{ partner.warnings }}</td>
<td>{% if partner.ready %}<span class="status ready">ready</span>
{%- else %}<span class="status fix">needs fixes</span>{% endif %}</td>
</tr>
{% endfor %}
</tbody>
</table>
{% else %}
<p>No partner files were found.</p>
{% endif %}

{% if general %}
<h2 id="across-files">Problems across files</h2>
{{ problem_table(general, True) }}
{% endif %}

{% for f in files %}
<section class="file" id="{{ f.anchor }}">
<h2>{{ f.path }}</h2>
<p class="meta">Partner <strong>{{ f.partner }}</strong>
{%- if f.table %} · table <strong>{{ f.table }}</strong>{% endif %}
 · {{ plural(f.n_rows, "row") }} ·
{% if f.ready %}<span class="status ready">ready</span>
{%- else %}<span class="status fix">needs fixes</span>{% endif %}</p>
{% if f.problems %}
<h3>{{ f.count_text }}</h3>
{{ problem_table(f.problems, False) }}
{% else %}
<p class="clean">No problems found.</p>
{% endif %}
{% if f.has_preview %}
<details{% if f.problems %} open{% endif %}>
<summary>How each row was understood ({{ plural(f.rows|length, "row") }})</summary>
<div class="scroll">
<table class="preview">
<thead><tr><th class="row">Row</th>
{% for column in f.columns %}<th>{{ column }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in f.rows %}
<tr><td class="row {{ row.severity }}">{{ row.number }}</td>
{% for cell in row.cells %}
<td class="{{ cell.severity }}{% if cell.unknown %} unknown{% endif %}">
{%- if cell.typed == "(blank)" %}<span class="blank">(blank)</span>
{%- else %}{{ cell.typed }}{% endif %}
{%- if cell.understood is not none %} <span class="arrow">→</span> \
<span class="understood">{{ cell.understood }}</span>{% endif %}</td>
{% endfor %}
</tr>
{% endfor %}
</tbody>
</table>
</div>
</details>
{% elif f.problems %}
<p class="meta">No preview: the rows could not be read.</p>
{% endif %}
</section>
{% endfor %}

<footer>Made by ktreport {{ version }}. This page is self-contained: it can be saved,
e-mailed and opened in any web browser. Personal data (names, e-mails, organisations,
phone numbers of interviewees) is never shown.</footer>
</main>
</body>
</html>
"""
)
