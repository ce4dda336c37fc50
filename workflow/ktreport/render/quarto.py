"""Stage 4b, Quarto: with ``renderer: quarto`` (or ``auto`` and quarto on PATH) Quarto
renders the same ``.qmd`` chapters instead of pandoc (``ktreport.render.pandoc``).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ktreport.core.errors import RenderProblem
from ktreport.render.commands import relative_to, run_engine, timing_line

QUARTO_PROJECT = Path("_quarto.yml")


def quarto_document(chapters: Sequence[Path], build_dir: Path) -> str:
    """``index.qmd``: the chapters included in order (the front matter is in _quarto.yml)."""
    lines = ["---", "format: html", "---", ""]
    for chapter in chapters:
        lines += [f"{{{{< include {relative_to(Path(chapter), build_dir)} >}}}}", ""]
    return "\n".join(lines)


def quarto_html(
    chapters: Sequence[Path], *, context: Mapping[str, Any], report_dir: Path, build_dir: Path
) -> tuple[str, list[str]]:
    """Render with Quarto: ``report/_quarto.yml`` + the title metadata → one HTML file.

    Quarto numbers and cross-references natively and embeds resources itself; the figures
    are the static SVGs (plotly figures are interactive only on the pandoc path).
    """
    build_dir = Path(build_dir)
    shutil.copyfile(Path(report_dir) / QUARTO_PROJECT, build_dir / "_quarto.yml")
    report = context.get("config", {}).get("report", {})
    build = context.get("build", {})
    # Quarto reads these as YAML values (JSON is YAML), not through the Markdown escaping.
    front: dict[str, Any] = {
        "title": report.get("title", ""),
        "subtitle": report.get("subtitle", ""),
        "author": list(report.get("authors", [])),
        "date": build.get("date", ""),
        "lang": report.get("language", "en-GB"),
        "keywords": list(report.get("keywords", [])),
        "version": build.get("version", ""),
    }
    if context.get("config", {}).get("sample_data"):
        notice = build_dir / "sample-notice.html"
        notice.write_text(
            '<p class="sample-banner" role="note"><strong>Sample data.</strong> Built from the '
            "project's sample data: every number, table and figure illustrates the method and "
            "is not a result of the study.</p>\n",
            encoding="utf-8",
        )
        front["include-before-body"] = [notice.name]
    (build_dir / "_metadata.yml").write_text(
        json.dumps(front, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (build_dir / "index.qmd").write_text(quarto_document(chapters, build_dir), encoding="utf-8")
    started = time.perf_counter()
    result = run_engine(["quarto", "render", "index.qmd", "--to", "html"], build_dir, "quarto")
    output = build_dir / "quarto" / "index.html"
    if not output.is_file():
        raise RenderProblem(f"quarto finished but wrote no {output.relative_to(build_dir)}")
    warnings = [line.strip() for line in result.stderr.splitlines() if "WARN" in line]
    warnings.append(timing_line("quarto", time.perf_counter() - started))
    return output.read_text(encoding="utf-8"), warnings
