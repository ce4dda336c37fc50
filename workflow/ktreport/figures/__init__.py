"""Stage 3: aggregates -> plotly figures (SVG for print, JSON for the HTML).

``make_figures`` is the rule's entry point (``workflow/scripts/make_figures.py``); the
modules: ``theme`` (palette, template), ``spec`` (``FigureSpec`` and shared pieces), one
module per figure or related pair (``sample``, ``offer``, ``dimensions``, ``heatmap``,
``formats``, ``gaps``, ``supply_demand`` with ``labels``, ``borich``), ``export`` (SVG, JSON,
manifest) and ``make`` (all figures, in the report's order).
"""

from ktreport.figures.export import export_figures, write_manifest
from ktreport.figures.make import build_figures, make_figures
from ktreport.figures.spec import FigureSpec

__all__ = ["FigureSpec", "build_figures", "export_figures", "make_figures", "write_manifest"]
