"""Performance (``make bench``): build times of the report, measured against their floor.

Every measurement runs in a temporary copy of the project (a ``git clone`` of HEAD, or of
the working tree's tracked files), never in the user's checkout: its ``data/raw/`` and
``report/output/`` are not touched, and no Snakemake lock is taken there. For each scale
(1 is the project's sample data; N > 1 is ``ktreport synth --scale N``) the copy is built
cold, then again with nothing changed (no-op: Snakemake, ``ktreport build`` and ``make
report``), after one sentence is appended to one chapter template (prose-only), and after
one cell of one partner CSV is changed (one-partner). ``snakemake --dry-run`` and ``ktreport
validate`` are timed on the same copy, and so is the **floor**: the engines the build cannot
avoid, run directly on the built inputs (one kaleido/Chromium session exporting every
figure, one pandoc render, one WeasyPrint render of the PDF). At the sample's scale a build
follows after every programme name is made as long as a cell may be (the longest cells);
last, the ingest alone after one more one-partner change (how many files it re-cleaned).

Peak memory is the largest resident set of any process a measured command waited for
(``os.wait4``: Linux reports the maximum over the child and its reaped descendants, so for
a Snakemake run it is the largest step).

The library returns ``Measurement`` values and a summary; ``workflow/scripts/bench.py``
prints them as JSON lines. This module runs one scale's measurements in order; its
neighbours measure (``bench_measure``), make and edit the copy (``bench_copy``), time the
floor (``bench_floor``) and summarise (``bench_report``). The names the script and the tests
use are importable from here.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ktreport.catalog import CACHE, PROBLEMS_CSV, PROCESSED
from ktreport.run.build import WRITTEN
from ktreport.run.uptodate import UNCHANGED as UNCHANGED_SINCE_BUILD
from ktreport.tools.bench_copy import (
    PARTNER_COLUMN,
    Project,
    append_sentence,
    change_partner_cell,
    copy_project,
    lengthen_programmes,
    use_synthetic_data,
)
from ktreport.tools.bench_figures import figure_export_line, figure_exports, forget_figure_logs
from ktreport.tools.bench_floor import floor_seconds, measure_floor, report_floor_seconds
from ktreport.tools.bench_measure import (
    DEFAULT_SCALES,
    SAMPLE_SCALE,
    BenchProblem,
    Measurement,
    check_run,
    engine_times,
    files_recleaned,
    forget_clean_logs,
    jobs_run,
    json_line,
    last_json,
    load_average,
    parse_scales,
    run_measured,
    scale_label,
)
from ktreport.tools.bench_pdf import (
    PUBLISHED_PDF,
    REFERENCE_REVISION,
    page_count,
    reference_copy,
    render_times,
    weasyprint_against_reference,
)
from ktreport.tools.bench_preview import measure_preview
from ktreport.tools.bench_report import summarise
from ktreport.tools.bench_session import Options, Session
from ktreport.tools.bench_slurm import bench_slurm, record_cold_build, slurm_summary

# The names workflow/scripts/bench.py and the tests use, wherever they are defined.
__all__ = [
    "DEFAULT_SCALES",
    "REFERENCE_REVISION",
    "SAMPLE_SCALE",
    "BenchProblem",
    "Measurement",
    "Options",
    "Project",
    "append_sentence",
    "bench_scale",
    "bench_slurm",
    "change_partner_cell",
    "copy_project",
    "engine_times",
    "jobs_run",
    "json_line",
    "measure_floor",
    "parse_scales",
    "render_times",
    "run_measured",
    "scale_label",
    "slurm_summary",
    "summarise",
]

# The Snakemake runs whose largest process is "the largest step" of a build.
BUILD_MEASURES = frozenset(
    {
        "cold_build",
        "cold_report_build",
        "noop_rebuild",
        "prose_rebuild",
        "partner_rebuild",
        "partner_ingest",
        "archival_pdf_extra",
        "longest_cells_build",
    }
)


# --------------------------------------------------------------------------- one scale
def bench_scale(
    options: Options,
    scale: int,
    floor_command: Sequence[str],
    emit: Callable[[Measurement], None],
) -> list[Measurement]:
    """Every measurement of one scale, in a fresh copy; ``emit`` receives each as soon as
    it is taken (the caller prints it), and the list is returned."""
    base = Path(options.work_dir) if options.work_dir else None
    scratch = Path(tempfile.mkdtemp(prefix=f"ktreport-bench-{scale}-", dir=base))
    try:
        project = Project(
            copy_project(options.root, scratch / "project", working_tree=options.working_tree),
            Path(options.python),
        )
        session = Session(options, scale, project, emit, project.environment())
        if scale != SAMPLE_SCALE:
            use_synthetic_data(project, scale, options.seed)
        _cold_build(session)
        cold_figures = figure_exports(project.path)
        if options.reference and scale == SAMPLE_SCALE:
            _weasyprint_reference(session, floor_command, scratch / "reference")
        _noop_rebuilds(session)
        session.record("preview_reload", **measure_preview(project.path, options.repeat))
        template = append_sentence(project.path / "report" / "chapters")
        _rebuild(
            session,
            "the prose-only rebuild",
            "prose_rebuild",
            template.relative_to(project.path).as_posix(),
            lambda jobs: {"figures_exported": "make_figures" in jobs},
        )
        forget_figure_logs(project.path)
        forget_clean_logs(project.path / "logs")
        partner_file, row = change_partner_cell(project.path / "data" / "raw")
        _rebuild(
            session,
            "the one-partner-file rebuild",
            "partner_rebuild",
            f"{partner_file.relative_to(project.path).as_posix()}:{row}:{PARTNER_COLUMN}",
            lambda jobs: {"files_recleaned": files_recleaned(project.path / "logs")},
        )
        session.record(
            "partner_figure_exports",
            **figure_export_line(cold_figures, figure_exports(project.path)),
        )
        _validate(session)
        if options.archival:
            archival = session.build("the archival PDF", "render_archival_pdf")
            session.record(
                "archival_pdf_extra",
                archival,
                load=session.loads["the archival PDF"],
                jobs=jobs_run(archival.output),
            )
        _floor(session, floor_command)
        if options.longest_cells and scale == SAMPLE_SCALE:
            _longest_cells(session)
        _partner_ingest(session)
        _cold_report(session)
        _peak_rss(session)
    finally:
        if not options.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return session.measurements


def _cold_build(session: Session) -> None:
    """The first build of the copy, and the engine times its rule logs report."""
    record_cold_build(session)
    logs = sorted((session.project.path / "logs").rglob("*.log"))
    engines = engine_times(
        line for log in logs for line in log.read_text("utf-8", "replace").splitlines()
    )
    session.record("cold_build_engines", **{k: round(v, 3) for k, v in sorted(engines.items())})
    # Issue 16 §5: the report's length does not grow with the data.
    session.record("report_pages", pages=page_count(session.project.path / PUBLISHED_PDF))


def _weasyprint_reference(session: Session, floor_command: Sequence[str], where: Path) -> None:
    """WeasyPrint on today's print HTML against the reference revision's (``bench_pdf``),
    right after the cold build: today's print HTML is the sample's."""
    options, load = session.options, load_average()
    reference = Project(reference_copy(options.root, where, options.reference), options.python)
    fields = weasyprint_against_reference(
        session.project, reference, options.cores, floor_command[:-1], options.reference
    )
    session.record("weasyprint_vs_reference", seconds=fields.pop("seconds"), load=load, **fields)


def _noop_rebuilds(session: Session) -> None:
    """Builds with nothing changed (Snakemake, then ``ktreport build``) and the dry run."""
    repeat, path = session.options.repeat, session.project.path
    noops = [session.build("the no-op rebuild") for _ in range(repeat)]
    for run in noops:
        if jobs_run(run.output):
            raise BenchProblem(
                f"the no-op rebuild ran jobs {jobs_run(run.output)} in {path}: "
                "a build with nothing changed must run nothing."
            )
    session.record_repeated("noop_rebuild", noops, peak=True)
    dry = [session.build("snakemake --dry-run", "--dry-run") for _ in range(repeat)]
    session.record_repeated("dry_run", dry)
    ktreport = session.project.tool("ktreport")
    user_noops = [
        session.run(ktreport, "build", "--cores", session.options.cores) for _ in range(repeat)
    ]
    for run in user_noops:
        check_run(run, "ktreport build (no-op)", path)
    # The first runs Snakemake (the builds above were Snakemake's own, so no ktreport build
    # had recorded the state); the others answer from that record (run.uptodate).
    session.record_repeated(
        "noop_ktreport_build", user_noops, without_snakemake=_without_snakemake(user_noops)
    )
    make_noops = [session.run(*session.project.make("report")) for _ in range(repeat)]
    for run in make_noops:
        check_run(run, "make report (no-op)", path)
    session.record_repeated(
        "noop_make_report", make_noops, without_snakemake=_without_snakemake(make_noops)
    )


def _without_snakemake(runs) -> int:
    """How many of ``runs`` of ``ktreport build`` answered without starting Snakemake."""
    return sum(UNCHANGED_SINCE_BUILD in run.output for run in runs)


def _partner_ingest(session: Session) -> None:
    """The ingest alone (clean_table, combine_tables) after one more cell of one partner
    file changed: last, as it leaves the copy's later steps out of date."""
    partner_file, row = change_partner_cell(session.project.path / "data" / "raw")
    forget_clean_logs(session.project.path / "logs")
    run = session.build("the ingest after a one-partner change", str(PROBLEMS_CSV))
    session.record(
        "partner_ingest",
        run,
        load=session.loads["the ingest after a one-partner change"],
        changed=f"{partner_file.relative_to(session.project.path).as_posix()}:{row}",
        jobs=jobs_run(run.output),
        files_recleaned=files_recleaned(session.project.path / "logs"),
    )


def _rebuild(
    session: Session,
    what: str,
    measure: str,
    changed: str,
    summary: Callable[[dict[str, int]], dict[str, Any]],
) -> None:
    """A rebuild after one edit: which file changed, the jobs run and ``summary`` of them."""
    run = session.build(what)
    jobs = jobs_run(run.output)
    session.record(
        measure, run, load=session.loads[what], changed=changed, jobs=jobs, **summary(jobs)
    )


def _validate(session: Session) -> None:
    ktreport = session.project.tool("ktreport")
    validations = [session.run(ktreport, "validate") for _ in range(session.options.repeat)]
    for run in validations:
        if run.returncode not in (0, 1):  # 1: the data has errors (reported, not a crash)
            check_run(run, "ktreport validate", session.project.path)
    session.record_repeated(
        "validate", validations, peak=True, exit_code=validations[-1].returncode
    )


def _floor(session: Session, floor_command: Sequence[str]) -> None:
    """The floor, timed by a child process of its own (it imports the engines)."""
    path = session.project.path
    floor_load = load_average()
    floor_run = session.run(*floor_command, str(path))
    check_run(floor_run, "the floor (engines run directly)", path)
    floor = last_json(floor_run, "the floor measurement")
    session.record(
        "floor",
        # The whole build's: the report and its briefs. Quarto's render (where installed)
        # is beside pandoc's, not part of the floor.
        seconds=floor_seconds(floor),
        load=floor_load,
        # The whole child: the engines and its Python start-up (so the CPU floor is high).
        cpu_seconds_child=round(floor_run.cpu_seconds, 3),
        **{k: round(v, 3) for k, v in sorted(floor.items())},
    )
    # The report's alone: what a prose-only rebuild redoes.
    session.record("floor_report", seconds=report_floor_seconds(floor), load=floor_load)


def _cold_report(session: Session) -> None:
    """The report alone (``briefs: none``) built cold in the same copy, everything it
    generated and cached removed first: the build whose time must not grow with the data
    (the briefs grow with the countries by design). Last: it leaves no briefs behind."""
    path = session.project.path
    # What the build writes (``run.build.WRITTEN``) and its caches; data/processed/ keeps
    # its README.md (the project's, as ``make clean`` keeps it).
    for generated in (*WRITTEN, CACHE):
        if generated != PROCESSED:
            shutil.rmtree(path / generated, ignore_errors=True)
            continue
        for item in (path / PROCESSED).iterdir():
            if item.name != "README.md":
                shutil.rmtree(item) if item.is_dir() else item.unlink()
    what = "the report alone, cold (briefs: none)"
    run = session.build(what, "--config", "briefs=none")
    session.record("cold_report_build", run, load=session.loads[what], jobs=jobs_run(run.output))


def _longest_cells(session: Session) -> None:
    """The build after every programme name became as long as a cell may be (9,999
    characters of markup): no input within the limits may make it much slower than the
    sample's cold build (issue 17 §12). Everything the case studies feed is rebuilt."""
    changed = lengthen_programmes(session.project.path / "data" / "raw")
    run = session.build("the build with the longest cells")
    session.record(
        "longest_cells_build",
        run,
        load=session.loads["the build with the longest cells"],
        programmes_lengthened=changed,
        jobs=jobs_run(run.output),
    )


def _peak_rss(session: Session) -> None:
    """The largest process of any build: the largest step."""
    largest = max(
        (m for m in session.measurements if m.measure in BUILD_MEASURES and m.peak_rss_mib),
        key=lambda m: m.peak_rss_mib or 0.0,
    )
    kept = {"copy": str(session.project.path)} if session.options.keep else {}
    session.record("peak_rss", peak_rss_mib=largest.peak_rss_mib, of=largest.measure, **kept)
