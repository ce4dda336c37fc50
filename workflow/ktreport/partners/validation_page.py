"""Partners' validation report, its page: the jinja template of the one self-contained HTML file.

Inline CSS only (no script, font, image or link to fetch); everything from a partner file is
escaped (autoescape); ``StrictUndefined``, so a view the template does not know is an error,
not an empty cell. Rendered with ``page`` (``validation_views.PageView``), ``fingerprint``,
``version`` and ``plural``.
"""

from __future__ import annotations

import jinja2

_ENVIRONMENT = jinja2.Environment(
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)

TEMPLATE = _ENVIRONMENT.from_string(
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

{% if page.ready %}
<div class="banner ready" role="status"><strong>Ready.</strong>
{{ plural(page.n_files, "file") }}, {{ plural(page.n_rows, "row") }} checked: no errors
{%- if page.warnings %}, {{ plural(page.warnings, "warning") }} worth a look{% endif %}.</div>
{% else %}
<div class="banner fix" role="status"><strong>Needs fixes.</strong>
{{ plural(page.errors, "error") }}
{%- if page.warnings %} and {{ plural(page.warnings, "warning") }}{% endif %}
 in {{ plural(page.n_files, "file") }} ({{ plural(page.n_rows, "row") }} checked).
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
{% if page.partners %}
<table class="summary">
<thead><tr><th>Partner</th><th>Files</th><th class="num">Rows</th><th class="num">Errors</th>
<th class="num">Warnings</th><th>Status</th></tr></thead>
<tbody>
{% for partner in page.partners %}
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

{% if page.general %}
<h2 id="across-files">Problems across files</h2>
{{ problem_table(page.general, True) }}
{% endif %}

{% for f in page.files %}
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
