"""``make bench``: what one run measures (``Options``) and one scale's session (``Session``):
the copy, what it has measured so far and the load before each build.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ktreport.tools.bench_copy import Project
from ktreport.tools.bench_measure import (
    DEFAULT_SCALES,
    Measurement,
    Run,
    check_run,
    load_average,
    median,
    run_measured,
)
from ktreport.tools.bench_pdf import REFERENCE_REVISION


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
    longest_cells: bool = True  # the sample again, its programme names 9,999 characters
    # WeasyPrint on the sample's print HTML against this revision's (issue 16 §2); "": not.
    reference: str = REFERENCE_REVISION


def _snakemake(project: Project, cores: str, *extra: str) -> list[str]:
    return [project.tool("snakemake"), "--cores", cores, "--rerun-incomplete", *extra]


@dataclass
class Session:
    """One scale's copy, what it has measured so far and the load before each build."""

    options: Options
    scale: int
    project: Project
    emit: Callable[[Measurement], None]
    env: dict[str, str] = field(default_factory=dict)
    measurements: list[Measurement] = field(default_factory=list)
    loads: dict[str, float] = field(default_factory=dict)

    def record(
        self,
        measure: str,
        run: Run | None = None,
        *,
        seconds: float | None = None,
        peak_rss_mib: float | None = None,
        load: float | None = None,
        cpu_seconds: float | None = None,
        **detail: Any,
    ) -> Measurement:
        m = Measurement(
            self.scale,
            measure,
            seconds=run.seconds if run else seconds,
            peak_rss_mib=run.peak_rss_mib if run else peak_rss_mib,
            detail={**detail, "load_before": load} if load is not None else detail,
            cpu_seconds=run.cpu_seconds if run else cpu_seconds,
        )
        self.measurements.append(m)
        self.emit(m)
        return m

    def build(self, what: str, *extra: str) -> Run:
        """One Snakemake run in the copy, which must succeed."""
        self.loads[what] = load_average()
        command = _snakemake(self.project, self.options.cores, *extra)
        run = run_measured(command, cwd=self.project.path, env=self.env)
        check_run(run, what, self.project.path)
        return run

    def run(self, *command: str) -> Run:
        """One command of the copy's environment, whatever its exit code."""
        return run_measured(list(command), cwd=self.project.path, env=self.env)

    def record_repeated(
        self, measure: str, runs: Sequence[Run], *, peak: bool = False, **detail: Any
    ) -> None:
        """The median of repeated runs, wall and CPU time (and, with ``peak``, their largest
        process)."""
        self.record(
            measure,
            seconds=median(r.seconds for r in runs),
            cpu_seconds=median(r.cpu_seconds for r in runs),
            peak_rss_mib=max(r.peak_rss_mib for r in runs) if peak else None,
            runs=[round(r.seconds, 3) for r in runs],
            **detail,
        )
