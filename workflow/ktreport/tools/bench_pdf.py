"""``make bench``, the PDF: WeasyPrint on today's print HTML against a reference revision's,
and the report's length.

The reference is the revision issue 16 measured (``REFERENCE_REVISION``): a clone of the
project at that commit builds its own sample up to its PDF (its own pipeline, its own
print HTML), then one child process lays out both print HTMLs with today's WeasyPrint,
alternately (reference, today, reference, today, ...), so that a change of load during the
run weighs on both alike. The ratio of the medians is the figure of issue 16 §2. Nothing is
copied from an earlier run: the reference HTML is made in the same run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ktreport.tools.bench_copy import Project, _git, copy_project
from ktreport.tools.bench_measure import check_run, last_json, run_measured

# main as issue 16 measured it; its WeasyPrint render of the sample is the 1.0 of §2.
REFERENCE_REVISION = "1b6d06ba42c43bcf257938ec6d1c77dc738e2275"
ROUNDS = 3  # layouts of each print HTML, alternating; the median is reported
PRINT_HTML = Path("report/_build/print.html")
PUBLISHED_PDF = Path("report/output/KT_Skills_Investigation_Report.pdf")


def reference_copy(root: Path, target: Path, revision: str = REFERENCE_REVISION) -> Path:
    """A clone of ``root`` checked out at ``revision`` (detached), to build its sample."""
    copy_project(root, target)
    _git(target, "checkout", "--quiet", "--detach", revision)
    return target


def render_times(projects: Sequence[tuple[str, Path]], rounds: int = ROUNDS) -> dict[str, Any]:
    """Wall and CPU seconds of WeasyPrint laying out each project's print HTML to a PDF
    (as ``ktreport.render.render_pdf`` does: PDF/UA-1, files only under its ``report/``),
    ``rounds`` times each, alternating. Runs in a child process (it imports WeasyPrint)."""
    from weasyprint import HTML

    from ktreport.render.pdf import PDF_VARIANT, _report_fetcher
    from ktreport.render.pdf_tags import retagged

    times: dict[str, dict[str, list[float]]] = {
        name: {"seconds": [], "cpu_seconds": []} for name, _ in projects
    }
    for _ in range(rounds):
        for name, project in projects:
            report_dir = Path(project) / "report"
            html = (Path(project) / PRINT_HTML).read_text(encoding="utf-8")
            started, cpu = time.perf_counter(), time.process_time()
            HTML(
                string=html,
                base_url=(report_dir / "assets").resolve().as_uri() + "/",
                url_fetcher=_report_fetcher()(report_dir),
            ).write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=not retagged(PDF_VARIANT))
            times[name]["seconds"].append(round(time.perf_counter() - started, 3))
            times[name]["cpu_seconds"].append(round(time.process_time() - cpu, 3))
    return times


def comparison(times: dict[str, Any], revision: str = REFERENCE_REVISION) -> dict[str, Any]:
    """The measurement's fields from ``render_times`` of "today" and "reference"."""
    today, reference = times["today"], times["reference"]

    def med(values: list[float]) -> float:
        return round(statistics.median(values), 3)

    return {
        "seconds": med(today["seconds"]),
        "cpu_seconds_today": med(today["cpu_seconds"]),
        "reference": revision[:7],
        "reference_seconds": med(reference["seconds"]),
        "reference_cpu_seconds": med(reference["cpu_seconds"]),
        "over_reference": round(med(today["seconds"]) / med(reference["seconds"]), 2),
        "over_reference_cpu": round(med(today["cpu_seconds"]) / med(reference["cpu_seconds"]), 2),
        "runs": today["seconds"],
        "reference_runs": reference["seconds"],
    }


def weasyprint_against_reference(
    today: Project,
    reference: Project,
    cores: str,
    script: Sequence[str],
    revision: str = REFERENCE_REVISION,
) -> dict[str, Any]:
    """Build the reference clone's sample up to its PDF (its own pipeline writes its print
    HTML), then time WeasyPrint on both print HTMLs in one child (``script
    --weasyprint-of TODAY REFERENCE``, today's library first on the import path)."""
    build = [reference.tool("snakemake"), "--cores", cores, "--rerun-incomplete", "render_pdf"]
    built = run_measured(build, cwd=reference.path, env=reference.environment())
    check_run(built, f"the build of the reference {revision[:7]} (its print HTML)", reference.path)
    child = [*script, "--weasyprint-of", str(today.path), str(reference.path)]
    run = run_measured(child, cwd=today.path, env=today.environment())
    check_run(run, "WeasyPrint on today's and the reference's print HTML", today.path)
    times = last_json(run, "the WeasyPrint comparison")
    return comparison(times, revision)


def page_count(pdf: Path) -> int:
    """The pages of a PDF (pikepdf, imported here: the runner needs it only for this)."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        return len(document.pages)
