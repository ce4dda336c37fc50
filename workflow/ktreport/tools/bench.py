"""Performance (``make bench``): build times of the report, measured against their floor.

Every measurement runs in a temporary copy of the project (a ``git clone`` of HEAD, or of
the working tree's tracked files), never in the user's checkout: its ``data/raw/`` and
``report/output/`` are not touched, and no Snakemake lock is taken there. For each scale
(1 is the project's sample data; N > 1 is ``ktreport synth --scale N``) the copy is built
cold, then again with nothing changed (no-op), after one sentence is appended to one
chapter template (prose-only), and after one cell of one partner CSV is changed
(one-partner). ``snakemake --dry-run`` and ``ktreport validate`` are timed on the same
copy, and so is the **floor**: the engines the build cannot avoid, run directly on the
built inputs (one kaleido/Chromium session exporting every figure, one pandoc render,
one WeasyPrint render of the PDF).

Peak memory is the largest resident set of any process a measured command waited for
(``os.wait4``: Linux reports the maximum over the child and its reaped descendants, so for
a Snakemake run it is the largest step).

The library returns ``Measurement`` values and a summary; ``workflow/scripts/bench.py``
prints them as JSON lines.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SAMPLE_SCALE = 1
DEFAULT_SCALES = (1, 10, 100)
# Appended to a chapter template for the prose-only rebuild (plain text: no jinja, no
# Markdown syntax, so it cannot break the chapter).
BENCH_SENTENCE = "This sentence was appended by make bench to time a prose-only rebuild."
# The partner table and column changed for the one-partner rebuild: a correction a partner
# typically sends (a programme's length), which changes aggregates, figures and prose.
PARTNER_TABLE = "case_studies"
PARTNER_COLUMN = "duration_hours"
# The targets of issue 7: (summary key, limit, what it means).
TARGETS: tuple[tuple[str, float, str], ...] = (
    ("cold_over_floor", 3.0, "cold build <= 3x floor"),
    ("prose_over_floor", 1.5, "prose-only rebuild <= 1.5x floor"),
    ("noop_over_dry_run", 1.3, "no-op rebuild <= 1.3x snakemake --dry-run"),
    ("cold_scale_100_over_sample", 1.5, "scale-100 cold build <= 1.5x sample cold build"),
    ("peak_rss_mib_scale_100", 1024.0, "peak memory at scale 100 < 1 GiB"),
    ("validate_sample_seconds", 1.5, "ktreport validate of the sample < 1.5 s"),
)
_LARGEST_SCALE = 100
# The Snakemake runs whose largest process is "the largest step" of a build.
BUILD_MEASURES = frozenset(
    {"cold_build", "noop_rebuild", "prose_rebuild", "partner_rebuild", "archival_pdf_extra"}
)
LOG_TAIL_LINES = 15


class BenchProblem(Exception):
    """A step of the benchmark failed; the message says which, and where its output is."""


# --------------------------------------------------------------------------- values
@dataclass(frozen=True)
class Run:
    """One finished command: wall time, exit code, peak RSS of its process tree, output, and
    the CPU time (user + system) of the command and every descendant it waited for."""

    seconds: float
    returncode: int
    peak_rss_mib: float
    output: str
    cpu_seconds: float = 0.0


@dataclass(frozen=True)
class Measurement:
    """One line of ``make bench``: a figure of one scale."""

    scale: int
    measure: str
    seconds: float | None = None
    peak_rss_mib: float | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    cpu_seconds: float | None = None

    def as_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {"scale": self.scale, "data": scale_label(self.scale)}
        record["measure"] = self.measure
        if self.seconds is not None:
            record["seconds"] = round(self.seconds, 3)
        if self.cpu_seconds is not None:
            record["cpu_seconds"] = round(self.cpu_seconds, 3)
        if self.peak_rss_mib is not None:
            record["peak_rss_mib"] = round(self.peak_rss_mib, 1)
        record.update(self.detail)
        return record


def load_average() -> float:
    """The 1-minute load average: other work on the machine slows every figure down."""
    return round(os.getloadavg()[0], 2)


def scale_label(scale: int) -> str:
    return "sample" if scale == SAMPLE_SCALE else f"synth x{scale}"


def json_line(record: Mapping[str, Any]) -> str:
    """One JSON line; keys in insertion order (the record's reading order)."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def parse_scales(text: str) -> list[int]:
    """``"1,10,100"`` → ``[1, 10, 100]``: whole numbers >= 1, each once, in the given order."""
    scales: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) < 1:
            raise BenchProblem(
                f"--scales: '{part}' is not a whole number of 1 or more (1 is the sample data); "
                "write e.g. --scales 1,10,100."
            )
        if int(part) not in scales:
            scales.append(int(part))
    if not scales:
        raise BenchProblem("--scales: give at least one scale, e.g. --scales 1,10.")
    return scales


# --------------------------------------------------------------------------- running
def run_measured(command: Sequence[str], *, cwd: Path, env: Mapping[str, str] | None = None) -> Run:
    """Run ``command`` to its end: wall time, exit code, output (stdout and stderr
    interleaved) and the peak RSS of the largest process of its tree that was waited for."""
    with tempfile.TemporaryFile(mode="w+b") as capture:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=capture,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        capture.seek(0)
        output = capture.read().decode("utf-8", errors="replace")
    # ru_maxrss is in KiB on Linux.
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, process.returncode, usage.ru_maxrss / 1024, output, cpu)


_JOB_START = re.compile(r"^(?:local)?(?:rule|checkpoint) (\w+):\s*$")


def jobs_run(snakemake_output: str) -> dict[str, int]:
    """How many jobs of each rule a Snakemake run started (``all`` not counted), by rule."""
    counts = Counter(
        match.group(1)
        for line in snakemake_output.splitlines()
        if (match := _JOB_START.match(line.rstrip())) and match.group(1) != "all"
    )
    return dict(sorted(counts.items()))


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


# --------------------------------------------------------------------------- the copy
@dataclass(frozen=True)
class Project:
    """A temporary copy of the project to build in, and how to run its tools."""

    path: Path
    python: Path

    @property
    def bin_dir(self) -> Path:
        return self.python.parent

    def tool(self, name: str) -> str:
        candidate = self.bin_dir / name
        if candidate.is_file():
            return str(candidate)
        found = shutil.which(name)
        if found is None:
            raise BenchProblem(
                f"{name} is not installed next to {self.python} nor on PATH: run `make env`."
            )
        return found

    def environment(self) -> dict[str, str]:
        """The copy's own library first on the import path, this environment's tools first
        on PATH (the editable install would otherwise import the user's checkout)."""
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([str(self.bin_dir), env.get("PATH", "")])
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(self.path / "workflow"), env.get("PYTHONPATH", "")) if p
        )
        env.pop("SNAKEMAKE_PROFILE", None)
        return env


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "core.quotepath=off", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchProblem(f"git {' '.join(args)} failed in {root}: {result.stderr.strip()}")
    return result.stdout


def copy_project(root: Path, target: Path, *, working_tree: bool = False) -> Path:
    """Clone the project at ``root`` (a git checkout) into ``target``.

    The clone holds HEAD's tracked files; with ``working_tree`` the tracked files changed or
    deleted in the checkout are copied over (untracked files never are: build outputs, caches
    and local data stay out)."""
    root, target = Path(root), Path(target)
    if not (root / ".git").exists():
        raise BenchProblem(f"{root} is not a git checkout: make bench copies it with git clone.")
    _git(root, "rev-parse", "--verify", "HEAD")
    target.parent.mkdir(parents=True, exist_ok=True)
    _git(target.parent, "clone", "--quiet", "--no-hardlinks", str(root.resolve()), str(target))
    if working_tree:
        changed = _git(root, "diff", "--name-only", "-z", "HEAD").split("\0")
        for name in sorted(n for n in changed if n):
            source, copy = root / name, target / name
            if source.is_file():
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)
            elif copy.exists():
                copy.unlink()
    return target


def use_synthetic_data(project: Project, scale: int, seed: int = 1) -> None:
    """Replace the copy's partner files by ``ktreport synth --scale N`` (the copy only).

    The partner folders are emptied first; the top-level files stay (synth rewrites
    partners.csv and README.md, and copies the taxonomy from the copy's own data/raw/)."""
    raw = project.path / "data" / "raw"
    for child in sorted(raw.iterdir()):
        if child.is_dir():
            shutil.rmtree(child)
    run = run_measured(
        [
            str(project.python),
            "-m",
            "ktreport.cli",
            "synth",
            "--scale",
            str(scale),
            "--seed",
            str(seed),
            "--out",
            "data/raw",
            "--force",
        ],
        cwd=project.path,
        env=project.environment(),
    )
    _check(run, f"ktreport synth --scale {scale}", project.path)


# --------------------------------------------------------------------------- edits
def append_sentence(chapters_dir: Path, sentence: str = BENCH_SENTENCE) -> Path:
    """Append one paragraph to one chapter template (the second in reading order, so the
    executive summary stays as it is); returns the template changed."""
    templates = sorted(Path(chapters_dir).glob("*.md.j2"))
    if not templates:
        raise BenchProblem(f"{chapters_dir}: no chapter template (*.md.j2) to change.")
    template = templates[1] if len(templates) > 1 else templates[0]
    data = template.read_bytes()
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    ending = b"" if data.endswith(newline) else newline
    template.write_bytes(data + ending + newline + sentence.encode("utf-8") + newline)
    return template


def _header_name(cell: str) -> str:
    """A header cell as a contract name: "Duration hours" → "duration_hours"."""
    return re.sub(r"[\s-]+", "_", cell.strip().lstrip("\ufeff").casefold())


def _csv_layout(text: str, column: str) -> tuple[str, list[list[str]]]:
    """The delimiter under which the header has ``column``, and the parsed rows."""
    for delimiter in (",", ";", "\t", "|"):
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        if rows and column in [_header_name(cell) for cell in rows[0]]:
            return delimiter, rows
    raise BenchProblem(f"no column '{column}' in the header")


def change_partner_cell(
    raw_dir: Path, table: str = PARTNER_TABLE, column: str = PARTNER_COLUMN
) -> tuple[Path, int]:
    """Add 1 to the first whole number in ``column`` of the first CSV of ``table`` (by
    file name) that has one, keeping the file's encoding, delimiter and line ends.

    Returns the file and the spreadsheet row changed (the header is row 1)."""
    files = sorted((Path(raw_dir) / table).glob("*.csv"))
    for path in files:
        data = path.read_bytes()
        bom = data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8-sig")
        try:
            delimiter, rows = _csv_layout(text, column)
        except BenchProblem:
            continue
        index = [_header_name(cell) for cell in rows[0]].index(column)
        for number, row in enumerate(rows[1:], start=2):
            value = row[index].strip() if index < len(row) else ""
            if value.isdigit():
                row[index] = str(int(value) + 1)
                terminator = "\r\n" if "\r\n" in text else "\n"
                buffer = io.StringIO(newline="")
                csv.writer(buffer, delimiter=delimiter, lineterminator=terminator).writerows(rows)
                out = buffer.getvalue()
                if not text.endswith(terminator):
                    out = out.removesuffix(terminator)
                path.write_bytes(out.encode("utf-8-sig" if bom else "utf-8"))
                return path, number
    raise BenchProblem(
        f"{Path(raw_dir) / table}: no CSV file with a whole number in '{column}' to change."
    )


# --------------------------------------------------------------------------- floor
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


_ENGINE_TIME = re.compile(r"^time (\w+) ([0-9.]+) s$")


def engine_times(lines: Iterable[str]) -> dict[str, float]:
    """``time pandoc 0.137 s`` lines (rule logs, render results) → {engine: seconds},
    summed when an engine ran more than once."""
    times: dict[str, float] = {}
    for line in lines:
        match = _ENGINE_TIME.match(line.strip())
        if match:
            times[match.group(1)] = times.get(match.group(1), 0.0) + float(match.group(2))
    return times


# --------------------------------------------------------------------------- one scale
@dataclass(frozen=True)
class Options:
    """What ``make bench`` measures (see ``workflow/scripts/bench.py --help``)."""

    root: Path
    scales: tuple[int, ...] = DEFAULT_SCALES
    repeat: int = 3
    cores: str = "all"
    python: Path = Path(sys.executable)
    working_tree: bool = False
    archival: bool = True
    keep: bool = False
    work_dir: Path | None = None
    seed: int = 1


def _tail(text: str, lines: int = LOG_TAIL_LINES) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _check(run: Run, what: str, where: Path) -> None:
    if run.returncode != 0:
        raise BenchProblem(
            f"{what} failed (exit {run.returncode}) in the copy {where}; its last lines:\n"
            f"{_tail(run.output)}"
        )


def _snakemake(project: Project, cores: str, *extra: str) -> list[str]:
    return [project.tool("snakemake"), "--cores", cores, "--rerun-incomplete", *extra]


def bench_scale(
    options: Options,
    scale: int,
    floor_command: Sequence[str],
    emit: Callable[[Measurement], None],
) -> list[Measurement]:
    """Every measurement of one scale, in a fresh copy; ``emit`` receives each as soon as
    it is taken (the caller prints it), and the list is returned."""
    measurements: list[Measurement] = []

    def record(
        measure: str,
        run: Run | None = None,
        *,
        seconds: float | None = None,
        peak_rss_mib: float | None = None,
        load: float | None = None,
        **detail: Any,
    ) -> Measurement:
        m = Measurement(
            scale,
            measure,
            seconds=run.seconds if run else seconds,
            peak_rss_mib=run.peak_rss_mib if run else peak_rss_mib,
            detail={**detail, "load_before": load} if load is not None else detail,
            cpu_seconds=run.cpu_seconds if run else None,
        )
        measurements.append(m)
        emit(m)
        return m

    base = Path(options.work_dir) if options.work_dir else None
    scratch = Path(tempfile.mkdtemp(prefix=f"ktreport-bench-{scale}-", dir=base))
    try:
        project = Project(
            copy_project(options.root, scratch / "project", working_tree=options.working_tree),
            Path(options.python),
        )
        env = project.environment()
        if scale != SAMPLE_SCALE:
            use_synthetic_data(project, scale, options.seed)

        loads: dict[str, float] = {}

        def build(what: str, *extra: str) -> Run:
            loads[what] = load_average()
            run = run_measured(
                _snakemake(project, options.cores, *extra), cwd=project.path, env=env
            )
            _check(run, what, project.path)
            return run

        cold = build("the cold build")
        record(
            "cold_build",
            cold,
            load=loads["the cold build"],
            jobs=sum(jobs_run(cold.output).values()),
        )
        logs = sorted((project.path / "logs").rglob("*.log"))
        engines = engine_times(
            line for log in logs for line in log.read_text("utf-8", "replace").splitlines()
        )
        record("cold_build_engines", **{k: round(v, 3) for k, v in sorted(engines.items())})

        noops = [build("the no-op rebuild") for _ in range(options.repeat)]
        for run in noops:
            if jobs_run(run.output):
                raise BenchProblem(
                    f"the no-op rebuild ran jobs {jobs_run(run.output)} in {project.path}: "
                    "a build with nothing changed must run nothing."
                )
        record(
            "noop_rebuild",
            seconds=median(r.seconds for r in noops),
            peak_rss_mib=max(r.peak_rss_mib for r in noops),
            runs=[round(r.seconds, 3) for r in noops],
        )
        dry = [build("snakemake --dry-run", "--dry-run") for _ in range(options.repeat)]
        record(
            "dry_run",
            seconds=median(r.seconds for r in dry),
            runs=[round(r.seconds, 3) for r in dry],
        )
        user_noops = [
            run_measured(
                [project.tool("ktreport"), "build", "--cores", options.cores],
                cwd=project.path,
                env=env,
            )
            for _ in range(options.repeat)
        ]
        for run in user_noops:
            _check(run, "ktreport build (no-op)", project.path)
        record(
            "noop_ktreport_build",
            seconds=median(r.seconds for r in user_noops),
            runs=[round(r.seconds, 3) for r in user_noops],
        )

        template = append_sentence(project.path / "report" / "chapters")
        prose = build("the prose-only rebuild")
        prose_jobs = jobs_run(prose.output)
        record(
            "prose_rebuild",
            prose,
            load=loads["the prose-only rebuild"],
            changed=template.relative_to(project.path).as_posix(),
            jobs=prose_jobs,
            figures_exported="make_figures" in prose_jobs,
        )

        partner_file, row = change_partner_cell(project.path / "data" / "raw")
        partner = build("the one-partner-file rebuild")
        partner_jobs = jobs_run(partner.output)
        record(
            "partner_rebuild",
            partner,
            load=loads["the one-partner-file rebuild"],
            changed=f"{partner_file.relative_to(project.path).as_posix()}:{row}:{PARTNER_COLUMN}",
            jobs=partner_jobs,
            files_recleaned=partner_jobs.get("clean_partner_file", 0),
        )

        validations = [
            run_measured([project.tool("ktreport"), "validate"], cwd=project.path, env=env)
            for _ in range(options.repeat)
        ]
        for run in validations:
            if run.returncode not in (0, 1):  # 1: the data has errors (reported, not a crash)
                _check(run, "ktreport validate", project.path)
        record(
            "validate",
            seconds=median(r.seconds for r in validations),
            peak_rss_mib=max(r.peak_rss_mib for r in validations),
            runs=[round(r.seconds, 3) for r in validations],
            exit_code=validations[-1].returncode,
        )

        if options.archival:
            archival = build("the archival PDF", "render_archival_pdf")
            record(
                "archival_pdf_extra",
                archival,
                load=loads["the archival PDF"],
                jobs=jobs_run(archival.output),
            )

        floor_load = load_average()
        floor_run = run_measured([*floor_command, str(project.path)], cwd=project.path, env=env)
        _check(floor_run, "the floor (engines run directly)", project.path)
        try:
            floor = json.loads(floor_run.output.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise BenchProblem(
                f"the floor measurement printed no result; its output:\n{_tail(floor_run.output)}"
            ) from None
        record(
            "floor",
            seconds=sum(floor.values()),
            load=floor_load,
            # The whole child: the engines and its Python start-up (so the CPU floor is high).
            cpu_seconds_child=round(floor_run.cpu_seconds, 3),
            **{k: round(v, 3) for k, v in sorted(floor.items())},
        )
        largest = max(
            (m for m in measurements if m.measure in BUILD_MEASURES and m.peak_rss_mib),
            key=lambda m: m.peak_rss_mib or 0.0,
        )
        kept = {"copy": str(project.path)} if options.keep else {}
        record("peak_rss", peak_rss_mib=largest.peak_rss_mib, of=largest.measure, **kept)
    finally:
        if not options.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return measurements


# --------------------------------------------------------------------------- summary
def _seconds(measurements: Sequence[Measurement], scale: int, measure: str) -> float | None:
    for m in measurements:
        if m.scale == scale and m.measure == measure:
            return m.peak_rss_mib if measure == "peak_rss" else m.seconds
    return None


def _cpu(measurements: Sequence[Measurement], scale: int, measure: str) -> float | None:
    for m in measurements:
        if m.scale == scale and m.measure == measure:
            return m.cpu_seconds if m.cpu_seconds is not None else m.detail.get("cpu_seconds_child")
    return None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def summarise(measurements: Sequence[Measurement]) -> dict[str, Any]:
    """Ratios to the floor (per scale) and the targets of issue 7, each met or missed
    (``null`` when a scale it needs was not measured)."""
    scales = sorted({m.scale for m in measurements})
    per_scale: dict[str, dict[str, float | None]] = {}
    for scale in scales:
        floor = _seconds(measurements, scale, "floor")
        per_scale[scale_label(scale)] = {
            "cold_over_floor": _ratio(_seconds(measurements, scale, "cold_build"), floor),
            "prose_over_floor": _ratio(_seconds(measurements, scale, "prose_rebuild"), floor),
            "partner_over_floor": _ratio(_seconds(measurements, scale, "partner_rebuild"), floor),
            "noop_over_dry_run": _ratio(
                _seconds(measurements, scale, "noop_rebuild"),
                _seconds(measurements, scale, "dry_run"),
            ),
            "noop_ktreport_build_over_dry_run": _ratio(
                _seconds(measurements, scale, "noop_ktreport_build"),
                _seconds(measurements, scale, "dry_run"),
            ),
            # CPU time is steadier than wall time when other work shares the machine.
            "cold_over_floor_cpu": _ratio(
                _cpu(measurements, scale, "cold_build"), _cpu(measurements, scale, "floor")
            ),
            "prose_over_floor_cpu": _ratio(
                _cpu(measurements, scale, "prose_rebuild"), _cpu(measurements, scale, "floor")
            ),
        }
    largest = _LARGEST_SCALE if _LARGEST_SCALE in scales else None
    values: dict[str, float | None] = {
        "cold_scale_100_over_sample": _ratio(
            _seconds(measurements, _LARGEST_SCALE, "cold_build"),
            _seconds(measurements, SAMPLE_SCALE, "cold_build"),
        ),
        "peak_rss_mib_scale_100": _round(_seconds(measurements, largest, "peak_rss"))
        if largest
        else None,
        "validate_sample_seconds": _round(_seconds(measurements, SAMPLE_SCALE, "validate")),
    }
    targets: list[dict[str, Any]] = []
    for key, limit, text in TARGETS:
        if key in values:
            checks = [("", values[key])]
        else:
            checks = [(label, ratios[key]) for label, ratios in per_scale.items()]
        for label, value in checks:
            met = None if value is None else value <= limit
            if key == "peak_rss_mib_scale_100" and value is not None:
                met = value < limit
            target = {"target": text, "value": value, "limit": limit, "met": met}
            if label:
                target["data"] = label
            targets.append(target)
    known = [t["met"] for t in targets if t["met"] is not None]
    return {
        "summary": "ratios",
        "ratios": per_scale,
        "targets": targets,
        "targets_met": sum(known),
        "targets_missed": len(known) - sum(known),
        "targets_not_measured": len(targets) - len(known),
    }
