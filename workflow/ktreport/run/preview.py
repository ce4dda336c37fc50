"""Outside the DAG: ``ktreport preview``, the authors' live page.

At start, and whenever ``config.yaml`` or ``data/raw/`` changes, the data are checked
(``ktreport validate``: file:row:column) and Snakemake brings the tables, key figures
and figures up to date (never the PDF, the guard or report/output/). On every change of
a chapter or of how the report looks, only the HTML's own steps run again, in this
process: ``write_chapters`` and ``render_html`` (pandoc) into ``report/_preview/``. The
page is served on 127.0.0.1 (``run.preview_server``) and reloads itself; an error shows
over the last good page, naming ``FILE:LINE``, until it is fixed.
"""

from __future__ import annotations

import shutil
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ktreport import catalog
from ktreport.core.errors import KtreportError
from ktreport.run import snakemake
from ktreport.run.preview_server import PreviewState, start_server, stop_server

POLL = 0.3  # seconds between two looks at the watched files
DATA_TARGETS = [
    catalog.KEY_FIGURES,
    catalog.FIGURES_MANIFEST,
    *catalog.FIGURE_SVGS,
    *catalog.FIGURE_JSONS,
    *catalog.AGGREGATE_CSVS,
    *catalog.PROCESSED_CSVS,
]
PREVIEW_LOG = catalog.LOGS / "ktreport-preview.log"


def snapshot(root: Path, watched: Iterable[Path] = catalog.PREVIEW_WATCHED) -> dict[str, tuple]:
    """(mtime, size) of every watched file (relative path -> stat), hidden files left out."""
    found: dict[str, tuple] = {}
    for entry in watched:
        base = Path(root) / entry
        paths = [base] if base.is_file() else sorted(base.rglob("*")) if base.is_dir() else []
        for path in paths:
            if path.name.startswith((".", "~$")) or not path.is_file():
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            found[path.relative_to(root).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return found


def touches_data(changed: Iterable[str]) -> bool:
    """True when a change needs the data steps (config.yaml or data/raw/), not only text."""
    raw = catalog.RAW.as_posix() + "/"
    return any(p == catalog.CONFIG_FILE.as_posix() or p.startswith(raw) for p in changed)


@dataclass
class PreviewBuilder:
    """The preview's two steps; each returns "" or the message to show in the page."""

    root: Path
    update: bool = True  # run Snakemake for the data steps (tests may prepare them)
    context: dict[str, Any] | None = None
    timings: list[float] = field(default_factory=list)  # seconds of each text step
    pandoc_timings: list[float] = field(default_factory=list)  # pandoc's share of them

    @property
    def out_dir(self) -> Path:
        return self.root / catalog.PREVIEW_DIR

    def data_step(self) -> str:
        """Check config and data, bring figures and key figures up to date, read them."""
        from ktreport import ingest
        from ktreport.run.build import config_problems
        from ktreport.run.failures import explain_failure

        problems = config_problems(self.root)
        if problems:
            return "\n".join(problems)
        result = ingest.validate_raw(self.root / catalog.RAW, root=self.root)
        if not result.ok:
            errors = [p for p in result.problems if p.severity == "error"]
            return ingest.format_problems(errors)
        if self.update:
            command = snakemake.command("--cores", "2", "--rerun-incomplete")
            done = snakemake.run([*command, *map(str, DATA_TARGETS)], self.root)
            if done.returncode != 0:
                return explain_failure(done.stdout + done.stderr, self.root, PREVIEW_LOG)
        figures = self.out_dir / "figures"
        shutil.rmtree(figures, ignore_errors=True)
        shutil.copytree(self.root / catalog.FIGURES_DIR, figures)
        self.context = _context(self.root)
        return ""

    def text_step(self) -> tuple[bytes | None, str]:
        """The chapters and the page again: (the page, "") or (None, the message)."""
        from ktreport.chapters import write_chapters
        from ktreport.render import render_html

        if self.context is None:
            return None, "the data steps have not run yet"
        started = time.perf_counter()
        chapters = write_chapters(
            self.root / catalog.CHAPTER_TEMPLATES_DIR,
            self.context,
            self.out_dir / "chapters",
            shown_dir=catalog.CHAPTER_TEMPLATES_DIR.as_posix(),
        )
        page = self.out_dir / "index.html"
        log = render_html(
            chapters,
            page,
            context=self.context,
            report_dir=self.root / catalog.REPORT_DIR,
            build_dir=self.out_dir,
            renderer="pandoc",
        )
        self.timings.append(time.perf_counter() - started)
        self.pandoc_timings.extend(
            float(line.split()[2]) for line in log if line.startswith("time pandoc ")
        )
        return page.read_bytes(), ""


def _context(root: Path) -> dict[str, Any]:
    """The render context as the rule write_chapters makes it (config, build, data)."""
    import yaml

    from ktreport import chapters
    from ktreport.core import provenance

    loaded = yaml.safe_load((root / catalog.CONFIG_FILE).read_text(encoding="utf-8")) or {}
    config = {
        "report": dict(loaded.get("report", {})),
        "sample_data": bool(loaded.get("sample_data", True)),
        "renderer": "pandoc",
        "archival_pdf": bool(loaded.get("archival_pdf", False)),
        "lists": dict(loaded.get("lists") or {}),
    }
    build = provenance.build_info(root, config, raw_dir=root / catalog.RAW)
    build["renderer"] = "pandoc"
    return chapters.build_context(
        config=config,
        build=build,
        key_figures=root / catalog.KEY_FIGURES,
        figures_manifest=root / catalog.FIGURES_MANIFEST,
        aggregates_dir=root / catalog.AGGREGATES,
        processed_dir=root / catalog.PROCESSED,
    )


def _attempt(step: Callable[[], Any], root: Path) -> tuple[Any, str]:
    """A step's result, or its message: the author's error as it is, a bug in a log."""
    try:
        return step(), ""
    except KtreportError as error:
        return None, str(error)
    except Exception as error:  # a bug: the page says where the details are
        log = root / PREVIEW_LOG
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(traceback.format_exc(), encoding="utf-8")
        return None, f"internal error ({type(error).__name__}); the details are in {PREVIEW_LOG}"


def rebuild(builder: PreviewBuilder, state: PreviewState, data: bool) -> str:
    """Run the steps a change needs and publish the outcome; returns the error or ""."""
    if data or builder.context is None:
        message, error = _attempt(builder.data_step, builder.root)
        error = error or message
        if error:
            state.publish(None, error)
            return error
    outcome, error = _attempt(builder.text_step, builder.root)
    page, message = outcome if outcome else (None, error)
    state.publish(page, message)
    return message


def serve_preview(
    root: Path,
    *,
    port: int = 8765,
    update: bool = True,
    progress: Callable[[str], None] = print,
    should_stop: Callable[[], bool] = lambda: False,
    state: PreviewState | None = None,
    builder: PreviewBuilder | None = None,
) -> None:
    """Build, serve on http://127.0.0.1:PORT/ and rebuild on every change until Ctrl-C
    (or ``should_stop()``); never writes report/output/. ``state`` and ``builder`` are
    for callers that watch the preview (the benchmark)."""
    root = Path(root).resolve()
    builder = builder or PreviewBuilder(root, update=update)
    state = state or PreviewState()
    try:
        server, _ = start_server(state, port)
    except OSError as error:
        raise KtreportError(
            f"the preview cannot listen on 127.0.0.1:{port} ({error.strerror}): "
            "choose another port with --port"
        ) from None
    progress(f"Preview of the report: http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    try:
        seen = snapshot(root)
        progress("Bringing the data, key figures and figures up to date …")
        _report(rebuild(builder, state, data=True), builder, progress)
        while not should_stop():
            time.sleep(POLL)
            now = snapshot(root)
            changed = {p for p in now.keys() | seen.keys() if now.get(p) != seen.get(p)}
            if not changed:
                continue
            seen = now
            progress(
                "Changed: " + ", ".join(sorted(changed)[:3]) + (" …" if len(changed) > 3 else "")
            )
            _report(rebuild(builder, state, data=touches_data(changed)), builder, progress)
    finally:
        stop_server(state, server)


def _report(error: str, builder: PreviewBuilder, progress: Callable[[str], None]) -> None:
    if error:
        progress(f"Error (shown in the page): {error}")
    elif builder.timings:
        progress(f"Updated in {builder.timings[-1]:.2f} s.")
