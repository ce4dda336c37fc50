# Shared paths, config validation and input functions for every stage. Every path comes
# from the catalog (workflow/ktreport/catalog.py, standard library only), so parsing the
# workflow imports no heavy library module.
import json
from pathlib import Path

from snakemake.utils import validate

from ktreport.catalog import *  # noqa: F403 (the catalog is the workflow's vocabulary)
from ktreport.catalog import (
    discover_partner_files,
    library_files,
    odd_partner_entries,
    raw_files,
)
from ktreport.core.stamps import refresh_all

validate(config, schema="../schemas/config.schema.yaml")

# Partner files are discovered when the workflow is parsed: a new partner file needs no
# config edit. (table, partner_id) -> raw file(s).
PARTNER_FILES = discover_partner_files(RAW)


# Content, not dates, decides what is stale: every rule that reads raw files depends on
# their content stamps (ktreport.core.stamps), refreshed here at every parse. A file
# replaced by one with an older date is rebuilt; a file touched with a new date is not.
RAW_STAMPS = refresh_all(raw_files(RAW), STAMPS, base=RAW)
ALL_RAW_STAMPS = sorted(RAW_STAMPS.values())


def stamps_of(paths):
    """The content stamps of raw files (Snakemake inputs in their place); a file that does
    not exist stays itself, so Snakemake names it as missing."""
    return [RAW_STAMPS.get(Path(path), path) for path in paths]


def table_files(wildcards):
    """The raw files of one table, partner by partner (discovery's order)."""
    return [
        path
        for (table, partner), paths in PARTNER_FILES.items()
        if table == wildcards.table
        for path in paths
    ]


# Briefs (workflow/rules/briefs.smk): known only once the checkpoint slice_briefs has run.
def brief_ids():
    """The briefs the data call for (after slice_briefs has run)."""
    with checkpoints.slice_briefs.get().output[0].open() as handle:
        return [unit["id"] for unit in json.load(handle)["briefs"]]


def brief_data(wildcards):
    """A brief's own slice, the sample's and its figures (slice_briefs writes them): files
    no job outputs, so their dates (kept when their content is unchanged) decide whether
    the brief is stale."""
    checkpoints.slice_briefs.get()
    figures = BRIEF_BUILD / wildcards.brief / "figures"
    return {
        "slice": BRIEF_SLICES / f"{wildcards.brief}.json",
        "sample": BRIEF_SAMPLE,
        "figures": figures / FIGURES_MANIFEST_FILE,
        "svgs": [figures / f"{figure_id}.svg" for figure_id in BRIEF_FIGURE_IDS],
        "plots": [figures / f"{figure_id}.json" for figure_id in BRIEF_FIGURE_IDS],
    }


def brief_outputs(wildcards=None):
    """Every brief's staged HTML and PDF (for the guard, which publishes them)."""
    return [brief_file(b, suffix) for b in brief_ids() for suffix in (".html", ".pdf")]


def staged_briefs(wildcards):
    """The briefs' staged HTML and PDF (none with briefs: none)."""
    return brief_outputs() if config["briefs"] != "none" else []
