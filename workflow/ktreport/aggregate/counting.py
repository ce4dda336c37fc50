"""Stage 2, aggregation: the counting rules every aggregate table shares, in one place.

* a respondent (interview) counts once per skill and dimension, however often the skill
  was coded; a programme counts once per skill (``counts``: distinct values);
* a share is ``n / denominator`` rounded once to 4 decimals (``share``), and every share
  travels with its ``n`` and ``denominator`` columns;
* denominators are all interviews (of the group) or all case studies, so shares of
  different skills are comparable (``interview_shares``).
"""

from __future__ import annotations

import math

import pandas as pd

from ktreport import contract

SHARE_DECIMALS = 4


def share(n: pd.Series | int, denominator: pd.Series | int) -> pd.Series | float:
    """n / denominator rounded once to 4 decimals (missing when the denominator is 0)."""
    if isinstance(n, pd.Series) or isinstance(denominator, pd.Series):
        n_series = pd.Series(n, dtype="float64") if not isinstance(n, pd.Series) else n
        result = n_series.astype("float64") / pd.Series(denominator).astype("float64").where(
            lambda d: d > 0
        )
        return result.round(SHARE_DECIMALS)
    return round(n / denominator, SHARE_DECIMALS) if denominator else math.nan


def present_groups(interviews: pd.DataFrame) -> list[str]:
    """Respondent groups with at least one interview, in contract order."""
    present = set(interviews["respondent_group"])
    return [g for g in contract.RESPONDENT_GROUPS if g in present]


def skill_frame(skills: pd.DataFrame) -> pd.DataFrame:
    """The columns that name a skill in every per-skill table."""
    return skills[["skill_id", "label", "category", "cluster"]].copy()


def counts(frame: pd.DataFrame, by: list[str], unique: str) -> pd.DataFrame:
    """Number of distinct ``unique`` values per ``by`` combination, as column ``n``."""
    if frame.empty:
        return pd.DataFrame({**{c: pd.Series(dtype="str") for c in by}, "n": []})
    counted = frame.drop_duplicates([*by, unique]).groupby(by, as_index=False).size()
    return counted.rename(columns={"size": "n"})


def sizes(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Rows per ``by`` combination present, as column ``n``."""
    return frame.groupby(by, as_index=False).size().rename(columns={"size": "n"})


def with_share(frame: pd.DataFrame, denominator: int) -> pd.DataFrame:
    """``frame`` with the columns ``denominator`` and ``share`` (of its column ``n``)."""
    frame["denominator"] = denominator
    frame["share"] = share(frame["n"], frame["denominator"])
    return frame


def distinct_and_rows(
    universe: pd.DataFrame, rows: pd.DataFrame, keys: list[str], unique: str, rows_column: str
) -> pd.DataFrame:
    """Per combination of ``universe``: distinct ``unique`` values (``n``) and all rows.

    Zero counts included: a combination no row has gets 0 in both columns.
    """
    frame = universe.merge(counts(rows, keys, unique), on=keys, how="left")
    every = rows.groupby(keys, as_index=False).size().rename(columns={"size": rows_column})
    frame = frame.merge(every, on=keys, how="left")
    frame[["n", rows_column]] = frame[["n", rows_column]].fillna(0).astype("int64")
    return frame


def interview_shares(
    universe: pd.DataFrame,
    chosen: pd.DataFrame,
    keys: list[str],
    interviews: pd.DataFrame,
    by_group: bool = False,
) -> pd.DataFrame:
    """Interviewees per combination of ``universe`` (zeros included), with their share.

    The denominator is all interviews, or with ``by_group`` the interviews of each
    respondent group present (one block of ``universe`` per group, contract order).
    """
    if by_group:
        groups = pd.DataFrame({"respondent_group": present_groups(interviews)})
        universe = groups.merge(universe, how="cross")
        keys = ["respondent_group", *keys]
    frame = universe.merge(counts(chosen, keys, "interview_id"), on=keys, how="left")
    frame["n"] = frame["n"].fillna(0).astype("int64")
    if by_group:
        group_sizes = interviews["respondent_group"].value_counts()
        frame["denominator"] = frame["respondent_group"].map(group_sizes).astype("int64")
    else:
        frame["denominator"] = len(interviews)
    frame["share"] = share(frame["n"], frame["denominator"])
    return frame
