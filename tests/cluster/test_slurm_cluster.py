"""The sample report built through a real one-node Slurm cluster (workflow/cluster/slurm.sh)
with the profiles/slurm-test profile gives the bytes of a local build.

With KTREPORT_CLUSTER_TEST=1 (CI, ``make cluster-test``) a cluster that cannot start is a
failure; without it the test is skipped when the cluster cannot start (not root, no
slurm-wlm/munge). A cluster already running is used and left running; one this test
started is stopped. Run with ``-s`` to see the Slurm job ids.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from project_builds import ROOT, copy_project, environment, ktreport_command  # noqa: E402

pytestmark = pytest.mark.cluster

SCRIPT = ROOT / "workflow" / "cluster" / "slurm.sh"
REQUIRED = os.environ.get("KTREPORT_CLUSTER_TEST") == "1"
TOOLS = ("munged", "slurmctld", "slurmd", "sinfo", "squeue", "sbatch", "srun")
BUILD_TIMEOUT = 2400  # a Slurm build of the sample takes minutes (~10 on a busy 2-core machine)
# The files a build writes that must not depend on where its jobs ran.
COMPARED = ("report/_build/output", "report/output", "data/processed")


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"KTREPORT_CLUSTER_TEST=1 but the Slurm cluster cannot start: {reason}")
    pytest.skip(f"no Slurm cluster ({reason}); set KTREPORT_CLUSTER_TEST=1 to make this fail")


def slurm_sh(action: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), action],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def cluster() -> dict[str, str]:
    """The environment of a running cluster (SLURM_CONF set)."""
    if os.geteuid() != 0:
        unavailable("not root")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        unavailable(f"missing {', '.join(missing)} (slurm.sh --install start installs them)")
    env = dict(os.environ)
    status = slurm_sh("status", env)
    match = re.search(r"^export SLURM_CONF=(\S+)$", status.stdout, re.MULTILINE)
    assert match, status.stdout + status.stderr
    env["SLURM_CONF"] = match.group(1)
    started = status.returncode != 0
    if started:
        result = slurm_sh("start", env)
        if result.returncode != 0:
            unavailable(f"slurm.sh start exited {result.returncode}:\n{result.stderr[-3000:]}")
    yield env
    if started:
        slurm_sh("stop", env)


def run_in(tree: Path, command: list[str], env: dict[str, str], log: Path) -> int:
    """``command`` in ``tree`` with its own library; killed (group) on timeout."""
    with log.open("w", encoding="utf-8") as stream:
        process = subprocess.Popen(
            command,
            cwd=tree,
            env={**environment(tree), **{k: v for k, v in env.items() if k == "SLURM_CONF"}},
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            return process.wait(timeout=BUILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
            return -1


def compared_files(tree: Path) -> dict[str, bytes]:
    """Every output file. The content stamps are left out: they record the raw files' own
    metadata (inode, change time) in each tree, not anything the pipeline made."""
    stamps = tree / "data" / "processed" / "stamps"
    return {
        path.relative_to(tree).as_posix(): path.read_bytes()
        for folder in COMPARED
        for path in sorted((tree / folder).rglob("*"))
        if path.is_file() and stamps not in path.parents
    }


def slurm_states(job_ids: list[str], env: dict[str, str]) -> dict[str, str]:
    """job id -> state, as slurmctld knows it: squeue (finished jobs stay for MinJobAge),
    else slurmctld's log, which records every job that completed with exit status 0."""
    result = subprocess.run(
        ["squeue", "--states=all", "--noheader", "--format=%i|%T", f"--jobs={','.join(job_ids)}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    states = dict(line.split("|", 1) for line in result.stdout.split() if "|" in line)
    ctld_log = Path(env["SLURM_CONF"]).parent / "log" / "slurmctld.log"
    logged = ctld_log.read_text(errors="replace") if ctld_log.is_file() else ""
    for job in job_ids:
        if job not in states and f"_job_complete: JobId={job} WEXITSTATUS 0" in logged:
            states[job] = "COMPLETED"
    return states


def test_slurm_build_equals_local_build(cluster, tmp_path):
    local = copy_project(tmp_path / "local")
    on_slurm = copy_project(tmp_path / "slurm")

    started = time.monotonic()
    code = run_in(
        local, ktreport_command("build", "--cores", "2"), env={}, log=tmp_path / "local.log"
    )
    local_seconds = time.monotonic() - started
    assert code == 0, (tmp_path / "local.log").read_text()[-6000:]

    started = time.monotonic()
    # The user's command, as the README gives it: `ktreport build --profile slurm-test`.
    command = ktreport_command("build", "--cores", "2", "--profile", "slurm-test")
    code = run_in(on_slurm, command, env=cluster, log=tmp_path / "slurm.log")
    slurm_seconds = time.monotonic() - started
    said = (tmp_path / "slurm.log").read_text(encoding="utf-8")
    assert "Profile profiles/slurm-test: jobs run on slurm." in said, said
    output = (on_slurm / "logs" / "ktreport-build.log").read_text(encoding="utf-8")
    assert code == 0, f"ktreport build through Slurm exited {code}:\n{said}\n{output[-8000:]}"

    job_ids = re.findall(r"has been submitted with SLURM jobid (\d+)", output)
    print(f"\nlocal build {local_seconds:.0f} s, Slurm build {slurm_seconds:.0f} s")
    print(f"Slurm job ids: {' '.join(job_ids)}")
    assert job_ids, f"no job went through Slurm:\n{output[-4000:]}"
    states = slurm_states(job_ids, cluster)
    print(f"Slurm states: {states}")
    assert all(states.get(job) == "COMPLETED" for job in job_ids), states

    expected, got = compared_files(local), compared_files(on_slurm)
    assert sorted(got) == sorted(expected)
    differing = [name for name in expected if got[name] != expected[name]]
    assert not differing, f"differ from the local build: {differing}"
