"""Stage 4b, pandoc: the ``.qmd`` chapters -> the report's HTML (before its stylesheets,
figures and scripts are put inside, ``ktreport.render.assemble``).

pandoc is the binary of the pypandoc-binary wheel, run by subprocess in its ``--sandbox``.
Its options are pandoc defaults files, ``report/pandoc/defaults/*.yaml`` (read with
``--defaults``); only what is known at run time is on the command line.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ktreport.catalog import CHAPTER_SUFFIX
from ktreport.chapters.frontmatter import front_matter
from ktreport.chapters.layout import TABLE_LINE
from ktreport.chapters.markdown import escape
from ktreport.core import provenance
from ktreport.core.errors import RenderProblem
from ktreport.render.commands import relative_to, run_engine, timing_line, write_atomically

# The defaults files, in the order given (later ones override earlier ones), relative to
# the report folder.
DEFAULTS = (Path("pandoc") / "defaults" / "common.yaml", Path("pandoc") / "defaults" / "html.yaml")


def document_metadata(context: Mapping[str, Any], variant: str) -> dict[str, Any]:
    """The template's variables from the render context's config and build information.

    Values are Markdown-escaped: pandoc reads metadata as Markdown, and a partner or
    project name must show exactly as written.
    """
    config = context.get("config", {})
    report = config.get("report", {})
    build = context.get("build", {})
    title = report.get("title", "Knowledge Transfer Skills Investigation Report")
    meta: dict[str, Any] = {
        "title": title,
        "pagetitle": title,
        "subtitle": report.get("subtitle", ""),
        "subject": report.get("subtitle") or title,
        "project": report.get("project", ""),
        "deliverable": report.get("deliverable", ""),
        "work-package": report.get("work_package", ""),
        "author": list(report.get("authors", [])),
        "consortium": list(report.get("consortium", [])),
        "keywords": list(report.get("keywords", [])),
        "lang": report.get("language", "en-GB"),
        "version": build.get("version", report.get("version", "")),
        "date": build.get("date", ""),
        "date-long": build.get("date_long", build.get("date", "")),
        "created": build.get("datetime", ""),
        "fingerprint": build.get("data_fingerprint", ""),
        "pandoc-version": build.get("tools", {}).get("pandoc") or "",
        "variant": variant,
    }
    escaped = {
        key: [escape(v) for v in value] if isinstance(value, list) else escape(value)
        for key, value in meta.items()
    }
    escaped["sample-data"] = bool(config.get("sample_data", False))
    # A country or partner brief (ktreport.chapters.briefs): its own imprint wording.
    escaped["brief"] = bool(context.get("brief", False))
    # The cover, imprint and footer (funding, people, history, draft): chapters.frontmatter.
    escaped.update(_escape_all(front_matter(config, build)))
    return escaped


def _escape_all(value: Any) -> Any:
    """Every string inside ``value`` Markdown-escaped (booleans stay template conditions)."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, Mapping):
        return {key: _escape_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escape_all(item) for item in value]
    return value


def pandoc_html(
    chapters: Sequence[Path],
    *,
    context: Mapping[str, Any],
    report_dir: Path,
    build_dir: Path,
    variant: str,
) -> tuple[str, list[str]]:
    """Run pandoc over the chapters (in order) → (HTML with markers, pandoc's warnings)."""
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    metadata_file = build_dir / f"pandoc-metadata-{variant}.json"
    write_atomically(
        metadata_file,
        json.dumps(document_metadata(context, variant), indent=1, sort_keys=True) + "\n",
    )
    # Chapters are given relative to the build directory: no machine path in messages.
    inputs = [relative_to(Path(c), build_dir) for c in chapters]
    command = [
        provenance.pandoc_path(),
        "--sandbox",  # readers and writers touch only the files named here
        *(f"--defaults={(Path(report_dir) / defaults).resolve()}" for defaults in DEFAULTS),
        f"--metadata-file={metadata_file.resolve()}",
        # A pipe table wider than a line gets the relative widths of its dash counts,
        # which the chapters compute from the content (chapters.layout.TABLE_LINE).
        f"--columns={TABLE_LINE}",
        *inputs,
    ]
    started = time.perf_counter()
    result = run_engine(command, build_dir, "pandoc")
    _check_math(result.stderr, chapters)
    warnings = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    return result.stdout, [*warnings, timing_line("pandoc", time.perf_counter() - started)]


_UNTYPESET_MATH = re.compile(
    r"\[WARNING\] Could not convert TeX math (.*?), rendering as TeX", re.DOTALL
)


def _check_math(stderr: str, chapters: Sequence[Path]) -> None:
    """Formulas pandoc cannot typeset without LaTeX would show as raw TeX to the reader:
    stop, naming the chapter and the formula, and say what works."""
    for formula in _UNTYPESET_MATH.findall(stderr):
        where = next(
            (
                f"report/chapters/{Path(c).stem}{CHAPTER_SUFFIX}"
                for c in chapters
                if formula in Path(c).read_text(encoding="utf-8")
            ),
            "a chapter",
        )
        raise RenderProblem(
            f"{where}: the formula ${formula}$ cannot be typeset without LaTeX, so "
            "readers would see raw TeX. Write it with letters, sub- and superscripts, \\bar, "
            "\\times and Greek letters only, e.g. $\\mathrm{MWDS} = \\bar{D} \\times "
            "\\bar{I}$, and say the rest in words."
        )
