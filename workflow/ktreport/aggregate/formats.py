"""Stage 2, aggregation: the training formats interviewees prefer, overall and per group.

An interviewee counts once per format; every format of the contract gets a row, zero
counts included, with its share of all interviews (of the group).
"""

from __future__ import annotations

import pandas as pd

from ktreport import contract
from ktreport.aggregate.counting import interview_shares
from ktreport.contract import label


def formats(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``formats_overall`` and ``formats_by_group``."""
    interviews = tables["interviews"]
    chosen = tables["preferred_formats"].drop_duplicates(["interview_id", "format"])
    chosen = chosen.merge(
        interviews[["interview_id", "respondent_group"]], on="interview_id", how="inner"
    )
    universe = pd.DataFrame({"format": contract.TRAINING_FORMATS})
    overall = interview_shares(universe, chosen, ["format"], interviews)
    by_group = interview_shares(universe, chosen, ["format"], interviews, by_group=True)
    for frame in (overall, by_group):
        frame["label"] = frame["format"].map(label)
    columns = ["format", "label", "n", "denominator", "share"]
    return {
        "formats_overall": overall[columns],
        "formats_by_group": by_group[["respondent_group", *columns]],
    }
