"""Stage 4b, the interactive charts of the HTML and what makes them accessible.

Each figure with a plotly JSON becomes, inside its ``<figure>``:
- a ``.chart`` block: the plot (``role="img"``, the figure's alt text as its name; nothing
  inside it is focusable) and, added by ``report.js``, one toolbar (one Tab stop):
  download PNG, download SVG, reset the view;
- the static SVG as ``<noscript>`` fallback;
- a "Data table" disclosure (``<details>``) with the chart's values (the manifest's
  ``data_table``, written in stage 3 from the figure itself), headers with ``scope``.

``PLOTLY_CONFIG`` switches plotly's own toolbar off and, should it ever be shown, every
action that sends data anywhere (Plotly Cloud share and edit, the logo link).
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ktreport.catalog import FIGURES_MANIFEST_FILE

SCRIPT = Path("assets") / "report.js"

# Plotly's toolbar would offer "Share chart" (an upload to Plotly Cloud), "Edit in Chart
# Studio" and a logo linking to plotly.com, and put ten unlabelled icons in the Tab order.
# It is off; the report's own toolbar keeps what a reader needs (PNG, SVG, reset).
PLOTLY_CONFIG: dict[str, Any] = {
    "displayModeBar": False,
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "sendData": False,
    "plotlyServerURL": "",
    "modeBarButtonsToRemove": [
        "sendDataToCloud",
        "editInChartStudio",
        "zoom2d",
        "pan2d",
        "select2d",
        "lasso2d",
        "zoomIn2d",
        "zoomOut2d",
        "autoScale2d",
        "hoverClosestCartesian",
        "hoverCompareCartesian",
        "toggleSpikelines",
    ],
    "responsive": True,
    "scrollZoom": False,
    "doubleClick": "reset",
}


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element (no "</script>", no HTML comment)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _escape(text: Any) -> str:
    return html_lib.escape(str(text), quote=True)


def data_table_html(table: Mapping[str, Any]) -> str:
    """The chart's values as a disclosure with a table (first column: row headers)."""
    columns: Sequence[str] = table.get("columns") or []
    rows: Sequence[Sequence[str]] = table.get("rows") or []
    if not columns or not rows:
        return ""
    head = "".join(f'<th scope="col">{_escape(c)}</th>' for c in columns)
    body = "".join(
        f'<tr><th scope="row">{_escape(row[0])}</th>'
        + "".join(f"<td>{_escape(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    caption = _escape(table.get("caption") or "Data of the chart")
    return (
        '<details class="chart-data"><summary>Data table</summary>'
        f'<div class="scroll-frame" role="region" aria-label="{caption}" tabindex="0">'
        f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div></details>"
    )


def manifest(figures_dir: Path) -> dict[str, Mapping[str, Any]]:
    """The figures manifest of stage 3 by figure id (empty when there is none)."""
    path = Path(figures_dir) / FIGURES_MANIFEST_FILE
    if not path.is_file():
        return {}
    return {entry["id"]: entry for entry in json.loads(path.read_text(encoding="utf-8"))}


def plotly_figure(json_path: Path, entry: Mapping[str, Any]) -> dict[str, Any]:
    """The figure for plotly.js: on screen it follows its container (no fixed width); a
    download has the print size."""
    figure = json.loads(json_path.read_text(encoding="utf-8"))
    layout = dict(figure.get("layout", {}))
    layout.pop("width", None)
    layout["autosize"] = True
    download = {"filename": json_path.stem}
    for key in ("width", "height"):
        if entry.get(key):
            download[key] = entry[key]
    return {"data": figure.get("data", []), "layout": layout, "download": download}


def chart_html(*, image: str, alt: str, json_path: Path, entry: Mapping[str, Any]) -> str:
    """The interactive chart that replaces a figure's <img> (``alt`` already escaped)."""
    plot_id = f"{json_path.stem}-plot"
    label = _escape(" ".join(str(entry.get("title") or json_path.stem).split()))
    return (
        f'<div class="chart"><div class="plotly-figure" id="{plot_id}" role="img" '
        f'aria-label="{alt}"></div></div>'
        f"<noscript>{image}</noscript>"
        f'<script type="application/json" class="plotly-data" data-target="{plot_id}" '
        f'data-label="{label}">{script_json(plotly_figure(json_path, entry))}</script>'
        + data_table_html(entry.get("data_table") or {})
    )


# Pandoc writes a number's source span as <span data-kf="NAME" title="NAME — definition: n">.
_SOURCE_SPAN = re.compile(r'<span data-kf="([^"]*)" title="([^"]*)">')


def source_descriptions(html: str) -> str:
    """Each number's source span gets ``data-source``: its definition and n without the
    internal key name (what a screen reader reads and the focus tooltip shows)."""

    def replace(match: re.Match) -> str:
        name, title = match.group(1), match.group(2)
        source = title.removeprefix(name).removeprefix(" — ") or title
        return f'<span data-kf="{name}" title="{title}" data-source="{source}">'

    return _SOURCE_SPAN.sub(replace, html)


# Pandoc's tables are wide on a phone: each sits in a frame that scrolls sideways and is
# focusable (report.js keeps it focusable only while it does scroll).
_TABLE = re.compile(r"(<table\b.*?</table>)", re.DOTALL)


def table_frames(main: str) -> str:
    def replace(match: re.Match) -> str:
        table = match.group(1)
        caption = re.search(r"<caption>(.*?)</caption>", table, re.DOTALL)
        label = re.sub(r"<[^>]+>", "", caption.group(1)) if caption else "Table"
        label = _escape(html_lib.unescape(" ".join(label.split())))
        return (
            f'<div class="scroll-frame" role="region" aria-label="{label}" tabindex="0">'
            f"{table}</div>"
        )

    return _TABLE.sub(replace, main)


def interactive_scripts(report_dir: Path, plotly: str) -> str:
    """plotly.js, the charts' configuration and report.js, for the end of the page."""
    script = (Path(report_dir) / SCRIPT).read_text(encoding="utf-8")
    return (
        f"<script>{plotly}</script>\n"
        f'<script type="application/json" id="ktreport-plotly-config">'
        f"{script_json(PLOTLY_CONFIG)}</script>\n"
        f"<script>{script}</script>"
    )
