"""make bench --slurm without a cluster: the Slurm jobs read from the build log, the briefs
counted, the cluster's SLURM_CONF found (or a sentence saying none runs) and the summary's
Slurm build against the local cold build. No timing is asserted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ktreport.catalog import BRIEF_OUTPUT, BRIEF_UNITS
from ktreport.tools import bench, bench_slurm
from ktreport.tools.bench import Measurement

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bench"
ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- reading
def test_slurm_job_ids_are_the_submitted_lines_each_once_in_order():
    log = (FIXTURES / "slurm_build_log" / "ktreport-build.log").read_text(encoding="utf-8")
    # 42 is logged twice; 106 is named by a line that is not a submission.
    assert bench_slurm.slurm_job_ids(log) == ["41", "42", "105"]


def test_rules_run_counts_the_jobs_inside_a_group_job():
    log = (FIXTURES / "slurm_build_log" / "ktreport-build.log").read_text(encoding="utf-8")
    assert bench_slurm.rules_run(log) == {"clean_table": 1}


def test_a_log_without_submissions_has_no_slurm_jobs():
    assert bench_slurm.slurm_job_ids("Building DAG of jobs...\nrule all:\n    jobid: 0\n") == []


def test_briefs_published_counts_each_brief_pdf_once(tmp_path):
    briefs = tmp_path / BRIEF_OUTPUT
    briefs.mkdir(parents=True)
    for brief in ("FI", "IT", "NL"):
        (briefs / f"KT_Skills_Brief_{brief}.pdf").write_bytes(b"%PDF")
        (briefs / f"KT_Skills_Brief_{brief}.html").write_text("<html>", encoding="utf-8")
    (briefs / "notes.pdf").write_bytes(b"%PDF")  # not a brief
    assert bench_slurm.briefs_published(tmp_path) == 3
    assert bench_slurm.briefs_published(tmp_path / "empty") == 0


def test_briefs_wanted_reads_the_briefs_and_the_units_too_small(tmp_path):
    units = tmp_path / BRIEF_UNITS
    units.parent.mkdir(parents=True)
    units.write_text(
        json.dumps({"briefs": [{"id": "FI"}, {"id": "IT"}], "too_small": [{"id": "EE"}]}),
        encoding="utf-8",
    )
    assert bench_slurm.briefs_wanted(tmp_path) == (2, 1)
    with pytest.raises(bench.BenchProblem, match="no readable list of briefs"):
        bench_slurm.briefs_wanted(tmp_path / "unbuilt")


# --------------------------------------------------------------------------- the cluster
def _status(returncode: int, stdout: str):
    return lambda: subprocess.CompletedProcess(["slurm.sh", "status"], returncode, stdout, "")


def test_slurm_conf_of_the_environment_is_used_when_it_names_a_file(tmp_path):
    conf = tmp_path / "slurm.conf"
    conf.write_text("ClusterName=ktreport\n", encoding="utf-8")

    def never():
        raise AssertionError("slurm.sh status must not run when SLURM_CONF names a file")

    assert bench_slurm.cluster_conf(ROOT, {"SLURM_CONF": str(conf)}, never) == str(conf)


def test_slurm_conf_comes_from_slurm_sh_status_when_the_cluster_is_up(tmp_path):
    conf = tmp_path / "slurm.conf"
    conf.write_text("ClusterName=ktreport\n", encoding="utf-8")
    said = f"export SLURM_CONF={conf}\nmunged: running (pid 7)\nslurmctld: running (pid 8)\n"
    assert bench_slurm.cluster_conf(ROOT, {}, _status(0, said)) == str(conf)


def test_no_cluster_running_is_a_sentence_saying_how_to_start_one(tmp_path):
    # As after `slurm.sh stop`: the state directory keeps its slurm.conf, the daemons are gone.
    conf = tmp_path / "slurm.conf"
    conf.write_text("ClusterName=ktreport\n", encoding="utf-8")
    said = f"export SLURM_CONF={conf}\nmunged: stopped\nslurmctld: stopped\n"
    with pytest.raises(bench.BenchProblem) as problem:
        bench_slurm.cluster_conf(ROOT, {}, _status(1, said))
    message = str(problem.value)
    assert "no Slurm cluster runs" in message
    assert "bash workflow/cluster/slurm.sh --install start" in message
    assert "slurmctld: stopped" in message
    assert "Traceback" not in message


def test_a_slurm_conf_naming_no_file_falls_back_to_status_and_says_so(tmp_path):
    missing = tmp_path / "gone.conf"
    with pytest.raises(bench.BenchProblem, match=r"SLURM_CONF=.*gone\.conf: no such file"):
        bench_slurm.cluster_conf(ROOT, {"SLURM_CONF": str(missing)}, _status(1, "stopped\n"))


def test_the_script_without_a_cluster_ends_with_the_sentence_not_a_traceback(tmp_path):
    # A state directory where no cluster ever ran: slurm.sh status says stopped (exit 1).
    env = {"PATH": "/usr/bin:/bin", "KTREPORT_SLURM_DIR": str(tmp_path / "no-cluster")}
    command = [sys.executable, str(ROOT / "workflow" / "scripts" / "bench.py"), "--slurm-only"]
    # The sample only, in tmp_path: were the check missing, no large build would start.
    command += ["--scales", "1", "--work-dir", str(tmp_path)]
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:  # the whole group: a build it started goes too
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 1, stderr
    assert "make bench: --slurm: no Slurm cluster runs" in stderr
    assert "Traceback" not in stderr
    assert stdout == ""


# --------------------------------------------------------------------------- summary
def _builds(local: float | None, on_slurm: float) -> list[Measurement]:
    measurements = [
        Measurement(1, "cold_build", seconds=20.0, detail={"briefs": 3}),
        Measurement(10, "slurm_build", seconds=90.0, detail={"slurm_jobs": 5, "briefs": 33}),
        Measurement(100, "slurm_build", seconds=on_slurm, detail={"slurm_jobs": 47, "briefs": 42}),
    ]
    if local is not None:
        measurements.insert(1, Measurement(100, "cold_build", seconds=local, detail={"briefs": 42}))
    return measurements


def test_summary_puts_the_largest_slurm_build_beside_the_local_cold_build_of_its_scale():
    summary = bench_slurm.slurm_summary(_builds(local=200.0, on_slurm=500.0))
    assert summary == {
        "slurm": {
            "data": "synth x100",
            "slurm_build_seconds": 500.0,
            "local_build_seconds": 200.0,
            "slurm_over_local": 2.5,
            "slurm_jobs": 47,
            "briefs_slurm": 42,
            "briefs_local": 42,
        }
    }


def test_summary_without_a_local_build_of_that_scale_has_no_ratio():
    summary = bench_slurm.slurm_summary(_builds(local=None, on_slurm=500.0))["slurm"]
    assert summary["slurm_over_local"] is None
    assert summary["local_build_seconds"] is None
    assert summary["briefs_local"] is None


def test_summary_without_a_slurm_build_adds_nothing():
    assert bench_slurm.slurm_summary([Measurement(1, "cold_build", seconds=20.0)]) == {}
