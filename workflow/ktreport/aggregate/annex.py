"""Stage 2, aggregation: the annex listings — the consented quotes and the codebook.

The quotes table is the only aggregate with interviewees' words: consent is checked again
here, whatever the cleaning step did.
"""

from __future__ import annotations

import pandas as pd

from ktreport import contract


def quotes(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Quotes of interviewees who consented; the consent is checked again here on purpose."""
    interviews = tables["interviews"]
    consented = interviews.loc[interviews["consent_to_quote"].astype(bool), "interview_id"]
    quoted = tables["quotes"]
    quoted = quoted[quoted["interview_id"].isin(consented) & (quoted["quote"].str.strip() != "")]
    quoted = quoted.merge(interviews[["interview_id", "country_name"]], on="interview_id")
    return quoted[["interview_id", "respondent_group", "country", "country_name", "quote"]]


def codebook(
    tables: dict[str, pd.DataFrame], offer: pd.DataFrame, overall: pd.DataFrame
) -> pd.DataFrame:
    """The taxonomy with how often each skill is offered and named per dimension."""
    frame = tables["skills"][["skill_id", "label", "category", "cluster", "framework"]].copy()
    frame["n_offered"] = frame["skill_id"].map(offer.set_index("skill_id")["n"]).astype("int64")
    for dimension in contract.SKILL_DIMENSIONS:
        named = overall[overall["dimension"] == dimension].set_index("skill_id")["n"]
        frame[f"n_{dimension}"] = frame["skill_id"].map(named).fillna(0).astype("int64")
    return frame
