"""Stage 4b: chapters -> HTML (pandoc or Quarto) and PDF (WeasyPrint).

Modules: ``commands`` (running an engine), ``pandoc`` (options in
``report/pandoc/defaults/*.yaml``), ``quarto``, ``assemble`` (the self-contained page),
``html`` (the rule render_html) and ``pdf`` (the rules render_pdf, render_archival_pdf).
Importing the package loads neither WeasyPrint nor plotly: each is imported where used.
"""

from typing import Any

from ktreport.chapters.renderer import RENDERERS, choose_renderer
from ktreport.core.errors import RenderProblem
from ktreport.render import pdf
from ktreport.render.assemble import assemble, external_resources, plotly_js
from ktreport.render.commands import timing_line
from ktreport.render.html import interactive_html, print_html, render_html
from ktreport.render.pandoc import document_metadata, pandoc_html
from ktreport.render.pdf import ARCHIVAL_PDF_VARIANT, PDF_VARIANT, render_pdf
from ktreport.render.quarto import quarto_document, quarto_html

__all__ = [
    "ARCHIVAL_PDF_VARIANT",
    "PDF_VARIANT",
    "RENDERERS",
    "RenderProblem",
    "ReportFetcher",
    "assemble",
    "choose_renderer",
    "document_metadata",
    "external_resources",
    "interactive_html",
    "pandoc_html",
    "plotly_js",
    "print_html",
    "quarto_document",
    "quarto_html",
    "render_html",
    "render_pdf",
    "timing_line",
]


def __getattr__(name: str) -> Any:
    """``render.ReportFetcher`` is made on first use (it subclasses WeasyPrint's fetcher)."""
    if name == "ReportFetcher":
        return pdf.ReportFetcher
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
