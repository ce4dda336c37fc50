"""The interactive charts of the HTML: a toolbar that sends nothing anywhere, the chart's
values as a data table (written from the figure itself), one accessible name per chart."""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go

from conftest import ROOT
from ktreport.figures.datatable import data_table
from ktreport.render.charts import PLOTLY_CONFIG, SCRIPT, chart_html, data_table_html

NBSP = "\u00a0"


# --------------------------------------------------------------------------- the toolbar
def test_plotly_toolbar_is_off_and_nothing_can_be_sent_to_plotly_cloud():
    assert PLOTLY_CONFIG["displayModeBar"] is False
    assert PLOTLY_CONFIG["displaylogo"] is False  # no link to plotly.com
    assert PLOTLY_CONFIG["showSendToCloud"] is False
    assert PLOTLY_CONFIG["showEditInChartStudio"] is False
    assert PLOTLY_CONFIG["showLink"] is False
    assert PLOTLY_CONFIG["plotlyServerURL"] == ""
    removed = set(PLOTLY_CONFIG["modeBarButtonsToRemove"])
    assert {"sendDataToCloud", "editInChartStudio"} <= removed
    assert "toImage" not in removed  # download stays (the report's own toolbar too)
    assert PLOTLY_CONFIG["responsive"] is True


def test_the_reports_toolbar_offers_png_svg_and_reset_only():
    script = (ROOT / "report" / SCRIPT).read_text(encoding="utf-8")
    labels = re.findall(r'\["([^"]+)", function \(\) \{', script)
    assert labels == ["Download PNG", "Download SVG", "Reset view"]
    assert "Plotly.downloadImage" in script
    assert not re.search(r"https?://|XMLHttpRequest|fetch\(|sendBeacon|plot\.ly", script)
    assert 'setAttribute("role", "toolbar")' in script  # one Tab stop, arrow keys inside


# --------------------------------------------------------------------------- the markup
def test_a_chart_is_an_image_with_its_alt_text_and_a_data_table(tmp_path):
    figure = go.Figure(go.Bar(x=["Europe", "Asia"], y=[18, 4], name="Programmes"))
    json_path = tmp_path / "fig-regions.json"
    json_path.write_text(figure.to_json(), encoding="utf-8")
    entry = {
        "title": "Programmes by region.",
        "width": 760,
        "height": 440,
        "data_table": data_table(figure, "Programmes by region."),
    }
    html = chart_html(
        image="<img/>", alt="Bar chart: 18 of 22 in Europe.", json_path=json_path, entry=entry
    )
    assert (
        '<div class="plotly-figure" id="fig-regions-plot" role="img" '
        'aria-label="Bar chart: 18 of 22 in Europe."></div>' in html
    )
    assert "tabindex" not in html.split("<noscript>")[0]  # nothing focusable in the image
    figure_data = re.search(r'data-label="[^"]*">(.*?)</script>', html, re.S).group(1)
    assert json.loads(figure_data)["download"] == {
        "filename": "fig-regions",
        "width": 760,
        "height": 440,
    }
    assert '<details class="chart-data"><summary>Data table</summary>' in html
    assert '<th scope="row">Europe</th><td>18</td>' in html


def test_a_data_table_has_column_and_row_headers_and_escapes_text():
    table = {"caption": "Data", "columns": ["Category", "A<b>"], "rows": [["x & y", "1"]]}
    html = data_table_html(table)
    assert '<th scope="col">Category</th><th scope="col">A&lt;b&gt;</th>' in html
    assert '<tr><th scope="row">x &amp; y</th><td>1</td></tr>' in html
    assert 'role="region" aria-label="Data" tabindex="0"' in html  # a focusable scroll frame
    assert data_table_html({"columns": [], "rows": []}) == ""


# --------------------------------------------------------------------------- the values
def test_stacked_bars_give_one_row_per_category_and_one_column_per_series():
    figure = go.Figure()
    figure.add_bar(y=["Europe", "Asia"], x=[3, 1], orientation="h", name="University")
    figure.add_bar(y=["Europe", "Asia"], x=[6, 0], orientation="h", name="KT association")
    figure.add_scatter(x=[None], y=[None], name="legend only", hoverinfo="skip")
    table = data_table(figure, "Case studies by region.")
    assert table["caption"] == "Data of the chart: Case studies by region"
    assert table["columns"] == ["Category", "University", "KT association"]
    assert table["rows"] == [["Europe", "3", "6"], ["Asia", "1", "0"]]


def test_a_percentage_axis_gives_percentages_and_labels_lose_their_line_breaks():
    figure = go.Figure(go.Bar(x=["up to<br>1 day", "2–5 days"], y=[0.25, 0.6667], name="Online"))
    figure.update_layout(yaxis_tickformat=".0%", xaxis_title_text="Duration")
    table = data_table(figure, "Durations")
    assert table["columns"] == ["Duration", "Online"]
    assert table["rows"] == [["up to 1 day", f"25{NBSP}%"], ["2–5 days", f"67{NBSP}%"]]


def test_a_heatmap_gives_its_grid_with_the_cell_labels():
    figure = go.Figure(
        go.Heatmap(
            z=[[0.5, 0.25]],
            x=["All<br>(n = 60)", "Experts"],
            y=["Negotiation"],
            text=[["50 %", "25 %"]],
        )
    )
    table = data_table(figure, "Skills by group")
    assert table["columns"] == ["Category", "All (n = 60)", "Experts"]
    assert table["rows"] == [["Negotiation", "50 %", "25 %"]]


def test_a_scatter_gives_one_row_per_point_named_by_its_label():
    figure = go.Figure(
        go.Scatter(
            x=[0.1, 0.6],
            y=[0.5, 0.2],
            mode="markers",
            name="Soft skill",
            customdata=[["Negotiation", 3], ["Communication", 18]],
        )
    )
    figure.update_layout(
        xaxis_tickformat=".0%",
        yaxis_tickformat=".0%",
        xaxis_title_text="Offered",
        yaxis_title_text="Needed",
    )
    table = data_table(figure, "Supply and demand")
    assert table["columns"] == ["Label", "Series", "Offered", "Needed"]
    assert table["rows"] == [
        ["Negotiation", "Soft skill", f"10{NBSP}%", f"50{NBSP}%"],
        ["Communication", "Soft skill", f"60{NBSP}%", f"20{NBSP}%"],
    ]
