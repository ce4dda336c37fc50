"""Copies of the project built end to end, shared by the end-to-end tests of one session.

``copy_project`` copies the project's files (git's tracked and not-ignored files: what a
clone of the working tree holds) into a temporary folder; ``build`` runs ``ktreport build``
there with this environment's Python and the copy's own library, inside ``unshare -n`` (no
network) when the machine allows it. ``built`` caches one build per variant for the whole
test session ("sample": the sample data; "hostile": plus the rows of
tests/fixtures/hostile/injection_rows/; "pandoc", "quarto": the sample with that renderer),
because a build takes about a minute.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_ROWS = ROOT / "tests" / "fixtures" / "hostile" / "injection_rows"
REPORT = "report/output/KT_Skills_Investigation_Report"
HTML = f"{REPORT}.html"
PDF = f"{REPORT}.pdf"
KEY_FIGURES = "report/output/key_figures.json"
PUBLISHED = (HTML, PDF, KEY_FIGURES)
# The build date of a tree outside git comes from here: every copy gets the same one.
SOURCE_DATE_EPOCH = "1700000000"
BUILD_TIMEOUT = 900


def project_files(root: Path = ROOT) -> list[str]:
    """The project's files: tracked or new but not ignored (deleted files left out)."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return sorted(p for p in set(listing.split("\0")) if p and (root / p).is_file())


def copy_project(target: Path, root: Path = ROOT) -> Path:
    for relative in project_files(root):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, destination)
    return target


def copy_tree(source: Path, target: Path) -> Path:
    """A built tree, Snakemake's records and modification times included."""
    shutil.copytree(source, target, symlinks=True)
    return target


def append_rows(partner_file: Path, fixture: Path) -> None:
    """Append the rows of ``fixture`` (contract column names) to a partner's CSV file,
    keeping its byte-order mark, line ends and column order."""
    data = partner_file.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    header = next(csv.reader(io.StringIO(text)))
    with fixture.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    missing = sorted(set(rows[0]) - set(header))
    assert not missing, f"{partner_file} has no column {missing}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator=newline)
    writer.writerows(rows)
    if not text.endswith(("\n", "\r")):
        text += newline
    partner_file.write_bytes(("\ufeff" if bom else "").encode() + (text + out.getvalue()).encode())


def add_hostile_rows(tree: Path) -> None:
    for table in ("case_studies", "interviews"):
        append_rows(tree / "data" / "raw" / table / "UH.csv", HOSTILE_ROWS / f"{table}.csv")


def hostile_fixture_rows(table: str) -> list[dict[str, str]]:
    with (HOSTILE_ROWS / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def can_unshare() -> bool:
    """True when a command can run without network (``unshare -n``: root or user namespaces)."""
    if shutil.which("unshare") is None:
        return False
    try:
        result = subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def environment(tree: Path, path_first: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    first = [str(path_first)] if path_first else []
    env["PATH"] = os.pathsep.join([*first, str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = str(tree / "workflow")
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    env.pop("COLUMNS", None)
    return env


def ktreport_command(*args: str, offline: bool = False) -> list[str]:
    command = [sys.executable, "-m", "ktreport.cli", *args]
    return ["unshare", "-n", *command] if offline else command


def ktreport(
    tree: Path,
    *args: str,
    offline: bool = False,
    timeout: int = BUILD_TIMEOUT,
    path_first: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``ktreport ARGS`` in ``tree`` (its own library) and wait for it; ``path_first``
    goes first on its PATH (where a Quarto is)."""
    return subprocess.run(
        ktreport_command(*args, offline=offline),
        cwd=tree,
        env=environment(tree, path_first),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_ktreport(tree: Path, *args: str, log: Path) -> subprocess.Popen:
    """Start ``ktreport ARGS`` in its own process group (to kill it and all its children)."""
    stream = log.open("w", encoding="utf-8")
    return subprocess.Popen(
        ktreport_command(*args),
        cwd=tree,
        env=environment(tree),
        stdout=stream,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def kill_group(process: subprocess.Popen) -> None:
    """kill -9 the process group of ``process`` (ktreport, Snakemake, its jobs, Chromium)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)


def file_digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def published_bytes(tree: Path) -> dict[str, bytes]:
    return {name: (tree / name).read_bytes() for name in PUBLISHED if (tree / name).is_file()}


@dataclass(frozen=True)
class Built:
    tree: Path
    result: subprocess.CompletedProcess[str]
    offline: bool
    raw_before: dict[str, str]

    @property
    def ok(self) -> bool:
        return self.result.returncode == 0

    def explain(self) -> str:
        return (
            f"ktreport build in {self.tree} exited {self.result.returncode}\n"
            f"--- stdout\n{self.result.stdout[-3000:]}\n--- stderr\n{self.result.stderr[-6000:]}"
        )


_BUILDS: dict[str, Built] = {}


def build(tree: Path, offline: bool | None = None, path_first: Path | None = None) -> Built:
    """``ktreport build`` in ``tree``, offline when possible (``offline=None``)."""
    if offline is None:
        offline = can_unshare()
    raw_before = file_digests(tree / "data" / "raw")
    result = ktreport(tree, "build", "--cores", "2", offline=offline, path_first=path_first)
    return Built(tree, result, offline, raw_before)


def set_config(tree: Path, key: str, value: str) -> None:
    """``<key>: <value>`` for a top-level key of the copy's config.yaml."""
    config = tree / "config.yaml"
    text, count = re.subn(
        rf"^{key}: \S+$", f"{key}: {value}", config.read_text(encoding="utf-8"), flags=re.M
    )
    assert count == 1, f"config.yaml has no {key}: line"
    config.write_text(text, encoding="utf-8")


def set_renderer(tree: Path, renderer: str) -> None:
    """``renderer: <renderer>`` in the copy's config.yaml (and no briefs: they are always
    pandoc's, and the renderer builds compare the report)."""
    set_config(tree, "renderer", renderer)
    set_config(tree, "briefs", "none")


def built(variant: str, tmp_path_factory, quarto_dir: Path | None = None) -> Built:
    """The session's build of ``variant``, built on first use: "sample" (the sample data,
    config.yaml as it is), "hostile" (plus the rows of tests/fixtures/hostile/injection_rows/),
    "pandoc" or "quarto" (the sample with that renderer; "quarto" runs the Quarto in
    ``quarto_dir``)."""
    if variant not in _BUILDS:
        tree = copy_project(tmp_path_factory.mktemp(f"{variant}-build") / "project")
        if variant == "hostile":
            add_hostile_rows(tree)
        elif variant in ("pandoc", "quarto"):
            set_renderer(tree, variant)
        elif variant != "sample":
            raise ValueError(variant)
        _BUILDS[variant] = build(tree, path_first=quarto_dir if variant == "quarto" else None)
    return _BUILDS[variant]
