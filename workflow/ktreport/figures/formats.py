"""Stage 3, figures: the training formats interviewees prefer, overall and by group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ktreport.contract import label
from ktreport.core import style
from ktreport.core.frames import ranked
from ktreport.figures.heatmap import HEATMAP_AXES, group_columns, hidden_note, share_heatmap
from ktreport.figures.spec import SOURCE_INTERVIEWS, FigureSpec, sourced, top_parts
from ktreport.figures.theme import layout

if TYPE_CHECKING:  # frames come in from the caller; no pandas import needed here
    import pandas as pd

TITLE = "Preferred training formats by respondent group"


def formats(aggregates: Mapping[str, pd.DataFrame], kf: Mapping[str, dict]) -> FigureSpec:
    by_group = aggregates["formats_by_group"]
    overall = aggregates["formats_overall"]
    n = int(kf["n_interviews"]["value"])
    order = ranked(overall, "n")
    present, columns, sizes = group_columns(by_group, n)
    cells = by_group.set_index(["format", "respondent_group"])
    z, counts = [], []
    for _, row in order.iterrows():
        fmt = row["format"]
        z.append([float(row["share"])] + [float(cells.loc[(fmt, g), "share"]) for g in present])
        counts.append([int(row["n"])] + [int(cells.loc[(fmt, g), "n"]) for g in present])
    fig = share_heatmap(z, counts, list(order["label"]), columns, sizes, "interviewees")
    height = max(360, 170 + 30 * len(order))
    layout(fig, height, **HEATMAP_AXES)
    parts = top_parts(kf, {f"top_format_{g}": label(g) for g in present}, lower=True)
    alt = (
        "Heatmap of the share of interviewees who prefer each training format, for all "
        f"{n} interviewees and by respondent group; darker cells are higher shares, and each "
        "cell shows its percentage. "
    )
    if "top_format" in kf:
        alt += (
            f"Overall, the most preferred format is {kf['top_format']['value'].lower()} "
            f"({style.n_of(kf['top_format']['n'], n)} interviewees). "
        )
    alt += f"Most preferred by group: {'; '.join(parts)}."
    caption = sourced(
        "Training formats that interviewees prefer, overall and by respondent group "
        "(several formats per interviewee possible)." + hidden_note(by_group, kf),
        SOURCE_INTERVIEWS,
        n,
    )
    return FigureSpec("fig-formats", TITLE, caption, alt, fig, n=n, height=height)
