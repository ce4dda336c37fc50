"""Outside the DAG: the one place that starts Snakemake.

``ktreport build`` (``run.build``), the review's revision builder (``review.snapshots``) and
the benchmark (``tools.bench``) run Snakemake through this module: this environment's own
executable (next to the running Python, else on PATH), this environment's tools first on
PATH, and the tree's own library (``<tree>/workflow``) first on the import path, so that a
copy or an old revision is built with its own code, not with the checkout this command
runs from. Also what a killed run leaves behind: Snakemake's lock, and whether it is stale.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ktreport.core.errors import KtreportError


class SnakemakeMissing(KtreportError):
    """Snakemake is not installed in this environment; the message says how to install it."""


def executable(bin_dir: Path | None = None) -> str:
    """Snakemake next to ``bin_dir`` (default: this Python's), else the one on PATH."""
    bin_dir = Path(sys.executable).parent if bin_dir is None else Path(bin_dir)
    for candidate in (bin_dir / "snakemake", Path(shutil.which("snakemake") or "")):
        if candidate.name and candidate.is_file():
            return str(candidate)
    raise SnakemakeMissing(f"Snakemake is not installed in {bin_dir}: run `make env` first.")


def command(*args: str, bin_dir: Path | None = None) -> list[str]:
    """``snakemake ARGS`` with the executable of ``executable(bin_dir)``."""
    return [executable(bin_dir), *args]


def environment(tree: Path, bin_dir: Path | None = None) -> dict[str, str]:
    """This process's environment, with ``bin_dir`` (default: this Python's) first on PATH
    and the tree's own library first on PYTHONPATH."""
    environment = dict(os.environ)
    bin_dir = Path(sys.executable).parent if bin_dir is None else Path(bin_dir)
    environment["PATH"] = os.pathsep.join([str(bin_dir), environment.get("PATH", "")])
    # The tree's own library first, also when this command runs from another checkout.
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(Path(tree) / "workflow"), environment.get("PYTHONPATH", "")) if p
    )
    return environment


def start(
    snakemake: Sequence[str], tree: Path, *, bin_dir: Path | None = None, **popen: Any
) -> subprocess.Popen[str]:
    """Start ``snakemake`` (a ``command(...)``) in ``tree`` with ``environment(tree)``;
    ``popen`` are the other ``subprocess.Popen`` arguments (streams, encoding)."""
    return subprocess.Popen(list(snakemake), cwd=tree, env=environment(tree, bin_dir), **popen)


def run(
    snakemake: Sequence[str], tree: Path, *, bin_dir: Path | None = None, **options: Any
) -> subprocess.CompletedProcess[str]:
    """Run ``snakemake`` in ``tree`` to its end (killed if this process is interrupted);
    its output is captured as text unless ``options`` give other streams."""
    if "stdout" not in options:
        options["capture_output"] = True
    return subprocess.run(
        list(snakemake),
        cwd=tree,
        env=environment(tree, bin_dir),
        text=True,
        check=False,
        **options,
    )


def build_tree(
    path: Path, cores: int | str = "all", log: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Build the report in the project tree ``path`` with this environment's Snakemake.

    The tree's own library (``path/workflow``) comes first on the import path, so an old
    revision is built with its own code, not with the checkout this command runs from.
    Output goes to ``log`` when given (else it is captured)."""
    snakemake = command("--cores", str(cores), "--printshellcmds")
    if log is None:
        return run(snakemake, path)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as stream:
        stream.write(f"$ {' '.join(snakemake)}  (in {path})\n")
        stream.flush()
        return run(snakemake, path, stdout=stream, stderr=subprocess.STDOUT)


def _processes(root: Path) -> list[int] | None:
    """Processes of Snakemake (or its jobs) working in ``root``; None if unknowable."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    target = root.resolve()
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if Path(os.readlink(entry / "cwd")).resolve() != target:
                continue
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"snakemake" in cmdline:
            found.append(int(entry.name))
    return sorted(found)


def lock_state(root: Path) -> str:
    """``none``, ``stale`` (left by a killed run) or ``held`` (a Snakemake run is alive)."""
    locks = root / ".snakemake" / "locks"
    if not locks.is_dir() or not any(locks.iterdir()):
        return "none"
    processes = _processes(root)
    if processes is None or processes:
        return "held"
    return "stale"


def unlock_stale(root: Path) -> None:
    """Remove the lock a killed Snakemake run left behind (only when none is running)."""
    if lock_state(root) != "stale":
        return
    run(command("--unlock", "--quiet", "all"), root)
