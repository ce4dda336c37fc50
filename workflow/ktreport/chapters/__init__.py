"""Stage 4a: chapter templates + key figures -> Markdown chapters (jinja2).

Modules, from the bottom up: ``markdown`` (escaping, missing values), ``keyfigures``,
``filters``, ``layout`` (table widths), ``blocks`` (figure, table, build information),
``environment`` (the jinja2 environment), ``context`` (the render context), ``renderer``
(pandoc or Quarto) and ``write`` (the rule's entry point).

The names below are loaded on first use: the render stage imports some of these modules
(``renderer``, ``layout``, ``markdown``), and importing the package must not load pandas
(``context``) into every render job (0.45 s of each job's start-up).
"""

from importlib import import_module
from typing import Any

# Each name, with the module that defines it.
_NAMES = {
    "build_context": "context",
    "dump_context": "context",
    "KeyFigure": "keyfigures",
    "load_key_figures": "keyfigures",
    "RENDERERS": "renderer",
    "RenderProblem": "renderer",
    "choose_renderer": "renderer",
    "TemplateProblem": "write",
    "check_cross_references": "write",
    "write_chapters": "write",
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        return getattr(import_module(f"ktreport.chapters.{_NAMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
