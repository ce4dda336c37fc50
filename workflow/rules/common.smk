# Shared paths, config validation and input functions for every stage. Every path comes
# from the catalog (workflow/ktreport/catalog.py, standard library only), so parsing the
# workflow imports no heavy library module.
from pathlib import Path

from snakemake.utils import validate

from ktreport.catalog import *  # noqa: F403 (the catalog is the workflow's vocabulary)
from ktreport.catalog import discover_partner_files, library_files, odd_partner_entries

validate(config, schema="../schemas/config.schema.yaml")

# Partner files are discovered when the workflow is parsed: a new partner file needs no
# config edit. (table, partner_id) -> raw file(s).
PARTNER_FILES = discover_partner_files(RAW)


def partner_file(wildcards):
    """The raw file(s) of one partner and table, whatever the extension."""
    key = (wildcards.table, wildcards.partner)
    if key not in PARTNER_FILES:
        raise ValueError(f"no file {RAW}/{wildcards.table}/{wildcards.partner}.*")
    return PARTNER_FILES[key]
