"""``make bench``, its floor: the engines a build cannot avoid, run once each, directly.

One kaleido/Chromium session exporting every figure, one pandoc render and one WeasyPrint
render of the PDF, on the inputs a complete build left in the copy. Runs in a child process
of its own (``workflow/scripts/bench.py --floor-of``).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from ktreport.tools.bench_measure import engine_times


def measure_floor(project_dir: Path) -> dict[str, float]:
    """The engines of a build, each run once, directly, on the built inputs of
    ``project_dir`` (after a complete build): seconds of one kaleido session exporting every
    figure, of one pandoc render and of one WeasyPrint render of the print HTML.

    Heavy libraries are imported here, not at the top: the benchmark's runner never needs
    them; this runs in a child process of its own."""
    import plotly.io as pio

    from ktreport.catalog import chapter_output_name, chapter_templates
    from ktreport.render import render_pdf

    project_dir = Path(project_dir).resolve()
    report_dir = project_dir / "report"
    build_dir = report_dir / "_build"
    figures_dir = build_dir / "figures"
    manifest = json.loads((figures_dir / "figures.json").read_text(encoding="utf-8"))
    figures = [pio.read_json(figures_dir / entry["json"]) for entry in manifest]
    chapters = [
        build_dir / "chapters" / chapter_output_name(t)
        for t in chapter_templates(report_dir / "chapters")
    ]
    context = json.loads((build_dir / "render_context.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="ktreport-floor-") as scratch:
        out = Path(scratch)
        started = time.perf_counter()
        pio.write_images(
            figures,
            [out / f"{entry['id']}.svg" for entry in manifest],
            format="svg",
            width=[entry["width"] for entry in manifest],
            height=[entry["height"] for entry in manifest],
            scale=1,
        )
        kaleido = time.perf_counter() - started
        previous = os.getcwd()
        os.chdir(project_dir)  # render paths are relative to the project, as in the build
        try:
            lines = render_pdf(
                chapters,
                out / "report.pdf",
                context=context,
                report_dir=Path("report"),
                build_dir=Path("report/_build"),
            )
        finally:
            os.chdir(previous)
    engines = engine_times(lines)
    return {
        "kaleido": kaleido,
        "pandoc": engines.get("pandoc", 0.0),
        "weasyprint": engines.get("weasyprint", 0.0),
    }
