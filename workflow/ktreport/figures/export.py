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
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from ktreport.catalog import FIGURES_MANIFEST_FILE
from ktreport.core.stamps import write_if_changed
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


@dataclass(frozen=True)
class FigureSet:
    """Figures exported to one folder; ``prefix`` makes their cache entries' names unique
    where several sets share a cache (the briefs': ``FI-``, ``IT-``, ...)."""

    specs: Sequence[FigureSpec]
    out_dir: Path
    prefix: str = ""


def export_figures(
    specs: Sequence[FigureSpec], out_dir: Path, cache_dir: Path | None = None
) -> Exported:
    """``<id>.svg``, ``<id>.json`` for every figure and the manifest ``figures.json``.

    The SVGs come from the figure cache in ``cache_dir`` (``figures.cache``): kaleido draws,
    in one Chromium session, only those whose figure changed; without ``cache_dir``, all of
    them (through a cache of this call only). Returns what was drawn and what was cached.
    """
    return export_figure_sets([FigureSet(specs, Path(out_dir))], cache_dir)


def export_figure_sets(sets: Sequence[FigureSet], cache_dir: Path | None = None) -> Exported:
    """``export_figures`` for several folders at once: one kaleido session for every figure
    of every set that the cache lacks. Each file is written only when its bytes changed,
    so its date says when its figure last changed."""
    images, figure_ids = [], {}
    for figure_set in sets:
        for spec in figure_set.specs:
            name = figure_set.prefix + spec.id
            figure_ids[name] = spec.id
            target = Path(figure_set.out_dir) / f"{spec.id}.svg"
            figure = _with_stable_uids(spec.figure, spec.id)
            images.append(Image(name, figure, target, spec.width, spec.height))
    with contextlib.ExitStack() as stack:
        if cache_dir is None:
            cache_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        exported = export_images(
            images,
            "svg",
            cache_dir,
            finish=lambda name, svg: _stable_svg_bytes(figure_ids[name], svg),
        )
    for figure_set in sets:
        out_dir = Path(figure_set.out_dir)
        for spec in figure_set.specs:
            write_if_changed(out_dir / f"{spec.id}.json", figure_json(spec.figure))
        write_manifest(figure_set.specs, out_dir / FIGURES_MANIFEST_FILE)
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
    write_if_changed(Path(path), text)
    return Path(path)
