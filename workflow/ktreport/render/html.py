"""Stage 4b, the HTML report (the rule render_html): pandoc's page made self-contained,
in its interactive variant (plotly figures) or its print variant (static figures, no
scripts, the paged-media layer, which ``ktreport.render.pdf`` lays out); or the interactive
variant rendered by Quarto, assembled the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ktreport.core.errors import RenderProblem
from ktreport.render.assemble import assemble, external_resources
from ktreport.render.pandoc import pandoc_html
from ktreport.render.quarto import quarto_html


def interactive_html(
    chapters: Sequence[Path], *, context: Mapping[str, Any], report_dir: Path, build_dir: Path
) -> tuple[str, list[str]]:
    """The interactive variant: plotly figures (SVG fallback), the screen layer."""
    html, warnings = pandoc_html(
        chapters, context=context, report_dir=report_dir, build_dir=build_dir, variant="interactive"
    )
    return assemble(html, variant="interactive", report_dir=report_dir, build_dir=build_dir), (
        warnings
    )


def print_html(
    chapters: Sequence[Path], *, context: Mapping[str, Any], report_dir: Path, build_dir: Path
) -> tuple[str, list[str]]:
    """The print variant: static figures, no scripts, the paged-media layer."""
    html, warnings = pandoc_html(
        chapters, context=context, report_dir=report_dir, build_dir=build_dir, variant="print"
    )
    return assemble(html, variant="print", report_dir=report_dir, build_dir=build_dir), warnings


def quarto_interactive_html(
    chapters: Sequence[Path], *, context: Mapping[str, Any], report_dir: Path, build_dir: Path
) -> tuple[str, list[str]]:
    """The interactive variant rendered by Quarto, assembled as the pandoc route's is.

    Only the HTML file: the PDF is always WeasyPrint over pandoc's print variant
    (``print_html``), the reference the paged layout is written for."""
    html, warnings = quarto_html(
        chapters, context=context, report_dir=report_dir, build_dir=build_dir
    )
    return assemble(html, variant="interactive", report_dir=report_dir, build_dir=build_dir), (
        warnings
    )


def render_html(
    chapters: Sequence[Path],
    out: Path,
    *,
    context: Mapping[str, Any],
    report_dir: Path,
    build_dir: Path,
    renderer: str = "pandoc",
) -> list[str]:
    """Write the self-contained HTML report; returns lines for the log (the engine's
    warnings and its run time, ``time pandoc 0.312 s``)."""
    if renderer == "quarto":
        html, warnings = quarto_interactive_html(
            chapters, context=context, report_dir=report_dir, build_dir=build_dir
        )
    else:
        html, warnings = interactive_html(
            chapters, context=context, report_dir=report_dir, build_dir=build_dir
        )
    external = external_resources(html)
    if external:
        raise RenderProblem(
            "the HTML would load resources from outside the file: " + ", ".join(external)
        )
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(html, encoding="utf-8")
    return warnings
