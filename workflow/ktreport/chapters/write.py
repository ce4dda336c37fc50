"""Stage 4a, writing the chapters (the rule write_chapters): every template rendered in
the one environment, cross-references checked, one ``.qmd`` per chapter; an error names
the template and its line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from ktreport.catalog import CHAPTER_SUFFIX, chapter_output_name, chapter_templates
from ktreport.chapters.blocks import BUILD_PARTNERS, build_information
from ktreport.chapters.environment import environment
from ktreport.chapters.keyfigures import NamedMapping
from ktreport.chapters.notes import open_notes
from ktreport.chapters.sources import SourceLines, unmark, write_source_lines
from ktreport.core.errors import KtreportError


class TemplateProblem(KtreportError):
    """A chapter template cannot be rendered; the message names the file and line."""


def _template_line(exc: BaseException, filename: str) -> int | None:
    """The template line of an error raised while rendering (jinja rewrites the traceback
    so that template frames carry the template's file name and line)."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).name == Path(filename).name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _problem(template: Path, exc: BaseException, shown_as: str) -> TemplateProblem:
    line = _template_line(exc, str(template))
    where = f"{shown_as}:{line}" if line else shown_as
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return TemplateProblem(f"{where}: {message}")


def render_chapter(
    env: jinja2.Environment, template: Path, context: Mapping[str, Any], shown_as: str
) -> str:
    """One chapter's Markdown; any error becomes a ``TemplateProblem`` naming file and line."""
    try:
        return env.get_template(template.name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"{shown_as}:{exc.lineno}: {exc.message}") from None
    except TemplateProblem:
        raise
    except Exception as exc:  # any error inside a template is the author's to fix
        raise _problem(template, exc, shown_as) from None


_LABEL_DEFINITION = re.compile(r"\{#((?:fig|tbl|sec)-[A-Za-z0-9_.:-]+)")
_LABEL_REFERENCE = re.compile(r"(?<![\w\\])-?@((?:fig|tbl|sec)-[A-Za-z0-9_-]*[A-Za-z0-9_])")
_HEADING_ID = re.compile(r"^#{1,6} .*\{[^}]*#(sec-[A-Za-z0-9_-]+)", re.MULTILINE)


def check_cross_references(
    chapters: Mapping[str, str], sources: Mapping[str, str] | None = None
) -> list[str]:
    """Every ``@fig-x``/``@tbl-x``/``@sec-x`` must name a label defined in some chapter.

    ``chapters`` maps a chapter's name to its rendered Markdown, ``sources`` (optional) to
    its template text, used to point at the template line. One message per unresolved
    reference (``file:line: …``).
    """
    defined = set()
    for text in chapters.values():
        defined.update(_LABEL_DEFINITION.findall(text))
        defined.update(_HEADING_ID.findall(text))
    messages = []
    for name, text in chapters.items():
        source_lines = (sources or {}).get(name, "").splitlines()
        for rendered_number, line in enumerate(text.splitlines(), start=1):
            for label in _LABEL_REFERENCE.findall(line):
                if label in defined:
                    continue
                number = next(
                    (i for i, s in enumerate(source_lines, start=1) if f"@{label}" in s),
                    None,
                )
                where = f"{name}:{number}" if number else f"{name} (output line {rendered_number})"
                kind = {"fig": "figure", "tbl": "table", "sec": "section"}[label[:3]]
                close = difflib.get_close_matches(label, sorted(defined), n=1)
                hint = f" (did you mean @{close[0]}?)" if close else ""
                messages.append(f"{where}: @{label} refers to no {kind} of the report{hint}")
    return messages


def write_chapters(
    chapters_dir: Path,
    context: Mapping[str, Any],
    out_dir: Path,
    *,
    shown_dir: str | None = None,
) -> list[Path]:
    """Render every ``*.md.j2`` of ``chapters_dir`` (in name order) to ``out_dir/*.qmd``.

    ``shown_dir`` is how messages name the chapters directory (default: as given).
    Raises ``TemplateProblem`` on the first template error or on unresolved references.
    """
    chapters_dir = Path(chapters_dir)
    shown_dir = shown_dir if shown_dir is not None else str(chapters_dir)
    templates = chapter_templates(chapters_dir)
    if not templates:
        raise TemplateProblem(f"{shown_dir}: no chapter templates (*{CHAPTER_SUFFIX}) found")
    if context.get("config", {}).get("release"):
        notes = open_notes(chapters_dir, shown_dir)
        if notes:  # ktreport build --release says so first; this holds for snakemake too
            raise TemplateProblem("a release shows no authors' note; open:\n" + "\n".join(notes))
    threshold = context.get("kf", {}).get("min_cell")
    env = environment(
        chapters_dir,
        skills=context.get("skills"),
        figures=context.get("figures"),
        min_cell=int(threshold.value) if threshold is not None else 1,
    )
    env.add_extension(SourceLines)  # each block's template line, for the review copy
    full_context = dict(context)
    full_context["kf"] = NamedMapping("kf", context.get("kf", {}))
    full_context["tables"] = NamedMapping("tables", context.get("tables", {}), "table")
    full_context["data"] = NamedMapping("data", context.get("data", {}), "table")
    lists = context.get("config", {}).get("lists", {})
    full_context["build_information"] = lambda: build_information(
        context.get("build", {}), lists.get("build_partners", BUILD_PARTNERS)
    )
    rendered: dict[str, str] = {}
    source_lines: dict[str, list[tuple[int, int]]] = {}
    for template in templates:
        shown_as = f"{shown_dir}/{template.name}"
        text, source_lines[template.name] = unmark(
            render_chapter(env, template, full_context, shown_as)
        )
        rendered[shown_as] = text
    sources = {f"{shown_dir}/{t.name}": t.read_text(encoding="utf-8") for t in templates}
    unresolved = check_cross_references(rendered, sources)
    if unresolved:
        raise TemplateProblem("\n".join(unresolved))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for template, text in zip(templates, rendered.values(), strict=True):
        path = out_dir / chapter_output_name(template)
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        written.append(path)
    write_source_lines(source_lines, out_dir)
    return written
