"""Stage 4a, the choice of renderer: pandoc or Quarto, from ``config.yaml`` and what is
installed.

Chosen here, before rendering, because the chapters' build information names the renderer
(and records Quarto's version when Quarto renders); stage 4b (``ktreport.render``) makes the
same choice with this function. Reads only the setting and PATH: cheap to import.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from ktreport.core.errors import RenderProblem

RENDERERS = ("auto", "pandoc", "quarto")


def choose_renderer(setting: str, which: Callable[[str], str | None] = shutil.which) -> str:
    """``auto`` → quarto when it is on PATH, else pandoc; ``quarto`` must be installed."""
    if setting not in RENDERERS:
        raise RenderProblem(
            f"config.yaml: renderer is '{setting}'; use one of {', '.join(RENDERERS)}"
        )
    if setting == "auto":
        return "quarto" if which("quarto") else "pandoc"
    if setting == "quarto" and not which("quarto"):
        raise RenderProblem(
            "config.yaml asks for renderer: quarto, but the quarto command is not installed. "
            "Install Quarto (https://quarto.org/docs/download/) or set renderer: auto."
        )
    return setting
