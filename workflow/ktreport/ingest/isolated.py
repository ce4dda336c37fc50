"""Stage 1, reading a workbook in a child process with a memory limit (issue 17).

python-calamine is Rust: when an allocation fails it aborts the whole process, which no
``except`` can catch. ``extent`` measures .xlsx and .ods files before they are read; what it
cannot vouch for (an .xls, a zip or XML it does not understand) and what is large is read
here instead: a child Python runs ``main``, which runs ``calamine_sheet.load_sheet`` under
``RLIMIT_AS`` and returns the ``SheetRead`` by pickle on its standard output (the bytes come
from our own child, never from a file). A child that dies, runs out of memory or time gives
``None``: the caller reports the file as too large or damaged.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

# Address space of the child; the parent keeps only the grid of text the child returns.
CHILD_MEMORY_BYTES = 1024 * 1024 * 1024
CHILD_TIMEOUT_SECONDS = 600
# Measured workbooks whose sheets unpack to at most this are read in the process itself
# (a child costs a Python start, about 0.1-0.3 s; the sample's workbooks are 25-50 KB).
IN_PROCESS_BYTES = 1024 * 1024
FAILED = (
    "the workbook cannot be read within 1 GB of memory and 10 minutes: it is too large or damaged",
    "delete the empty rows and columns around the table (they may still hold a space or "
    "formatting), remove images and unused sheets, or copy the data into a new file",
)


def load_sheet_in_child(path: Path, wanted: str, row_limit: int):
    """``calamine_sheet.load_sheet`` run in a child process; None when the child fails."""
    from ktreport.ingest.calamine_sheet import SheetRead

    # ``-c``, not ``-m``: the package imports this module, and ``-m`` would run it twice.
    program = f"import sys; from {__name__} import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", program, str(path), wanted, str(row_limit)]
    library = str(Path(__file__).resolve().parents[2])  # the folder holding ktreport/
    env = dict(os.environ, RUST_BACKTRACE="0")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (library, env.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=env,
            timeout=CHILD_TIMEOUT_SECONDS,
            preexec_fn=_limit_memory,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    try:
        read = pickle.loads(done.stdout)
    except Exception:  # a truncated answer: the child was killed while writing
        return None
    return read if isinstance(read, SheetRead) else None


def _limit_memory() -> None:  # runs in the child, before Python starts
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))


def main(arguments: list[str]) -> int:
    from ktreport.ingest.calamine_sheet import load_sheet

    path, wanted, row_limit = arguments
    read = load_sheet(path, wanted, int(row_limit))
    sys.stdout.buffer.write(pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    return 0
