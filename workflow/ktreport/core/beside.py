"""Two pieces of work on two cores: one in a forked worker process, one here, at once.

``ktreport validate`` spends most of its time importing pandas and pandera for the schema
check (0.8 s) while the per-file checks (standard library only) wait; ``beside`` runs those
checks in a forked copy of the process meanwhile and brings their result back through a
``multiprocessing`` pipe. Forking copies the process as it is, so nothing is set up twice and
the work needs no pickling, only its result.

Correctness before speed: where there is no second core or no ``fork`` (Windows), where
threads already run (a fork would copy their locks), or when the worker fails or dies, the
work runs here, one after the other, and raises here as it would have.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """A forked worker is safe and useful: Linux, two cores for this process, one thread."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores > 1


def beside(work: Callable[[], T], meanwhile: Callable[[], object]) -> T:
    """``work()``'s result, computed in a forked worker while ``meanwhile()`` runs here.

    Both run to the end; an exception of ``meanwhile`` is raised after the worker is gone.
    """
    if not can_fork():
        meanwhile()
        return work()
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def run() -> None:  # in the worker
        try:
            result = (True, work())
        except BaseException:  # reported by the parent, which runs the work itself
            result = (False, None)
        try:
            send.send(result)
        except Exception:  # a result that does not pickle: the parent runs the work itself
            send.send((False, None))

    worker = context.Process(target=run, name="ktreport-beside", daemon=True)
    worker.start()  # (multiprocessing flushes stdout and stderr first: no text twice)
    send.close()
    try:
        meanwhile()
        try:
            done, result = receive.recv()
        except EOFError:  # the worker died (killed, out of memory)
            done, result = False, None
    except BaseException:
        worker.terminate()
        raise
    finally:
        receive.close()
        worker.join()
    return result if done else work()
