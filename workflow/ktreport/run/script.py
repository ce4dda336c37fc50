"""Outside the DAG: the skeleton every rule script shares (``workflow/scripts/*.py``).

A rule script is a thin adapter: it reads Snakemake's ``snakemake`` object and calls the
library in a ``body``; ``run_step`` does the rest, the same way for every step. It opens the
step's log, runs the body, and turns what happened into the exit code:

- the body returns the text of the log: it is written, exit 0;
- the body returns ``Failed(text)``: the step stops the build after printing what to say
  itself (the partner data has errors, personal data was found): ``text`` is the log, exit 1;
- an expected error (a ``KtreportError``: bad data, a template error, a failed engine):
  ``<rule>: <message>`` on stderr and the message in the log, exit 1;
- a fault of the computer (a file this user may not read, a full disk, a read-only folder):
  ``<rule>: <one line naming the file>`` on stderr and in the log, exit 1;
- anything else is a bug: ``<rule> failed unexpectedly; details in <log>`` on stderr and the
  traceback in the log (never on the terminal), exit 1.

What it prints has its control characters escaped (``core.safe.printable``): an error
message can carry partner text. Standard library only (and ``core``'s standard-library
modules), so that a job starts quickly.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ktreport.core.errors import KtreportError
from ktreport.core.faults import environment_fault
from ktreport.core.safe import printable
from ktreport.core.shutdown import skip_last_collections

UNEXPECTED = "{name} failed unexpectedly; details in {log}"


@dataclass(frozen=True)
class Failed:
    """What a body returns to stop the build after saying why itself: ``log`` is the log's text."""

    log: str


@contextlib.contextmanager
def _logging_to(stream: TextIO, names: Sequence[str]) -> Iterator[None]:
    """Warnings of the libraries ``names`` (WeasyPrint: CSS it ignores, …) go to the step's
    log, not the terminal, while the step runs."""
    handler = logging.StreamHandler(stream)
    saved = []
    for name in names:
        logger = logging.getLogger(name)
        saved.append((logger, logger.handlers[:], logger.level, logger.propagate))
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False
    try:
        yield
    finally:
        for logger, handlers, level, propagate in saved:
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate


def run_step(
    smk: Any,
    body: Callable[[], str | Failed],
    *,
    expected: tuple[type[BaseException], ...] = (KtreportError,),
    unexpected: str = UNEXPECTED,
    loggers: Sequence[str] = (),
) -> int:
    """Run a rule's ``body`` with its log (``smk.log[0]``) open; the exit code of the script.

    ``expected`` are the errors a person can act on; ``unexpected`` is the message of a bug
    (``{name}``: the rule, ``{log}``: its log); ``loggers`` are the libraries whose warnings
    go to the log. A fault of the computer (a file that may not be read, a full disk, a
    read-only folder: ``core.faults``) is one line naming the file, like an expected error."""
    skip_last_collections()  # a rule script's process ends after its step
    log = Path(smk.log[0])
    name = smk.rule
    outputs = list(getattr(smk, "output", []) or [])
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w", encoding="utf-8") as stream, _logging_to(stream, loggers):
            return _run(stream, name, log, body, expected, unexpected, outputs[:1])
    except OSError as error:  # the log itself cannot be written (full disk, read-only)
        fault = environment_fault(error, where=log)
        if fault is None:
            raise
        _say(f"{name}: {fault}")
        return 1


def _say(message: str) -> None:
    print(printable(message), file=sys.stderr)


def _run(stream: TextIO, name, log, body, expected, unexpected, outputs) -> int:
    try:
        done = body()
    except expected as error:
        stream.write(f"{error}\n")
        _say(f"{name}: {error}")
        return 1
    except Exception as error:  # a bug: a short message here, the traceback in the log
        fault = environment_fault(error, where=outputs[0] if outputs else None)
        if fault is not None:
            with contextlib.suppress(OSError):  # the log may be on the full disk too
                stream.write(f"{fault}\n")
            _say(f"{name}: {fault}")
            return 1
        stream.write(traceback.format_exc())
        _say(unexpected.format(name=name, log=log))
        return 1
    if isinstance(done, Failed):
        stream.write(done.log)
        return 1
    stream.write(done)
    return 0


def render_inputs(smk: Any) -> tuple[list[Path], Path, dict[str, Any]]:
    """What every render step (HTML, PDF, Word) takes from its rule: the chapters, the
    output, and the keywords ``context`` (the render context JSON) and ``report_dir``."""
    context = json.loads(Path(smk.input.context).read_text(encoding="utf-8"))
    chapters = [Path(c) for c in smk.input.chapters]
    return (
        chapters,
        Path(smk.output[0]),
        {"context": context, "report_dir": Path(smk.params.report_dir)},
    )


def written(warnings: Sequence[str], line: str) -> str:
    """A render step's log: the engine's warnings, one a line, then ``line``."""
    return "".join(f"{w}\n" for w in warnings) + f"{line}\n"
