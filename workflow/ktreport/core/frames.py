"""Small frame helpers shared by stages (ranking with a stable tie order)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # frames come in from the caller: importing this stays free of pandas
    import pandas as pd


def ranked(frame: pd.DataFrame, by: str, ascending: bool = False) -> pd.DataFrame:
    """Rows by ``by`` (highest first by default), ties by label; stable (mergesort)."""
    return frame.sort_values([by, "label"], ascending=[ascending, True], kind="mergesort")
