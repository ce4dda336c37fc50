"""Faults of the computer are said as such (issue 17 §10): a file this user may not read, a
full disk, a read-only folder give one line naming the file or folder and what to do, in
``ktreport validate``, in ``ktreport build`` (before the long steps run: the folders it
writes are checked first) and in every rule script; never "internal error, send it to the
maintainers" with a traceback.

How the faults are made real: the tests run as root in CI, where chmod does not stop
reading or writing, so an unreadable file is read by a child process running as the user
``nobody`` (``setpriv``); a full disk and a read-only folder are small tmpfs mounts (root
may mount). Where that is not possible (not root, no setpriv, no mount) a plain chmod is
used when not root, else the test is skipped; the messages themselves are also checked
on the errors Python raises (``OSError(errno.ENOSPC, …)``)."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import RAW, ROOT
from ktreport.core.faults import environment_fault
from ktreport.run import build as building
from ktreport.run.script import run_step

IS_ROOT = os.geteuid() == 0
SETPRIV = shutil.which("setpriv")


@contextlib.contextmanager
def _tmpfs(folder: Path, options: str) -> Iterator[Path]:
    """A tmpfs mounted on ``folder`` (root only), unmounted afterwards; skip if not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[Path]:
    """``folder`` made read-only for real: a read-only tmpfs as root, chmod 555 otherwise."""
    if IS_ROOT:
        with _tmpfs(folder, "ro,size=64k") as mounted:
            yield mounted
    else:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)


def _as_unprivileged(command: list[str]) -> list[str]:
    """``command`` as a user for whom file permissions hold (``nobody`` when root)."""
    if not IS_ROOT:
        return command
    if SETPRIV is None:
        pytest.skip("running as root without setpriv: file permissions cannot be tested")
    return [SETPRIV, "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]


def _shared_folder() -> Path:
    """A folder ``nobody`` may enter (pytest's tmp_path is private to its user)."""
    folder = Path(tempfile.mkdtemp(prefix="ktreport-faults-"))
    folder.chmod(0o777)
    return folder


def _cli(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "ktreport.cli", *arguments]


# ------------------------------------------------------------------ the messages themselves


@pytest.mark.parametrize(
    ("error", "where", "doing", "line"),
    [
        (
            PermissionError(errno.EACCES, "Permission denied", "data/raw/x.csv"),
            None,
            "read",
            "data/raw/x.csv: permission denied: the file cannot be read.",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied", "some/folder"),
            None,
            "write",
            "cannot write some/folder: permission denied.",
        ),
        (
            OSError(errno.ENOSPC, "No space left on device"),
            "report/output/KT.pdf",
            "",
            "cannot write report/output/KT.pdf: the disk is full.",
        ),
        (
            OSError(errno.EDQUOT, "Disk quota exceeded"),
            "logs/x.log",
            "",
            "cannot write logs/x.log: your disk quota is used up.",
        ),
        (
            OSError(errno.EROFS, "Read-only file system", "report/output/x"),
            None,
            "",
            "cannot write report/output/x: the disk is read-only.",
        ),
    ],
)
def test_each_environment_fault_is_one_line_naming_the_file(error, where, doing, line):
    message = environment_fault(error, where=where, doing=doing)
    assert message.startswith(line)
    assert "\n" not in message


def test_other_errors_are_not_environment_faults():
    assert environment_fault(OSError(errno.EIO, "Input/output error", "x")) is None
    assert environment_fault(ValueError("x")) is None


# ------------------------------------------------------------------ the rule scripts


def _smk(tmp_path: Path, output: Path) -> SimpleNamespace:
    log = tmp_path / "logs" / "render_pdf.log"
    return SimpleNamespace(rule="render_pdf", log=[str(log)], output=[str(output)])


def test_a_full_disk_in_a_step_is_one_line_not_a_bug(tmp_path, capsys):
    if not IS_ROOT:
        pytest.skip("a full disk needs a tmpfs mount (root)")
    with _tmpfs(tmp_path / "full", "size=64k") as full:
        target = full / "KT.pdf"
        smk = _smk(tmp_path, target)

        def body() -> str:
            target.write_bytes(b"%PDF" + b"x" * 1_000_000)  # a real ENOSPC
            return "written\n"

        assert run_step(smk, body) == 1
    err = capsys.readouterr().err
    log = Path(smk.log[0]).read_text(encoding="utf-8")
    assert err.startswith("render_pdf: cannot write ") and "the disk is full" in err
    assert "KT.pdf" in err and err.count("\n") == 1
    assert "unexpectedly" not in err and "Traceback" not in log
    assert "the disk is full" in log


def test_a_step_that_may_not_read_its_input_says_which_file(tmp_path, capsys):
    source = tmp_path / "data" / "raw" / "x.csv"

    def body() -> str:
        raise PermissionError(errno.EACCES, "Permission denied", str(source))

    assert run_step(_smk(tmp_path, tmp_path / "out.csv"), body) == 1
    err = capsys.readouterr().err
    assert "permission denied" in err and "x.csv" in err
    assert "unexpectedly" not in err


# ------------------------------------------------------------------ ktreport validate


def test_validate_names_a_file_it_may_not_read_in_one_line():
    folder = _shared_folder()
    try:
        raw = folder / "raw"
        shutil.copytree(RAW, raw)
        for path in [raw, *raw.rglob("*")]:
            path.chmod(0o777 if path.is_dir() else 0o666)
        (raw / "case_studies" / "UH.csv").chmod(0o000)
        done = subprocess.run(
            _as_unprivileged(_cli("validate", "--raw-dir", str(raw))),
            capture_output=True,
            text=True,
            cwd=folder,
            timeout=300,
            env={**os.environ, "PYTHONPATH": str(ROOT / "workflow")},
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        "Error: raw/case_studies/UH.csv: permission denied: the file cannot be read. Give "
        "this user read access to it (e.g. chmod a+r) and try again."
    )
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


# ------------------------------------------------------------------ ktreport build


def _project(tmp_path: Path) -> Path:
    """Enough of a project for ``ktreport build`` to start: Snakefile, config, schema."""
    root = tmp_path / "project"
    (root / "workflow" / "schemas").mkdir(parents=True)
    shutil.copy(ROOT / "Snakefile", root / "Snakefile")
    shutil.copy(ROOT / "config.yaml", root / "config.yaml")
    schema = Path("workflow/schemas/config.schema.yaml")
    shutil.copy(ROOT / schema, root / schema)
    return root


def test_build_says_a_read_only_output_folder_before_building(tmp_path):
    root = _project(tmp_path)
    with _read_only(root / "report" / "output"):
        assert building.writable_problems(root) == [
            "cannot write report/output/: "
            + (
                "the disk is read-only. Build in a folder on a disk that can be written."
                if IS_ROOT
                else "permission denied. Give this user write access to the folder (or "
                "run in a folder of your own) and try again."
            )
        ]
        done = subprocess.run(
            _cli("build", "--cores", "1"), capture_output=True, text=True, cwd=root, timeout=300
        )
    assert done.returncode == 1
    assert done.stderr.startswith("Error: cannot write report/output/: ")
    assert "Checking the partner data" not in done.stderr  # nothing long ran before
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_build_needs_room_on_the_disk(tmp_path, monkeypatch):
    root = _project(tmp_path)
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage._replace(free=50_000_000))
    assert building.writable_problems(root) == [
        "cannot build: the disk of report/output/ has 50 MB free; the build needs at least "
        "200 MB. Free some space and try again."
    ]
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage._replace(free=10**10))
    assert building.writable_problems(root) == []
