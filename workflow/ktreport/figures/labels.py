"""Stage 3, figures: where the supply-demand quadrant's point labels go (no overlaps).

The quadrant's geometry in pixels and a greedy placement: each label takes the nearest
offset from its point that keeps it inside the plot and clear of the other labels, the
other points and the corner notes (``figures.supply_demand`` draws them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ktreport.figures.spec import wrap
from ktreport.figures.theme import WIDTH

if TYPE_CHECKING:  # frames come in from the caller; no pandas import needed here
    import pandas as pd

# The quadrant: plot on the left, the key of the numbered training-gap skills on the right.
QUADRANT_HEIGHT = 560
QUADRANT_MARGIN = {"l": 70, "r": 10, "t": 40, "b": 60}
QUADRANT_DOMAIN = 0.63  # share of the width taken by the plot
# Plot area in pixels and the size of a 10-px label (DejaVu Sans), used to keep labels from
# overlapping each other, the points and the corner notes.
PLOT_W = (WIDTH - QUADRANT_MARGIN["l"] - QUADRANT_MARGIN["r"]) * QUADRANT_DOMAIN
PLOT_H = QUADRANT_HEIGHT - QUADRANT_MARGIN["t"] - QUADRANT_MARGIN["b"]
CHAR_W, LINE_H = 6.2, 13.0
LABEL_WRAP = 24  # characters per line of a named point
CORNERS = (  # x0, x1, y0, y1 in plot pixels, origin bottom left
    (0.0, 175.0, PLOT_H - 36.0, PLOT_H),  # "Training gap" (top left)
    (PLOT_W - 80.0, PLOT_W, PLOT_H - 16.0, PLOT_H),  # "Well served"
    (PLOT_W - 70.0, PLOT_W, 0.0, 16.0),  # "Supply-led"
)
# Label offsets from the point (pixels, y up), nearest first: beside it, then diagonal
# with a leader line, then further out.
OFFSETS = (
    (8, 0),
    (-8, 0),
    (0, 12),
    (0, -12),
    (14, 14),
    (14, -14),
    (-14, 14),
    (-14, -14),
    (24, 28),
    (24, -28),
    (-24, 28),
    (-24, -28),
    (36, 0),
    (-36, 0),
    (30, 48),
    (-30, 48),
    (30, -48),
    (-30, -48),
)

Box = tuple[float, ...]  # x0, x1, y0, y1
Label = tuple[tuple[str, ...], int, int, str]  # skills, dx, dy, text


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _segment_hits(x0: float, y0: float, x1: float, y1: float, box: Box, steps: int = 8) -> bool:
    """Does the leader line from (x0, y0) to (x1, y1) cross ``box``? (sampled)"""
    for i in range(1, steps):
        t = i / steps
        x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        if box[0] <= x <= box[1] and box[2] <= y <= box[3]:
            return True
    return False


def _pixels(
    supply: pd.DataFrame, x_range: tuple[float, float], y_range: tuple[float, float]
) -> dict[str, tuple[float, float]]:
    """Each skill's point in plot pixels (origin bottom left)."""
    filled = supply.fillna({"share_offered": 0, "share_demand": 0})
    return {
        sid: (
            (float(x) - x_range[0]) / (x_range[1] - x_range[0]) * PLOT_W,
            (float(y) - y_range[0]) / (y_range[1] - y_range[0]) * PLOT_H,
        )
        for sid, x, y in zip(
            filled["skill_id"], filled["share_offered"], filled["share_demand"], strict=True
        )
    }


LINE_BERTH = 3.0  # pixels either side of a dashed reference line kept free of labels


def reference_line_boxes(
    x_range: tuple[float, float], y_range: tuple[float, float], lines: tuple[float, float]
) -> list[Box]:
    """The vertical (mean supply) and horizontal (mean demand) lines as thin boxes."""
    x = (lines[0] - x_range[0]) / (x_range[1] - x_range[0]) * PLOT_W
    y = (lines[1] - y_range[0]) / (y_range[1] - y_range[0]) * PLOT_H
    return [
        (x - LINE_BERTH, x + LINE_BERTH, 0.0, PLOT_H),
        (0.0, PLOT_W, y - LINE_BERTH, y + LINE_BERTH),
    ]


def _find_place(
    x: float,
    y: float,
    size: tuple[float, float],
    obstacles: list[Box],
    offsets,
    clear_of: Sequence[Box] = (),
) -> tuple[int, int, Box] | None:
    """The first offset whose label box fits inside the plot, clear of ``obstacles`` (box
    and leader line) and of ``clear_of`` (the box only: the reference lines, which a leader
    line may cross)."""
    width, height = size
    for dx, dy in offsets:
        tail_x, tail_y = x + dx, y + dy
        left = tail_x if dx > 0 else (tail_x - width if dx < 0 else tail_x - width / 2)
        box = (left, left + width, tail_y - height / 2, tail_y + height / 2)
        inside = box[0] >= 0 and box[1] <= PLOT_W and box[2] >= 0 and box[3] <= PLOT_H
        if not inside or any(_overlaps(box, other) for other in (*obstacles, *clear_of)):
            continue
        if any(_segment_hits(x, y, tail_x, tail_y, other) for other in obstacles):
            continue
        return dx, dy, box
    return None


def place_labels(
    supply: pd.DataFrame,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    numbers: Mapping[str, int],
    named: Sequence[str],
    lines: tuple[float, float] | None = None,
) -> list[Label]:
    """Labels of the quadrant's points: (skills, dx, dy, text).

    Training-gap skills get their number (the key lists the names), then a few highly
    demanded skills elsewhere get their name. Skills at the same position share a label.
    Each label takes the nearest offset that keeps it inside the plot and clear of other
    labels, other points and the corner notes; a named skill with no such place stays
    unlabelled (its hover text remains), a number falls back to the nearest place.
    ``lines`` (the mean supply and demand): no label sits on these dashed lines.
    """
    pixels = _pixels(supply, x_range, y_range)
    line_boxes = reference_line_boxes(x_range, y_range, lines) if lines else []
    labels = dict(zip(supply["skill_id"], supply["label"], strict=True))
    together: dict[tuple[float, float], list[str]] = {}
    for sid in pixels:
        together.setdefault((round(pixels[sid][0], 1), round(pixels[sid][1], 1)), []).append(sid)
    markers = {sid: (x - 6, x + 6, y - 6, y + 6) for sid, (x, y) in pixels.items()}
    boxes: list[Box] = list(CORNERS)
    placed: list[Label] = []
    done: set[str] = set()
    for skill in [*numbers, *named]:
        if skill in done:
            continue
        x, y = pixels[skill]
        group = together[(round(x, 1), round(y, 1))]
        done.update(group)
        numbered = skill in numbers
        if numbered:
            text = ", ".join(str(n) for n in sorted(numbers[s] for s in group if s in numbers))
            lines = [text]
        else:
            text = "<br>".join(wrap(labels[s], LABEL_WRAP) for s in sorted(group))
            lines = text.split("<br>")
        width = CHAR_W * max(len(line) for line in lines) + 2
        height = LINE_H * len(lines)
        # A name keeps a wider berth from other points, so it cannot be read as theirs.
        berth = 0 if numbered else 12
        obstacles = boxes + [
            (b[0] - berth, b[1] + berth, b[2] - berth / 2, b[3] + berth / 2)
            for sid, b in markers.items()
            if sid not in group
        ]
        # Names stay close to their point; a long leader line would point at the wrong one.
        offsets = OFFSETS if numbered else OFFSETS[:4]
        choice = _find_place(x, y, (width, height), obstacles, offsets, line_boxes)
        if choice is None and numbered:
            dx, dy = OFFSETS[0]
            choice = (dx, dy, (x + dx, x + dx + width, y - height / 2, y + height / 2))
        if choice is not None:
            placed.append((tuple(group), choice[0], choice[1], text))
            boxes.append(choice[2])
    return placed
