"""``make bench --slurm``: the largest scale's briefs built through a Slurm cluster.

In a fresh copy of the project with the same synthetic data as the local measurements, the
user's command ``ktreport build --profile slurm-test`` sends every job to the cluster
(``SLURM_CONF`` from the environment, else from ``workflow/cluster/slurm.sh status``; no
cluster running is a ``BenchProblem`` that says how to start one). Recorded: ``slurm_build``
(seconds, how many Slurm jobs ``logs/ktreport-build.log`` says were submitted, the briefs
published and the briefs the data asks for) beside the local ``cold_build`` of that scale
(its briefs counted the same way), and the summary's ``slurm_over_local``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ktreport.catalog import BRIEF_NAME, BRIEF_OUTPUT, BRIEF_UNITS, BUILD_LOG
from ktreport.tools.bench_copy import Project, copy_project, use_synthetic_data
from ktreport.tools.bench_measure import (
    SAMPLE_SCALE,
    BenchProblem,
    Measurement,
    Run,
    check_run,
    jobs_run,
    load_average,
    tail,
)
from ktreport.tools.bench_session import Options, Session

SLURM_PROFILE = "slurm-test"
CLUSTER_SCRIPT = Path("workflow") / "cluster" / "slurm.sh"
START_HINT = "start one with `bash workflow/cluster/slurm.sh --install start` (as root)"
_SUBMITTED = re.compile(r"has been submitted with SLURM jobid (\d+)")
_SLURM_CONF = re.compile(r"^export SLURM_CONF=(\S+)\s*$", re.MULTILINE)


# --------------------------------------------------------------------------- reading
def slurm_job_ids(build_log: str) -> list[str]:
    """The Slurm job ids a Snakemake run submitted (its "... has been submitted with SLURM
    jobid N" lines), each once, in the order submitted."""
    return list(dict.fromkeys(_SUBMITTED.findall(build_log)))


def rules_run(build_log: str) -> dict[str, int]:
    """Jobs started, by rule, also those of a group job (indented under "group job brief
    (jobs in lexicogr. order):", where ``jobs_run`` of a local build sees none)."""
    return jobs_run("\n".join(line.strip() for line in build_log.splitlines()))


def briefs_published(project: Path) -> int:
    """How many briefs the build published: ``report/output/briefs/`` PDFs."""
    return len(list((Path(project) / BRIEF_OUTPUT).glob(f"{BRIEF_NAME}_*.pdf")))


def record_cold_build(session: Session) -> Run:
    """The copy's first build, recorded as ``cold_build`` (with its jobs and briefs)."""
    cold = session.build("the cold build")
    session.record(
        "cold_build",
        cold,
        load=session.loads["the cold build"],
        jobs=sum(jobs_run(cold.output).values()),
        briefs=briefs_published(session.project.path),
    )
    return cold


def briefs_wanted(project: Path) -> tuple[int, int]:
    """(units with a brief, units too small for one) as the build's slice_briefs decided."""
    path = Path(project) / BRIEF_UNITS
    try:
        units = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BenchProblem(f"{path}: the build wrote no readable list of briefs.") from None
    return len(units.get("briefs", [])), len(units.get("too_small", []))


def cluster_conf(
    root: Path, env: Mapping[str, str], status: Callable[[], Any] | None = None
) -> str:
    """The running cluster's ``SLURM_CONF``: the environment's when it names a file, else
    what ``slurm.sh status`` prints when it says the cluster is up (exit 0)."""
    named = env.get("SLURM_CONF", "")
    if named and Path(named).is_file():
        return named
    result = (status or (lambda: _status(root, env)))()
    match = _SLURM_CONF.search(result.stdout or "")
    if result.returncode != 0 or not match or not Path(match.group(1)).is_file():
        said = tail((result.stdout or "") + (result.stderr or ""), 6)
        where = f" (SLURM_CONF={named}: no such file)" if named else ""
        raise BenchProblem(
            f"--slurm: no Slurm cluster runs{where}; {START_HINT}, or set SLURM_CONF to a "
            f"running cluster's slurm.conf. {CLUSTER_SCRIPT} status said:\n{said}"
        )
    return match.group(1)


def _status(root: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    script = Path(root) / CLUSTER_SCRIPT
    try:
        return subprocess.run(
            ["bash", str(script), "status"],
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BenchProblem(f"--slurm: {script} status did not answer: {error}") from None


# --------------------------------------------------------------------------- summary
def _find(measurements: Sequence[Measurement], scale: int, measure: str) -> Measurement | None:
    return next((m for m in measurements if m.scale == scale and m.measure == measure), None)


def slurm_summary(measurements: Sequence[Measurement]) -> dict[str, Any]:
    """The Slurm build against the local cold build of the same scale (the largest scale
    with a ``slurm_build``): ``{}`` when there is none."""
    slurm = [m for m in measurements if m.measure == "slurm_build"]
    if not slurm:
        return {}
    on_slurm = max(slurm, key=lambda m: m.scale)
    local = _find(measurements, on_slurm.scale, "cold_build")
    local_seconds = local.seconds if local else None
    ratio = (
        round(on_slurm.seconds / local_seconds, 2)
        if on_slurm.seconds is not None and local_seconds
        else None
    )
    return {
        "slurm": {
            "data": on_slurm.as_dict()["data"],
            "slurm_build_seconds": on_slurm.as_dict().get("seconds"),
            "local_build_seconds": None if local is None else local.as_dict().get("seconds"),
            "slurm_over_local": ratio,
            "slurm_jobs": on_slurm.detail.get("slurm_jobs"),
            "briefs_slurm": on_slurm.detail.get("briefs"),
            "briefs_local": None if local is None else local.detail.get("briefs"),
        }
    }


# --------------------------------------------------------------------------- measuring
def bench_slurm(
    options: Options,
    scale: int,
    emit: Callable[[Measurement], None],
    *,
    local: bool = False,
) -> list[Measurement]:
    """The Slurm build of ``scale`` in a fresh copy (after a local cold build in another
    fresh copy when ``local``: the entry point that measures only these two)."""
    env = dict(os.environ)
    conf = cluster_conf(options.root, env)
    base = Path(options.work_dir) if options.work_dir else None
    scratch = Path(tempfile.mkdtemp(prefix=f"ktreport-bench-slurm-{scale}-", dir=base))
    measurements: list[Measurement] = []
    try:
        if local:
            session = _session(options, scale, scratch / "local", emit)
            record_cold_build(session)
            measurements += session.measurements
        session = _session(options, scale, scratch / "slurm", emit)
        session.env["SLURM_CONF"] = conf
        measurements.append(_slurm_build(session))
    finally:
        if not options.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return measurements


def _session(
    options: Options, scale: int, where: Path, emit: Callable[[Measurement], None]
) -> Session:
    project = Project(
        copy_project(options.root, where, working_tree=options.working_tree), options.python
    )
    if scale != SAMPLE_SCALE:
        use_synthetic_data(project, scale, options.seed)
    return Session(options, scale, project, emit, project.environment())


def _slurm_build(session: Session) -> Measurement:
    path, load = session.project.path, load_average()
    ktreport = session.project.tool("ktreport")
    command = (ktreport, "build", "--cores", session.options.cores, "--profile", SLURM_PROFILE)
    run = session.run(*command)
    log_path = path / BUILD_LOG
    log = log_path.read_text("utf-8", "replace") if log_path.is_file() else ""
    if run.returncode != 0:
        check_run(run, f"ktreport build --profile {SLURM_PROFILE}", path)
    jobs = slurm_job_ids(log)
    if not jobs:
        raise BenchProblem(
            f"ktreport build --profile {SLURM_PROFILE} submitted no Slurm job in {path}; "
            f"{BUILD_LOG}'s last lines:\n{tail(log)}"
        )
    wanted, too_small = briefs_wanted(path)
    kept = {"copy": str(path)} if session.options.keep else {}
    return session.record(
        "slurm_build",
        run,
        load=load,
        profile=SLURM_PROFILE,
        slurm_jobs=len(jobs),
        briefs=briefs_published(path),
        briefs_wanted=wanted,
        units_too_small=too_small,
        jobs=rules_run(log),
        **kept,
    )
