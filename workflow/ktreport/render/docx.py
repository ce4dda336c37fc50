"""Stage 4b, the review copy in Word (the rules export_png_figures and render_docx).

The chapters as the HTML has them, each prose block with a bookmark before its text,
``src_<chapter>_<line>`` (its template line, ``ktreport.chapters.sources``), then pandoc
with the house styles of ``report/pandoc/reference.docx`` (defaults file ``docx.yaml``:
crossref.lua numbers figures and tables, review-docx.lua puts the PNG figures in, a
bookmark around every key figure and the notice first). Bookmarks are what Word and
LibreOffice keep when they save a file again, and what ``ktreport comments`` reads back.

Same inputs, same bytes: pandoc dates the zip with ``SOURCE_DATE_EPOCH`` (the build date).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ktreport.catalog import CHAPTER_SUFFIX
from ktreport.chapters.sources import anchor_line, chapter_key, read_source_lines
from ktreport.core import provenance
from ktreport.figures.cache import Exported, Image, export_images
from ktreport.render.commands import run_engine, timing_line, write_atomically
from ktreport.render.pandoc import document_metadata

DOCX_DEFAULTS = (
    Path("pandoc") / "defaults" / "common.yaml",
    Path("pandoc") / "defaults" / "docx.yaml",
)


def source_bookmark(template_name: str, line: int, repeat: int = 1) -> str:
    """The bookmark of a block: ``src_04_skills_42`` for line 42 of 04-skills.md.j2;
    ``src_04_skills_42_r2`` for the second block from that line (a loop's), since a
    bookmark name is unique in a document (LibreOffice renames a second one)."""
    suffix = f"_r{repeat}" if repeat > 1 else ""
    return f"src_{chapter_key(template_name)}_{line}{suffix}"


def export_png_figures(
    json_paths: Sequence[Path], out_dir: Path, cache_dir: Path | None = None
) -> Exported:
    """One PNG per plotly figure JSON (twice the SVG's size), in one kaleido session for
    those whose figure changed (the figure cache ``cache_dir``, ``figures.cache``)."""
    import plotly.io as pio

    out_dir = Path(out_dir)
    images = [
        Image(
            Path(p).stem,
            pio.from_json(Path(p).read_text(encoding="utf-8")),
            out_dir / f"{Path(p).stem}.png",
        )
        for p in json_paths
    ]
    with contextlib.ExitStack() as stack:
        if cache_dir is None:
            cache_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        return export_images(images, "png", cache_dir, scale=2)


def anchored_chapters(chapters: Sequence[Path], out_dir: Path) -> list[Path]:
    """Copies of the chapters in ``out_dir`` with a source bookmark before every prose
    block (the template lines of ``source_lines.json`` beside the chapters)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for chapter in chapters:
        chapter = Path(chapter)
        template = chapter.name.removesuffix(".qmd") + CHAPTER_SUFFIX
        blocks = read_source_lines(chapter.parent).get(template, {})
        lines = chapter.read_text(encoding="utf-8").split("\n")
        repeats: dict[int, int] = {}
        for output_line, template_line in sorted(blocks.items()):
            repeats[template_line] = repeats.get(template_line, 0) + 1
            name = source_bookmark(template, template_line, repeats[template_line])
            anchor = f"[]{{#{name}}}"
            lines[output_line - 1] = anchor_line(lines[output_line - 1], anchor)
        target = out_dir / chapter.name
        write_atomically(target, "\n".join(lines))
        written.append(target)
    return written


def _epoch(context: Mapping[str, Any]) -> str:
    """The build date (the commit's, ``core.provenance``) as pandoc's SOURCE_DATE_EPOCH."""
    epoch = context.get("build", {}).get("source_date_epoch")
    return str(epoch) if isinstance(epoch, int) else os.environ.get("SOURCE_DATE_EPOCH", "0")


def render_docx(
    chapters: Sequence[Path],
    out: Path,
    *,
    context: Mapping[str, Any],
    report_dir: Path,
    docx_dir: Path,
) -> list[str]:
    """Write the Word review copy ``out``; ``docx_dir`` holds the anchored chapters and
    ``figures/*.png``. Returns lines for the log (pandoc's warnings, its run time)."""
    docx_dir = Path(docx_dir)
    anchored = anchored_chapters(chapters, docx_dir)
    metadata_file = docx_dir / "pandoc-metadata-docx.json"
    write_atomically(
        metadata_file,
        json.dumps(document_metadata(context, "docx"), indent=1, sort_keys=True) + "\n",
    )
    temporary = docx_dir / f".{Path(out).name}.tmp"
    command = [
        provenance.pandoc_path(),
        "--sandbox",
        *(f"--defaults={(Path(report_dir) / d).resolve()}" for d in DOCX_DEFAULTS),
        f"--metadata-file={metadata_file.resolve()}",
        f"--output={temporary.name}",
        *(p.name for p in anchored),
    ]
    started = time.perf_counter()
    result = run_engine(
        command, docx_dir, "pandoc (review copy)", env={"SOURCE_DATE_EPOCH": _epoch(context)}
    )
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    shutil.move(temporary, out)
    warnings = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    return [*warnings, timing_line("pandoc-docx", time.perf_counter() - started)]
