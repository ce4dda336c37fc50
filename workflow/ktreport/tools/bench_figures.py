"""``make bench``: what kaleido drew in a build (issue 16, item 4: the figure cache).

The rules ``make_figures`` and ``export_png_figures`` end their logs with one line,
``3 of 10 SVG figures exported by kaleido in 4.21 s (…); 7 from the cache``
(``figures.cache.Exported.summary``). The bench reads them after the cold build and after
the one-partner change: how many figures were drawn again, and kaleido's seconds.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

from ktreport.catalog import LOGS

FIGURE_LOGS = {"svg": "make_figures.log", "png": "export_png_figures.log"}
_EXPORTED = re.compile(r"^(\d+) of (\d+) (?:SVG|PNG) figures exported by kaleido in ([\d.]+) s")


def forget_figure_logs(project: Path) -> None:
    """Remove the two logs, so that a rule that does not run leaves none (0 drawn)."""
    for name in FIGURE_LOGS.values():
        with contextlib.suppress(FileNotFoundError):
            (project / LOGS / name).unlink()


def figure_exports(project: Path) -> dict[str, Any]:
    """``{"svg": [drawn, of, seconds], "png": [...]}`` from the logs of the last build;
    a missing log (the rule did not run) counts as nothing drawn."""
    found: dict[str, Any] = {}
    for fmt, name in FIGURE_LOGS.items():
        path = project / LOGS / name
        text = path.read_text("utf-8", "replace") if path.is_file() else ""
        match = next(filter(None, map(_EXPORTED.match, text.splitlines())), None)
        found[fmt] = [int(match[1]), int(match[2]), float(match[3])] if match else [0, 0, 0.0]
    return found


def figure_export_line(cold: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The bench line's detail: figures drawn and kaleido's seconds, cold and after the
    one-partner change (SVG and PNG together)."""

    def total(exports: dict[str, Any]) -> tuple[int, float]:
        return sum(e[0] for e in exports.values()), sum(e[2] for e in exports.values())

    cold_drawn, cold_seconds = total(cold)
    drawn, seconds = total(after)
    return {
        "seconds": round(seconds, 3),
        "figures_drawn": drawn,
        "figures_drawn_cold": cold_drawn,
        "kaleido_seconds_cold": round(cold_seconds, 3),
        "by_format": {"cold": cold, "partner_change": after},
    }
