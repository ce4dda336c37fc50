"""Stage 4b, running an engine (pandoc, Quarto) as a subprocess: its errors as a
``RenderProblem``, its run time as a log line, files written whole.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ktreport.core.errors import RenderProblem


def write_atomically(path: Path, content: str) -> None:
    """Write via a temporary file and a rename: two rules rendering at once (the PDF and
    the archival PDF) never see each other's half-written file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(content, encoding="utf-8")
    os.replace(temporary, path)


def timing_line(engine: str, seconds: float) -> str:
    """How long an engine ran, as the rule logs record it (``make bench`` reads these)."""
    return f"time {engine} {seconds:.3f} s"


def run_engine(
    command: Sequence[str], cwd: Path, what: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run ``command`` in ``cwd`` (``env``: variables added to this process's); a failure is
    a ``RenderProblem`` naming ``what``."""
    environment = {**os.environ, **env} if env else None
    try:
        result = subprocess.run(
            list(command),
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
            env=environment,
        )
    except OSError as exc:
        raise RenderProblem(f"{what} could not be started: {exc}") from None
    except subprocess.TimeoutExpired:
        raise RenderProblem(f"{what} did not finish within 15 minutes") from None
    if result.returncode != 0:
        raise RenderProblem(f"{what} failed: {engine_message(result.stderr)}")
    return result


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def engine_message(stderr: str) -> str:
    """The useful line(s) of an engine's error output (no Lua stack traceback, no Deno
    "Stack trace:" of Quarto, no terminal colours)."""
    lines = []
    for line in _ANSI.sub("", stderr).splitlines():
        if line.strip().startswith(("stack traceback", "Stack trace:")) or line.startswith("\t"):
            break
        if line.strip() and not line.startswith("Error running filter"):
            lines.append(line.strip())
    return " ".join(lines) or stderr.strip() or "no message"


def relative_to(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` (POSIX), else absolute: no machine path in messages."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())
