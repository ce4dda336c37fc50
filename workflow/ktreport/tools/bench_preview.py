"""``make bench``'s edit-to-reload time of ``ktreport preview``: in the built copy, the
preview runs (in a thread, as the command runs it); a sentence is appended to a chapter,
and the time until the new page is served (the moment the open page is told to reload)
is measured, with pandoc's own share of it. The chapter is put back afterwards."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from ktreport import catalog
from ktreport.run.preview import PreviewBuilder, serve_preview
from ktreport.run.preview_server import PreviewState
from ktreport.tools.bench_measure import BenchProblem, median

CHAPTER = "01-introduction.md.j2"
TIMEOUT = 120.0


def _wait_version(state: PreviewState, above: int) -> int:
    with state.changed:
        if not state.changed.wait_for(lambda: state.version > above or state.error, TIMEOUT):
            raise BenchProblem(f"the preview did not update within {TIMEOUT:.0f} s")
        if state.error:
            raise BenchProblem(f"the preview failed: {state.error}")
        return state.version


def measure_preview(project: Path, repeat: int = 3) -> dict[str, Any]:
    """{seconds (median edit-to-reload), runs, pandoc_seconds, ratio_to_pandoc}."""
    state, builder, stop = (
        PreviewState(),
        PreviewBuilder(Path(project), update=False),
        threading.Event(),
    )
    worker = threading.Thread(
        target=serve_preview,
        args=(project,),
        kwargs={
            "port": 0,
            "progress": lambda _: None,
            "should_stop": stop.is_set,
            "state": state,
            "builder": builder,
        },
        daemon=True,
    )
    worker.start()
    chapter = Path(project) / catalog.CHAPTER_TEMPLATES_DIR / CHAPTER
    original = chapter.read_text(encoding="utf-8")
    runs: list[float] = []
    try:
        version = _wait_version(state, 0)
        for number in range(repeat):
            started = time.perf_counter()
            chapter.write_text(
                original + f"\nA sentence for the benchmark, number {number}.\n", encoding="utf-8"
            )
            version = _wait_version(state, version)
            runs.append(time.perf_counter() - started)
    finally:
        chapter.write_text(original, encoding="utf-8")
        stop.set()
        worker.join(timeout=30)
    pandoc = median(builder.pandoc_timings[-repeat:]) if builder.pandoc_timings else None
    seconds = median(runs)
    return {
        "seconds": seconds,
        "runs": [round(r, 3) for r in runs],
        "pandoc_seconds": round(pandoc, 3) if pandoc else None,
        "ratio_to_pandoc": round(seconds / pandoc, 2) if pandoc else None,
        "goal_seconds": 2.0,
    }
