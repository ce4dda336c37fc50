# Shared paths, config validation and input functions for every stage.
from pathlib import Path

from snakemake.utils import validate

from ktreport.validate import discover_partner_files

validate(config, schema="../schemas/config.schema.yaml")

RAW = Path("data/raw")
PROCESSED = Path("data/processed")
BUILD = Path("report/_build")
OUTPUT = Path("report/output")
LOGS = Path("logs")

REPORT_NAME = "KT_Skills_Investigation_Report"
# Jobs write the deliverables to STAGING; the guard (guard.smk) checks them for personal
# data and only then copies them to OUTPUT by rename. Nothing in OUTPUT is a job's output,
# so Snakemake never deletes the published report, and a failed build leaves it intact.
STAGING = BUILD / "output"
REPORT_HTML = STAGING / f"{REPORT_NAME}.html"
REPORT_PDF = STAGING / f"{REPORT_NAME}.pdf"
KEY_FIGURES_OUT = STAGING / "key_figures.json"
PERSONAL_DATA_CHECK = LOGS / "check_personal_data.ok"

# Partner files are discovered when the workflow is parsed: a new partner file needs no
# config edit. (table, partner_id) -> raw file(s).
PARTNER_FILES = discover_partner_files(RAW)


def partner_file(wildcards):
    """The raw file(s) of one partner and table, whatever the extension."""
    key = (wildcards.table, wildcards.partner)
    if key not in PARTNER_FILES:
        raise ValueError(f"no file {RAW}/{wildcards.table}/{wildcards.partner}.*")
    return PARTNER_FILES[key]


LIBRARY = Path("workflow/ktreport")


def library_sources(*modules):
    """The library modules a rule runs, with every ktreport module they import (read from
    the sources), so that a changed library re-runs exactly the steps that use it:
    Snakemake itself only notices a change in the rule's own script."""
    import re

    pattern = re.compile(r"ktreport\.(\w+)|from ktreport import ([\w, ]+)")
    seen, todo = set(), list(modules)
    while todo:
        name = todo.pop()
        path = LIBRARY / f"{name}.py"
        if name in seen or not path.is_file():
            continue
        seen.add(name)
        for dotted, listed in pattern.findall(path.read_text(encoding="utf-8")):
            todo.extend([dotted] if dotted else [n.strip() for n in listed.split(",")])
    return sorted(LIBRARY / f"{name}.py" for name in seen)
