"""Shared table helpers of the stages that rank rows (aggregate key figures, figures).

One ordering rule for "the most named skill" everywhere: by the value, ties broken
alphabetically by label, with a stable sort so equal rows keep their order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # frames come in from the caller: importing this stays free of pandas
    import pandas as pd


def ranked(
    frame: pd.DataFrame, by: str, ascending: bool = False, tie: str = "label"
) -> pd.DataFrame:
    """Rows ordered by ``by`` (ties broken alphabetically by ``tie``, the label)."""
    return frame.sort_values([by, tie], ascending=[ascending, True], kind="mergesort")
