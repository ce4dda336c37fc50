"""core.beside: work in a forked worker while the parent does something else, and the same
result as one after the other whatever goes wrong.

Each case runs in a fresh interpreter: whether ``beside`` forks depends on the process (its
threads), and pytest's own process may have some.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ktreport.core import beside as beside_module

needs_fork = pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="beside forks only on Linux with two cores",
)

PRELUDE = """
import json, os, signal, sys, threading, time
from ktreport.core.beside import beside
parent = os.getpid()
ran = []
def meanwhile():
    ran.append(os.getpid())
"""


def run_case(body: str, tmp_path: Path) -> dict:
    """Run PRELUDE + ``body`` (which prints one JSON line last) in a fresh interpreter."""
    script = tmp_path / "case.py"
    script.write_text(PRELUDE + textwrap.dedent(body), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@needs_fork
def test_the_work_runs_in_a_worker_while_the_parent_runs_the_other(tmp_path):
    out = run_case(
        """
        def work():
            return {"pid": os.getpid(), "rows": [{"a": 1}, {"b": (2, "x")}]}
        result = beside(work, meanwhile)
        print(json.dumps({"result": result, "parent": parent, "ran": ran}))
        """,
        tmp_path,
    )
    assert out["result"]["rows"] == [{"a": 1}, {"b": [2, "x"]}]
    assert out["result"]["pid"] != out["parent"]  # it ran in the worker
    assert out["ran"] == [out["parent"]]  # and the other in the parent


@needs_fork
def test_both_run_at_the_same_time(tmp_path):
    # The worker waits for a file the parent's part writes: one after the other, the
    # worker (first) would wait for ever; here the parent writes it while the worker waits.
    flag = tmp_path / "flag"
    out = run_case(
        f"""
        flag = {str(flag)!r}
        def work():
            for _ in range(6000):
                if os.path.exists(flag):
                    return "saw the parent's file"
                time.sleep(0.01)
            return "never saw it"
        def write_flag():
            open(flag, "w").close()
        print(json.dumps({{"result": beside(work, write_flag)}}))
        """,
        tmp_path,
    )
    assert out["result"] == "saw the parent's file"


@needs_fork
def test_a_worker_that_dies_leaves_the_work_to_the_parent(tmp_path):
    out = run_case(
        """
        def work():
            if os.getpid() != parent:
                os.kill(os.getpid(), signal.SIGKILL)  # the worker is killed
            return os.getpid()
        print(json.dumps({"result": beside(work, meanwhile), "parent": parent}))
        """,
        tmp_path,
    )
    assert out["result"] == out["parent"]


@needs_fork
def test_an_error_of_the_work_is_raised_in_the_parent_as_itself(tmp_path):
    out = run_case(
        """
        def work():
            raise KeyError(f"from {os.getpid()}")
        try:
            beside(work, meanwhile)
        except KeyError as error:
            print(json.dumps({"error": error.args[0], "parent": parent}))
        """,
        tmp_path,
    )
    assert out["error"] == f"from {out['parent']}"  # raised by the parent's own run


@needs_fork
def test_a_result_that_does_not_pickle_is_computed_by_the_parent(tmp_path):
    out = run_case(
        """
        def work():
            return (os.getpid(), lambda: None)
        pid, _ = beside(work, meanwhile)
        print(json.dumps({"result": pid, "parent": parent}))
        """,
        tmp_path,
    )
    assert out["result"] == out["parent"]


@needs_fork
def test_an_error_of_the_parents_part_stops_the_worker(tmp_path):
    out = run_case(
        """
        import multiprocessing
        def work():
            time.sleep(600)
        def fails():
            raise ValueError("parent")
        started = time.monotonic()
        try:
            beside(work, fails)
        except ValueError:
            pass
        print(json.dumps({"children": len(multiprocessing.active_children()),
                          "quick": time.monotonic() - started < 60}))
        """,
        tmp_path,
    )
    assert out == {"children": 0, "quick": True}


@needs_fork
def test_with_threads_running_nothing_is_forked(tmp_path):
    out = run_case(
        """
        stop = threading.Event()
        threading.Thread(target=stop.wait, daemon=True).start()
        result = beside(os.getpid, meanwhile)
        stop.set()
        print(json.dumps({"result": result, "parent": parent, "ran": ran}))
        """,
        tmp_path,
    )
    assert out["result"] == out["parent"]
    assert out["ran"] == [out["parent"]]


@needs_fork
def test_text_printed_before_is_printed_once(tmp_path):
    script = tmp_path / "case.py"
    script.write_text(
        PRELUDE + 'print("before", end="")\nbeside(lambda: 1, meanwhile)\nprint(" after")\n',
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "before after\n"


def test_one_core_runs_both_here(monkeypatch):
    monkeypatch.setattr(beside_module.os, "sched_getaffinity", lambda pid: {0})
    assert not beside_module.can_fork()
    ran = []
    assert beside_module.beside(os.getpid, lambda: ran.append(1)) == os.getpid()
    assert ran == [1]
