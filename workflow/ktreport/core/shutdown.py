"""The end of a ktreport process: without Python's last garbage collections.

At exit Python collects garbage over every object still alive (pandas', pandera's,
Snakemake's: 0.2 s of a one-second ``ktreport validate``, and of every rule script), only to
free memory the system frees anyway. ``gc.freeze()`` in an ``atexit`` handler moves them out
of the collector's sight first. Files are closed and the other ``atexit`` handlers run as
before; a test that calls a command in its own process keeps its collector until it exits.
"""

from __future__ import annotations

import atexit
import gc


def skip_last_collections() -> None:
    """At this process's exit, freeze the objects before Python's last collections (once,
    however often this is called: ``unregister`` drops an earlier registration)."""
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
