"""Stage 3, figures: the data table of a figure, the chart's values for readers who cannot
see the chart or reach its points by hover (keyboard, screen reader).

Written from the plotly figure itself, so it always shows what the chart draws:
- a heatmap: one row per row of the grid, one column per column, the cell labels;
- bars and dots along a category axis (skills, countries, durations): one row per category,
  one column per series (a stacked or grouped chart) in the chart's order;
- dots on two value axes (a scatter): one row per point, its label, series and both values.

Traces that only draw a legend entry or a connecting line (``hoverinfo="skip"``) are left
out. Values are formatted as their axis shows them (a percentage axis in the report's
``style.pct``). The table is plain data: {"caption", "columns", "rows"}; the first cell of
every row is the row's header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from ktreport.core import style

_TAG = re.compile(r"<[^>]+>")
CATEGORY = "Category"  # the header of the row labels when the axis has no title


def plain(label: Any) -> str:
    """A plotly label as text: line breaks (``<br>``) as spaces, no markup."""
    return " ".join(_TAG.sub(" ", str(label)).split())


def _axis_format(figure: go.Figure, axis: str) -> str:
    layout_axis = figure.layout[f"{axis}axis"]
    return str(layout_axis.tickformat or "")


def _axis_title(figure: go.Figure, axis: str) -> str:
    title = figure.layout[f"{axis}axis"].title
    return plain(title.text) if title and title.text else axis


def _value(value: Any, tickformat: str) -> str:
    if value is None or style.is_missing(value):
        return style.MISSING
    if tickformat.endswith("%"):
        return style.pct(value)
    if isinstance(value, float) and not value.is_integer():
        return style.number(value, 2)
    return style.number(value)


def _shown(trace: Any) -> bool:
    if trace.hoverinfo == "skip":
        return False
    values = [v for v in (trace.x or ()) if v is not None]
    return bool(values) or getattr(trace, "z", None) is not None


def _heatmap(trace: Any) -> tuple[list[str], list[list[str]]]:
    columns = [CATEGORY] + [plain(x) for x in trace.x]
    text = trace.text
    rows = []
    for i, label in enumerate(trace.y):
        cells = [
            str(text[i][j]) if text is not None else _value(z, "") for j, z in enumerate(trace.z[i])
        ]
        rows.append([plain(label), *cells])
    return columns, rows


def _categorical(values: Sequence[Any] | None) -> bool:
    return bool(values) and all(isinstance(v, str) for v in values if v is not None)


def _series_name(trace: Any, figure: go.Figure, value_axis: str) -> str:
    return plain(trace.name) if trace.name else _axis_title(figure, value_axis)


def _by_category(figure: go.Figure, traces: Sequence[Any]) -> tuple[list[str], list[list[str]]]:
    category_axis = "y" if _categorical(traces[0].y) else "x"
    value_axis = "x" if category_axis == "y" else "y"
    tickformat = _axis_format(figure, value_axis)
    categories: list[str] = []
    values: dict[tuple[int, str], str] = {}
    for index, trace in enumerate(traces):
        labels = trace[category_axis]
        for label, value in zip(labels, trace[value_axis], strict=True):
            if label is None:
                continue
            label = plain(label)
            if label not in categories:
                categories.append(label)
            values[index, label] = _value(value, tickformat)
    title = _axis_title(figure, category_axis)
    columns = [title if title != category_axis else CATEGORY]
    columns += [_series_name(trace, figure, value_axis) for trace in traces]
    rows = [
        [label, *(values.get((i, label), style.MISSING) for i in range(len(traces)))]
        for label in categories
    ]
    return columns, rows


def _point_label(trace: Any, index: int) -> str:
    for source in (trace.customdata, trace.text, trace.hovertext):
        if source is None or isinstance(source, str):
            continue
        item = source[index]
        item = item[0] if isinstance(item, (list, tuple)) else item
        if isinstance(item, str):
            return plain(item)
    return str(index + 1)


def _points(figure: go.Figure, traces: Sequence[Any]) -> tuple[list[str], list[list[str]]]:
    x_format, y_format = _axis_format(figure, "x"), _axis_format(figure, "y")
    columns = ["Label", "Series", _axis_title(figure, "x"), _axis_title(figure, "y")]
    rows = []
    for trace in traces:
        for index, (x, y) in enumerate(zip(trace.x, trace.y, strict=True)):
            rows.append(
                [
                    _point_label(trace, index),
                    plain(trace.name or ""),
                    _value(x, x_format),
                    _value(y, y_format),
                ]
            )
    return columns, rows


def data_table(figure: go.Figure, title: str) -> dict[str, Any]:
    """The figure's values as a table: {"caption", "columns", "rows"} (empty rows when the
    figure has nothing to tabulate)."""
    traces = [trace for trace in figure.data if _shown(trace)]
    caption = f"Data of the chart: {plain(title).rstrip('.')}" if title else "Data of the chart"
    if not traces:
        return {"caption": caption, "columns": [], "rows": []}
    if traces[0].type == "heatmap":
        columns, rows = _heatmap(traces[0])
    elif _categorical(traces[0].y) or _categorical(traces[0].x):
        columns, rows = _by_category(figure, traces)
    else:
        columns, rows = _points(figure, traces)
    return {"caption": caption, "columns": columns, "rows": rows}
