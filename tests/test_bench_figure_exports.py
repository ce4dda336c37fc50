"""The bench's figure line reads what the figure rules log (``figures.cache.Exported``)."""

from __future__ import annotations

from ktreport.catalog import LOGS
from ktreport.figures.cache import Exported
from ktreport.tools.bench_figures import figure_export_line, figure_exports, forget_figure_logs


def write_logs(project, svg: Exported, png: Exported | None) -> None:
    (project / LOGS).mkdir(parents=True, exist_ok=True)
    (project / LOGS / "make_figures.log").write_text(svg.summary("SVG figures") + "manifest x\n")
    if png is not None:
        (project / LOGS / "export_png_figures.log").write_text(png.summary("PNG figures"))


def test_the_bench_counts_figures_drawn_cold_and_after_a_partner_change(tmp_path):
    ids = tuple(f"fig-{i}" for i in range(10))
    write_logs(tmp_path, Exported(ids, (), 12.5), Exported(ids, (), 14.25))
    cold = figure_exports(tmp_path)
    assert cold == {"svg": [10, 10, 12.5], "png": [10, 10, 14.25]}

    forget_figure_logs(tmp_path)
    # The partner change reached two figures; the PNG rule did not run (no log).
    write_logs(tmp_path, Exported(ids[:2], ids[2:], 3.0), None)
    line = figure_export_line(cold, figure_exports(tmp_path))
    assert line["figures_drawn"] == 2 and line["seconds"] == 3.0
    assert line["figures_drawn_cold"] == 20 and line["kaleido_seconds_cold"] == 26.75
    assert line["by_format"]["partner_change"]["png"] == [0, 0, 0.0]
