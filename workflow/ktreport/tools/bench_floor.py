"""``make bench``, its floor: the engines a build cannot avoid, run once each, directly.

On the inputs a complete build left in the copy, every document the build makes: one
kaleido/Chromium session exporting every figure in every format the build writes (the
report's SVG and its PNG for the Word copy, each brief's SVG), then per document its pandoc
renders (the HTML page and the print HTML; the report's Word copy) and one WeasyPrint
render of its PDF. Two floors: the **report's** (what a prose-only rebuild redoes) and the
**whole build's** (the report and its briefs, what a cold build makes). Runs in a child
process of its own (``workflow/scripts/bench.py --floor-of``). Where a quarto is installed
(on PATH or at ``$KTREPORT_QUARTO``), also one Quarto render of the HTML, beside pandoc's:
not part of the floor, which is the default (pandoc) route's.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ktreport.tools.bench_measure import engine_times

QUARTO = "quarto"
# The engines whose seconds make a floor (Quarto's are beside it).
ENGINES = ("kaleido", "pandoc", "weasyprint")
# Each engine's seconds for the briefs alone carry this prefix (``briefs_weasyprint``).
BRIEFS = "briefs_"


@dataclass(frozen=True)
class Document:
    """One document a build makes, from its build folder (``report/_build`` or a brief's)."""

    name: str
    build_dir: Path
    chapters: list[Path]
    context: dict[str, Any]
    figures: list[dict[str, Any]]  # the figures manifest's entries


def _document(name: str, build_dir: Path, templates_dir: Path) -> Document:
    from ktreport.catalog import FIGURES_MANIFEST_FILE, chapter_output_name, chapter_templates

    return Document(
        name,
        build_dir,
        [build_dir / "chapters" / chapter_output_name(t) for t in chapter_templates(templates_dir)],
        json.loads((build_dir / "render_context.json").read_text(encoding="utf-8")),
        json.loads((build_dir / "figures" / FIGURES_MANIFEST_FILE).read_text(encoding="utf-8")),
    )


def documents() -> list[Document]:
    """The report, then the briefs the build made (``units.json``), in the current folder
    (a built project)."""
    from ktreport.catalog import BRIEF_BUILD, BRIEF_TEMPLATES_DIR, BRIEF_UNITS, BUILD, REPORT_DIR

    made = [_document("report", BUILD, REPORT_DIR / "chapters")]
    if BRIEF_UNITS.is_file():
        units = json.loads(BRIEF_UNITS.read_text(encoding="utf-8")).get("briefs", [])
        for unit in units:
            brief = str(unit["id"])
            made.append(_document(brief, BRIEF_BUILD / brief, BRIEF_TEMPLATES_DIR))
    return made


def _export_all(made: list[Document], out: Path, word: bool) -> tuple[float, int]:
    """Every figure of every document, in every format the build writes, in one kaleido
    session: (seconds, images). ``word``: the build makes the Word copy."""
    import plotly.io as pio

    from ktreport.figures.cache import write_images

    figures, files, formats, scales, widths, heights = [], [], [], [], [], []
    for document in made:
        # The report's figures also as PNG at twice the size (the Word copy's).
        word_copy = word and document.name == "report"
        kinds = (("svg", 1), ("png", 2)) if word_copy else (("svg", 1),)
        for entry in document.figures:
            figure = pio.read_json(document.build_dir / "figures" / entry["json"])
            for fmt, scale in kinds:
                figures.append(figure)
                files.append(out / f"{document.name}-{entry['id']}.{fmt}")
                formats.append(fmt)
                scales.append(scale)
                widths.append(entry["width"])
                heights.append(entry["height"])
    started = time.perf_counter()
    write_images(figures, files, formats=formats, scales=scales, widths=widths, heights=heights)
    return time.perf_counter() - started, len(files)


def _render(document: Document, out: Path, docx_dir: Path | None) -> dict[str, float]:
    """The engines' seconds of one document's renders: PDF (pandoc's print HTML and
    WeasyPrint), HTML page (pandoc) and, for the report, the Word copy (pandoc)."""
    from ktreport.render import render_html, render_pdf
    from ktreport.render.docx import render_docx

    given = {"context": document.context, "report_dir": Path("report")}
    lines = render_pdf(
        document.chapters, out / f"{document.name}.pdf", **given, build_dir=document.build_dir
    )
    lines += render_html(
        document.chapters,
        out / f"{document.name}.html",
        **given,
        build_dir=document.build_dir,
        renderer="pandoc",
    )
    if docx_dir is not None:
        lines += render_docx(
            document.chapters, out / f"{document.name}.docx", **given, docx_dir=docx_dir
        )
    return engine_times(lines)


def measure_floor(project_dir: Path) -> dict[str, float]:
    """The engines of a build, each run directly, on the built inputs of ``project_dir``
    (after a complete build): the seconds of each engine for the whole build, the same
    for the briefs alone (``briefs_`` keys), and the documents' and images' counts.

    Heavy libraries are imported in the functions, not at the top: the benchmark's runner
    never needs them; this runs in a child process of its own."""
    from ktreport.catalog import DOCX_DIR

    project_dir = Path(project_dir).resolve()
    previous = os.getcwd()
    os.chdir(project_dir)  # render paths are relative to the project, as in the build
    try:
        made = documents()
        with tempfile.TemporaryDirectory(prefix="ktreport-floor-") as scratch:
            out = Path(scratch)
            # The Word copy (where the build makes one) writes its anchored chapters to a
            # copy of its folder, not the build's.
            docx_dir = out / "docx" if DOCX_DIR.is_dir() else None
            if docx_dir is not None:
                shutil.copytree(DOCX_DIR, docx_dir)
            kaleido, images = _export_all(made, out, word=docx_dir is not None)
            brief_images = sum(len(d.figures) for d in made[1:])
            floor: dict[str, float] = {engine: 0.0 for engine in ENGINES}
            floor["kaleido"] = kaleido
            # The briefs' share of the one session, by their share of the images.
            floor[BRIEFS + "kaleido"] = kaleido * brief_images / images if images else 0.0
            for engine in ENGINES[1:]:
                floor[BRIEFS + engine] = 0.0
            for document in made:
                times = _render(document, out, docx_dir if document.name == "report" else None)
                for engine in ENGINES[1:]:
                    floor[engine] += times.get(engine, 0.0)
                    if document.name != "report":
                        floor[BRIEFS + engine] += times.get(engine, 0.0)
            floor["documents"] = len(made)
            floor["images"] = images
        quarto = quarto_folder()
        if quarto:
            # renderer: quarto runs the quarto on PATH.
            os.environ["PATH"] = os.pathsep.join([quarto, os.environ.get("PATH", "")])
            report = made[0]
            floor[QUARTO] = measure_quarto(
                project_dir / report.build_dir,
                project_dir / "report",
                report.chapters,
                report.context,
            )
    finally:
        os.chdir(previous)
    return floor


def floor_seconds(floor: dict[str, float]) -> float:
    """The whole build's floor: the default (pandoc) route's engines for every document."""
    return sum(floor.get(engine, 0.0) for engine in ENGINES)


def report_floor_seconds(floor: dict[str, float]) -> float:
    """The report's floor: the whole build's without the briefs' share."""
    return floor_seconds(floor) - sum(floor.get(BRIEFS + engine, 0.0) for engine in ENGINES)


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
