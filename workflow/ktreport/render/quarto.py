"""Stage 4b, Quarto: with ``renderer: quarto`` (or ``auto`` and quarto on PATH) Quarto
renders the same ``.qmd`` chapters instead of pandoc (``ktreport.render.pandoc``).

The page is the pandoc route's: the same template and cross-reference filter (named by
``report/_quarto.yml``), the same metadata, and afterwards the same assembly
(``ktreport.render.assemble``). Quarto runs with its own pandoc (the one it pins) unless
the user sets ``QUARTO_PANDOC``; any ERROR line it prints fails the render, even when it
exits 0 (Quarto reports a failing Lua filter that way).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from ktreport.chapters.layout import TABLE_LINE
from ktreport.core.errors import RenderProblem
from ktreport.render.commands import relative_to, run_engine, timing_line, write_atomically
from ktreport.render.pandoc import document_metadata

QUARTO_PROJECT = Path("_quarto.yml")
METADATA_FILE = "ktreport-metadata.json"
OUTPUT = Path("quarto") / "index.html"
# Metadata keys Quarto reads itself: passed as ``ktreport-<key>`` and put back by
# report/quarto/metadata.lua for the template.
QUARTO_RESERVED = ("project", "variant", "date")
MAX_ERRORS_SHOWN = 3

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def quarto_document(chapters: Sequence[Path], build_dir: Path) -> str:
    """``index.qmd``: the chapters included in order (the format is in _quarto.yml)."""
    lines = ["---", "---", ""]
    for chapter in chapters:
        lines += [f"{{{{< include {relative_to(Path(chapter), build_dir)} >}}}}", ""]
    return "\n".join(lines)


def quarto_project(report_dir: Path, build_dir: Path) -> dict[str, Any]:
    """report/_quarto.yml with its paths (filters, template) made relative to the build
    folder, where Quarto runs, and the metadata file added."""
    report_dir, build_dir = Path(report_dir), Path(build_dir)
    project = yaml.safe_load((report_dir / QUARTO_PROJECT).read_text(encoding="utf-8"))

    def moved(path: str) -> str:
        return Path(os.path.relpath((report_dir / path).resolve(), build_dir.resolve())).as_posix()

    try:
        for entry in project["filters"]:
            entry["path"] = moved(entry["path"])
        html = project["format"]["html"]
        html["template"] = moved(html["template"])
        html["template-partials"] = [moved(p) for p in html.get("template-partials", [])]
    except (KeyError, TypeError) as missing:
        raise RenderProblem(
            f"report/{QUARTO_PROJECT}: no {missing} where ktreport expects the filters "
            "(each with a path) and format.html.template; restore them from the project"
        ) from None
    project["metadata-files"] = [METADATA_FILE]
    return project


def quarto_metadata(context: Mapping[str, Any]) -> dict[str, Any]:
    """The pandoc route's template values, with the keys Quarto reads renamed."""
    metadata = document_metadata(context, "interactive")
    for key in QUARTO_RESERVED:
        if key in metadata:
            metadata[f"ktreport-{key}"] = metadata.pop(key)
    return metadata


def quarto_problems(stderr: str) -> tuple[list[str], list[str]]:
    """Quarto's stderr → (its ERROR lines, its WARN lines), colours removed."""
    errors, warnings = [], []
    for raw in stderr.splitlines():
        line = _ANSI.sub("", raw).strip()
        if re.match(r"^(\[)?ERROR\b", line):
            errors.append(line)
        elif re.match(r"^(\[)?WARN(ING)?\b", line):
            warnings.append(line)
    return errors, warnings


def _error_message(errors: list[str]) -> str:
    distinct = list(dict.fromkeys(errors))
    shown = "; ".join(distinct[:MAX_ERRORS_SHOWN])
    more = len(errors) - min(len(distinct), MAX_ERRORS_SHOWN)
    return f"quarto reported an error: {shown}" + (
        f" (and {more} more ERROR lines)" if more else ""
    )


def quarto_html(
    chapters: Sequence[Path], *, context: Mapping[str, Any], report_dir: Path, build_dir: Path
) -> tuple[str, list[str]]:
    """Render with Quarto → (the page with the assembly markers, lines for the log)."""
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    project = quarto_project(report_dir, build_dir)
    write_atomically(build_dir / QUARTO_PROJECT, yaml.safe_dump(project, sort_keys=False))
    write_atomically(
        build_dir / METADATA_FILE,
        json.dumps(quarto_metadata(context), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
    )
    write_atomically(build_dir / "index.qmd", quarto_document(chapters, build_dir))
    output = build_dir / OUTPUT
    output.unlink(missing_ok=True)
    started = time.perf_counter()
    # --columns: the pipe tables' relative widths, as on the pandoc route.
    command = ["quarto", "render", "index.qmd", "--to", "html", f"--columns={TABLE_LINE}"]
    result = run_engine(command, build_dir, "quarto")
    errors, warnings = quarto_problems(result.stderr)
    if errors:
        raise RenderProblem(_error_message(errors))
    if not output.is_file():
        raise RenderProblem(f"quarto finished but wrote no {OUTPUT.as_posix()}")
    warnings.append(timing_line("quarto", time.perf_counter() - started))
    return output.read_text(encoding="utf-8"), warnings
