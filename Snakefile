# The KT Skills Investigation Report: raw partner data -> validated, clean tables ->
# aggregates -> figures -> report text -> HTML (pandoc or Quarto) -> PDF (WeasyPrint).
# This file is the index; each stage lives in workflow/rules/<stage>.smk.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/aggregate.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/render.smk"


if config["briefs"] != "none":

    include: "workflow/rules/briefs.smk"


include: "workflow/rules/guard.smk"


# Cheap steps run where Snakemake runs, never as a cluster job (a Slurm job costs seconds).
localrules:
    all,
    publish_key_figures,
    combine_tables,


rule all:
    default_target: True
    input:
        REPORT_HTML,
        REPORT_PDF,
        KEY_FIGURES_OUT,
        GUARD_MARKER,
        # The briefs' checkpoint, named: the guard's inputs wait on it, so in a tree built
        # with briefs: none (no slices), Snakemake found nothing to do when the setting came
        # back (the guard's marker existed and nothing asked for the units).
        [BRIEF_UNITS] if config["briefs"] != "none" else [],
