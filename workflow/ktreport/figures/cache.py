"""Stage 3, figures: static images exported once per content (SVG for print, PNG for Word).

Starting kaleido's Chromium costs seconds, and so does each figure it draws. A figure's
image depends only on what kaleido is given: the plotly figure (data, layout and the
theme's template, all in its JSON), the size, scale and format, and the engine (plotly.js,
kaleido, Chromium). ``export_images`` hashes exactly that per figure, keeps kaleido's output
in a cache keyed by the hash, and opens one kaleido session for the figures whose hash has
no entry yet (none at all when nothing changed), so a one-partner change re-exports only
the figures that partner's data reach.

The cache holds kaleido's raw output; ``finish`` (the SVG's stable ids) is applied on every
copy out of it, so a change to that step needs no change of the key. One entry per figure
and format is kept: the cache never grows beyond the report's figures.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from ktreport.core.stamps import write_if_changed

if TYPE_CHECKING:  # the figures come in from the caller
    import plotly.graph_objects as go

KEY_LENGTH = 20  # hex digits of the hash in an entry's name
# kaleido's page loads MathJax from a CDN unless told not to: a download in every session
# (the build works offline, and no figure has LaTeX). plotly.io.write_images has no way to
# say so, hence ``write_images`` here.
KALEIDO_OPTIONS = {"mathjax": False}
_ENGINE_PACKAGES = ("plotly", "kaleido", "choreographer")
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


@dataclass(frozen=True)
class Image:
    """One figure to draw: its ``name`` (the figure id, the cache entry's name) and where."""

    name: str
    figure: go.Figure
    target: Path
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Exported:
    """What ``export_images`` did: the figures kaleido drew, those copied from the cache."""

    drawn: tuple[str, ...]
    cached: tuple[str, ...]
    seconds: float  # kaleido's session, 0 when nothing was drawn

    def summary(self, what: str) -> str:
        """One line for the step's log, the bench reads it (``tools.bench_figures``)."""
        drawn = ", ".join(self.drawn) if self.drawn else "none"
        return (
            f"{len(self.drawn)} of {len(self.drawn) + len(self.cached)} {what} exported by "
            f"kaleido in {self.seconds:.2f} s ({drawn}); {len(self.cached)} from the cache\n"
        )


@cache
def engine() -> dict[str, str]:
    """What draws the images besides the figure: the packages' versions and the browser's
    identity (its resolved path, size and change time: an upgrade replaces the file)."""
    found: dict[str, str] = {}
    for package in _ENGINE_PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[package] = metadata.version(package)
    browser = os.environ.get("BROWSER_PATH") or next(
        filter(None, map(shutil.which, _BROWSERS)), None
    )
    if browser:
        with contextlib.suppress(OSError):
            real = Path(browser).resolve()
            info = real.stat()
            found["browser"] = f"{real}:{info.st_size}:{info.st_mtime_ns}"
    return found


def image_key(image: Image, fmt: str, scale: float) -> str:
    """The hash of everything kaleido is given for ``image`` (same key, same bytes)."""
    import plotly.io as pio

    figure = json.loads(pio.to_json(image.figure, validate=False, remove_uids=False))
    given = {
        "engine": engine(),
        "format": fmt,
        "scale": scale,
        "width": image.width,
        "height": image.height,
        # What kaleido takes where the size is not given.
        "defaults": [pio.defaults.default_width, pio.defaults.default_height],
        "kaleido": KALEIDO_OPTIONS,
        "figure": figure,
    }
    text = json.dumps(given, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:KEY_LENGTH]


def export_images(
    images: Sequence[Image],
    fmt: str,
    cache_dir: Path,
    *,
    scale: float = 1,
    finish: Callable[[str, bytes], bytes] | None = None,
) -> Exported:
    """Write every ``image.target``: from the cache where its key has an entry, else drawn
    by kaleido (one session for all that are missing) and kept in the cache."""
    folder = Path(cache_dir) / fmt
    folder.mkdir(parents=True, exist_ok=True)
    entries = [folder / f"{image.name}-{image_key(image, fmt, scale)}.{fmt}" for image in images]
    missing = [(i, e) for i, e in zip(images, entries, strict=True) if not e.is_file()]
    seconds = _draw(missing, fmt, scale, folder) if missing else 0.0
    for image, entry in zip(images, entries, strict=True):
        data = entry.read_bytes()
        write_if_changed(Path(image.target), finish(image.name, data) if finish else data)
        _prune(folder, image.name, entry, fmt)
    drawn = {image.name for image, _ in missing}
    return Exported(
        drawn=tuple(i.name for i in images if i.name in drawn),
        cached=tuple(i.name for i in images if i.name not in drawn),
        seconds=seconds,
    )


def _draw(missing: Sequence[tuple[Image, Path]], fmt: str, scale: float, folder: Path) -> float:
    """Draw the ``missing`` images in one kaleido session into their cache entries; each
    entry appears whole (renamed from a temporary file) or not at all."""
    with tempfile.TemporaryDirectory(dir=folder, prefix=".drawing-") as scratch:
        drawn = [Path(scratch) / entry.name for _, entry in missing]
        started = time.perf_counter()
        write_images(
            [image.figure for image, _ in missing],
            drawn,
            formats=[fmt] * len(missing),
            scales=[scale] * len(missing),
            widths=[image.width for image, _ in missing],
            heights=[image.height for image, _ in missing],
        )
        seconds = time.perf_counter() - started
        for path, (_, entry) in zip(drawn, missing, strict=True):
            os.replace(path, entry)
    return seconds


def write_images(
    figures: Sequence[go.Figure],
    files: Sequence[Path],
    *,
    formats: Sequence[str],
    scales: Sequence[float],
    widths: Sequence[int | None],
    heights: Sequence[int | None],
) -> None:
    """Draw each figure into its file in one kaleido session (one Chromium), as
    ``plotly.io.write_images`` does, but with ``KALEIDO_OPTIONS``: nothing from the network."""
    import kaleido
    import plotly.io as pio

    specs = [
        {
            "fig": figure.to_dict(),
            "path": Path(file),
            "opts": {
                "format": fmt,
                "width": width or pio.defaults.default_width,
                "height": height or pio.defaults.default_height,
                "scale": scale,
            },
            "topojson": pio.defaults.topojson,
        }
        for figure, file, fmt, scale, width, height in zip(
            figures, files, formats, scales, widths, heights, strict=True
        )
    ]
    kaleido.write_fig_from_object_sync(specs, kopts=dict(KALEIDO_OPTIONS))


def _prune(folder: Path, name: str, keep: Path, fmt: str) -> None:
    """Remove the figure's other entries (older contents): one entry per figure."""
    own = re.compile(rf"{re.escape(name)}-[0-9a-f]{{{KEY_LENGTH}}}\.{re.escape(fmt)}")
    for path in folder.iterdir():
        if path != keep and own.fullmatch(path.name):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def keep_only(cache_dir: Path, fmt: str, names: set[str]) -> None:
    """Remove the entries of figures not in ``names`` (a brief that no longer has one):
    the cache holds only what the build still draws."""
    own = re.compile(rf"(.+)-[0-9a-f]{{{KEY_LENGTH}}}\.{re.escape(fmt)}")
    folder = Path(cache_dir) / fmt
    for path in folder.glob(f"*.{fmt}") if folder.is_dir() else ():
        match = own.fullmatch(path.name)
        if match and match.group(1) not in names:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
