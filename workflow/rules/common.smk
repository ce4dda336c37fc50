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
REPORT_HTML = OUTPUT / f"{REPORT_NAME}.html"
REPORT_PDF = OUTPUT / f"{REPORT_NAME}.pdf"
KEY_FIGURES_OUT = OUTPUT / "key_figures.json"
PERSONAL_DATA_CHECK = LOGS / "check_personal_data.ok"
