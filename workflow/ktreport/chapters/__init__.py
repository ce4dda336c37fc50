"""Stage 4a: chapter templates + key figures -> Markdown chapters (jinja2).

Modules, from the bottom up: ``markdown`` (escaping, missing values), ``keyfigures``,
``filters``, ``layout`` (table widths), ``blocks`` (figure, table, build information),
``environment`` (the jinja2 environment), ``context`` (the render context), ``renderer``
(pandoc or Quarto) and ``write`` (the rule's entry point).
"""

from ktreport.chapters.context import build_context, dump_context
from ktreport.chapters.keyfigures import KeyFigure, load_key_figures
from ktreport.chapters.renderer import RENDERERS, RenderProblem, choose_renderer
from ktreport.chapters.write import TemplateProblem, check_cross_references, write_chapters

__all__ = [
    "RENDERERS",
    "KeyFigure",
    "RenderProblem",
    "TemplateProblem",
    "build_context",
    "check_cross_references",
    "choose_renderer",
    "dump_context",
    "load_key_figures",
    "write_chapters",
]
