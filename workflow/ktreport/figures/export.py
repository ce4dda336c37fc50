"""Stage 3, figures: the export, SVG for print, plotly JSON for the HTML, the manifest.

``export_figures`` writes, for each figure, a static SVG (all figures in one
kaleido/Chromium session) for the PDF, the plotly JSON for the interactive HTML, and a
manifest ``figures.json`` that the chapters and the renderer read. Both files are
byte-for-byte reproducible.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from ktreport.catalog import FIGURES_MANIFEST_FILE
from ktreport.figures.datatable import data_table
from ktreport.figures.spec import FigureSpec

_KALEIDO_ID = re.compile(r'id="defs-([0-9a-f]{6})"')


def stable_svg(svg: str, figure_id: str) -> str:
    """Replace kaleido's random 6-hex document id (defs-…, clip…, gradients) by a stable one."""
    match = _KALEIDO_ID.search(svg)
    if not match:
        return svg
    random_id = match.group(1)
    stable = _stable_id(figure_id)
    # Only where the id is glued to an identifier (defs-ab12cd, clipab12cdxy, …), so that a
    # colour or a number in the text can never be touched.
    pattern = re.compile(rf"(?<=[A-Za-z_-]){random_id}(?![0-9a-f])")
    return pattern.sub(stable, svg)


def _stable_id(figure_id: str) -> str:
    return re.sub(r"[^a-z0-9]", "", figure_id.lower().removeprefix("fig-"))


def _with_stable_uids(figure: go.Figure, figure_id: str) -> go.Figure:
    """A copy whose traces carry fixed uids (plotly.js draws random ones into the SVG)."""
    copy = go.Figure(figure)
    for index, trace in enumerate(copy.data):
        trace.uid = f"{_stable_id(figure_id)}{index}"
    return copy


def figure_json(figure: go.Figure) -> str:
    """The plotly figure as canonical JSON (sorted keys, no uids): same figure, same bytes."""
    data = json.loads(pio.to_json(figure, validate=True, remove_uids=True))
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def export_figures(specs: Sequence[FigureSpec], out_dir: Path) -> Path:
    """``<id>.svg``, ``<id>.json`` for every figure and the manifest ``figures.json``.

    All SVGs are rendered in one kaleido (Chromium) session; returns the manifest path.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    svg_paths = [out_dir / f"{spec.id}.svg" for spec in specs]
    pio.write_images(
        [_with_stable_uids(spec.figure, spec.id) for spec in specs],
        svg_paths,
        format="svg",
        width=[spec.width for spec in specs],
        height=[spec.height for spec in specs],
        scale=1,
    )
    for spec, svg_path in zip(specs, svg_paths, strict=True):
        svg = svg_path.read_text(encoding="utf-8")
        svg_path.write_text(stable_svg(svg, spec.id), encoding="utf-8", newline="")
        json_path = out_dir / f"{spec.id}.json"
        json_path.write_text(figure_json(spec.figure), encoding="utf-8", newline="")
    return write_manifest(specs, out_dir / FIGURES_MANIFEST_FILE)


def manifest_entries(specs: Sequence[FigureSpec]) -> list[dict]:
    """The manifest of the figures: what the chapters and the renderer need of each."""
    return [
        {
            "id": spec.id,
            "title": spec.title,
            "caption": spec.caption,
            "alt": spec.alt,
            "n": spec.n,
            "svg": f"{spec.id}.svg",
            "json": f"{spec.id}.json",
            "width": spec.width,
            "height": spec.height,
            # The chart's values, shown under the interactive chart (the HTML's data table).
            "data_table": data_table(spec.figure, spec.title),
        }
        for spec in specs
    ]


def write_manifest(specs: Sequence[FigureSpec], path: Path) -> Path:
    """``figures.json`` (list of entries, indent 2, UTF-8 as is, trailing newline)."""
    text = json.dumps(manifest_entries(specs), indent=2, ensure_ascii=False) + "\n"
    Path(path).write_text(text, encoding="utf-8", newline="")
    return Path(path)
