"""Review aid, after the pipeline: the figures of two versions, drawing and data.

A figure changed when its data (``<id>.json``, compared by content) or its drawing
(``<id>.svg``, compared by bytes) changed; both drawings are kept to be shown side by side.
"""

from __future__ import annotations

from typing import Any

from ktreport.review.changes import FigureChange, Status


def compare_figures(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> list[FigureChange]:
    """Every figure; a figure changed when its data or its drawing (SVG bytes) changed."""
    changes = []
    for figure_id in sorted(set(old) | set(new)):
        before, after = old.get(figure_id), new.get(figure_id)
        title = str((after or before or {}).get("title", ""))
        if before is None or after is None:
            status: Status = "added" if before is None else "removed"
            data_changed = drawing_changed = True
        else:
            data_changed = before["data"] != after["data"]
            drawing_changed = before["svg"] != after["svg"]
            status = "changed" if data_changed or drawing_changed else "unchanged"
        changes.append(
            FigureChange(
                figure_id=figure_id,
                title=title,
                status=status,
                data_changed=data_changed,
                drawing_changed=drawing_changed,
                old_svg=None if before is None else before["svg"],
                new_svg=None if after is None else after["svg"],
            )
        )
    return changes
