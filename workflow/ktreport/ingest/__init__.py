"""Stage 1: partner files -> validated, clean, tidy tables (data/processed/).

Reading (``readers``, ``csv_grid``, ``workbook_grid``, ``rawtable``, ``spelling``), the
reference tables (``references``, ``countries``, ``taxonomy``), the one-file checks
(``cells``, ``checks``, stored as ``parts``), the checks across files (``schema``,
``crossfile``), the tidy tables (``tables``), a whole folder at once (``validate``) and the
terminal text (``messages``). The rule scripts and the command line import their entry
points from here. Nothing imports this package while Snakemake parses the workflow, and
no module of it imports pandas or pandera at import time (the per-file jobs start quickly).
"""

from ktreport.ingest.checks import check_partner_file, clean_partner_file
from ktreport.ingest.crossfile import combine, combine_parts
from ktreport.ingest.messages import format_problems, group_by_file, summary_line
from ktreport.ingest.results import FileReport, PartnerFile, ValidationResult
from ktreport.ingest.tables import write_problems, write_processed, write_table
from ktreport.ingest.validate import validate_raw

__all__ = [
    "FileReport",
    "PartnerFile",
    "ValidationResult",
    "check_partner_file",
    "clean_partner_file",
    "combine",
    "combine_parts",
    "format_problems",
    "group_by_file",
    "summary_line",
    "validate_raw",
    "write_problems",
    "write_processed",
    "write_table",
]
