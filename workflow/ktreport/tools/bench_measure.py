"""``make bench``, its measuring: run a command to its end and read what it did.

Wall time, exit code, CPU time and peak memory of a command's process tree (``os.wait4``:
Linux reports the maximum resident set over the child and its reaped descendants, so for
a Snakemake run it is the largest step); the jobs a Snakemake run started and the engine
times its logs report; the ``Measurement`` values ``make bench`` prints as JSON lines.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ktreport.core.errors import KtreportError

SAMPLE_SCALE = 1
DEFAULT_SCALES = (1, 10, 100)
LOG_TAIL_LINES = 15


class BenchProblem(KtreportError):
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


def tail(text: str, lines: int = LOG_TAIL_LINES) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def last_json(run: Run, what: str) -> Any:
    """The JSON of the last line a measuring child printed (``BenchProblem`` if none)."""
    try:
        return json.loads(run.output.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise BenchProblem(f"{what} printed no result; its output:\n{tail(run.output)}") from None


def check_run(run: Run, what: str, where: Path) -> None:
    if run.returncode != 0:
        raise BenchProblem(
            f"{what} failed (exit {run.returncode}) in the copy {where}; its last lines:\n"
            f"{tail(run.output)}"
        )


_CLEANED = re.compile(r"^\w+: \d+ partners, (\d+) cleaned, \d+ from the cache$")


def forget_clean_logs(logs: Path) -> None:
    """Remove the clean_table logs, so that ``files_recleaned`` after a build counts only
    the tables that build cleaned (a table whose step did not run leaves no log)."""
    for log in Path(logs).glob("clean_table/*.log"):
        log.unlink()


def files_recleaned(logs: Path) -> int:
    """How many partner files the last clean_table steps read and checked (the others came
    from their cache), from the first line of each table's log (``logs/clean_table/``)."""
    total = 0
    for log in sorted(Path(logs).glob("clean_table/*.log")):
        first = log.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
        if match := _CLEANED.match(first):
            total += int(match.group(1))
    return total
