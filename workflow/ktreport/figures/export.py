"""Stage 3, figures: the export, SVG for print, plotly JSON for the HTML, the manifest.

``export_figures`` writes, for each figure, a static SVG (all figures in one
kaleido/Chromium session) for the PDF, the plotly JSON for the interactive HTML, and a
manifest ``figures.json`` that the chapters and the renderer read. Both files are
byte-for-byte reproducible.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from ktreport.catalog import FIGURES_MANIFEST_FILE
from ktreport.figures.cache import Exported, Image, export_images
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


def export_figures(
    specs: Sequence[FigureSpec], out_dir: Path, cache_dir: Path | None = None
) -> Exported:
    """``<id>.svg``, ``<id>.json`` for every figure and the manifest ``figures.json``.

    The SVGs come from the figure cache in ``cache_dir`` (``figures.cache``): kaleido draws,
    in one Chromium session, only those whose figure changed; without ``cache_dir``, all of
    them (through a cache of this call only). Returns what was drawn and what was cached.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    images = [
        Image(
            spec.id,
            _with_stable_uids(spec.figure, spec.id),
            out_dir / f"{spec.id}.svg",
            spec.width,
            spec.height,
        )
        for spec in specs
    ]
    with contextlib.ExitStack() as stack:
        if cache_dir is None:
            cache_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        exported = export_images(images, "svg", cache_dir, finish=_stable_svg_bytes)
    for spec in specs:
        json_path = out_dir / f"{spec.id}.json"
        json_path.write_text(figure_json(spec.figure), encoding="utf-8", newline="")
    write_manifest(specs, out_dir / FIGURES_MANIFEST_FILE)
    return exported


def _stable_svg_bytes(figure_id: str, svg: bytes) -> bytes:
    # Newlines as reading the file as text gives them (the SVGs have always been written so).
    text = svg.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    return stable_svg(text, figure_id).encode("utf-8")


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
