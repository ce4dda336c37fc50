# Shared paths, config validation and input functions for every stage.
from pathlib import Path

from snakemake.utils import validate


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
