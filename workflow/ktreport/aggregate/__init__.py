"""Stage 2: tidy tables -> aggregate tables and key figures.

``aggregate_processed`` is what the rule ``aggregate_tables`` (and the CLI) run.
"""

from ktreport.aggregate.key_figures import key_figures
from ktreport.aggregate.loading import load_processed
from ktreport.aggregate.tables import aggregate_processed, aggregate_tables, build_aggregates

__all__ = [
    "aggregate_processed",
    "aggregate_tables",
    "build_aggregates",
    "key_figures",
    "load_processed",
]
