"""``make bench``, its floor: the engines a build cannot avoid, run once each, directly.

One kaleido/Chromium session exporting every figure, one pandoc render and one WeasyPrint
render of the PDF, on the inputs a complete build left in the copy. Runs in a child process
of its own (``workflow/scripts/bench.py --floor-of``). Where a quarto is installed (on PATH
or at ``$KTREPORT_QUARTO``), also one Quarto render of the HTML, beside pandoc's: not part
of the floor, which is the default (pandoc) route's.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from ktreport.tools.bench_measure import engine_times

QUARTO = "quarto"


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
    floor = {
        "kaleido": kaleido,
        "pandoc": engines.get("pandoc", 0.0),
        "weasyprint": engines.get("weasyprint", 0.0),
    }
    quarto = quarto_folder()
    if quarto:
        # renderer: quarto runs the quarto on PATH.
        os.environ["PATH"] = os.pathsep.join([quarto, os.environ.get("PATH", "")])
        floor[QUARTO] = measure_quarto(build_dir, report_dir, chapters, context)
    return floor


def floor_seconds(floor: dict[str, float]) -> float:
    """The floor: the default (pandoc) route's engines; Quarto's render is beside it."""
    return sum(seconds for engine, seconds in floor.items() if engine != QUARTO)


def quarto_folder() -> str | None:
    """The folder of the quarto to time: on PATH, else ``$KTREPORT_QUARTO`` (the executable,
    as the tests take it), else none."""
    found = shutil.which(QUARTO) or os.environ.get("KTREPORT_QUARTO")
    return str(Path(found).parent) if found and Path(found).is_file() else None


def measure_quarto(build_dir: Path, report_dir: Path, chapters: list[Path], context) -> float:
    """Seconds of one Quarto render of the HTML (the engine's own time, as the rule logs
    it), in a scratch copy of the build folder's chapters and figures."""
    from ktreport.render import quarto_html

    with tempfile.TemporaryDirectory(prefix="ktreport-quarto-") as scratch:
        scratch_build = Path(scratch) / "_build"
        for part in ("chapters", "figures"):
            shutil.copytree(build_dir / part, scratch_build / part)
        _, lines = quarto_html(
            [scratch_build / "chapters" / c.name for c in chapters],
            context=context,
            report_dir=report_dir,
            build_dir=scratch_build,
        )
    return engine_times(lines).get(QUARTO, 0.0)
