"""Stage 5: the personal-data guard over every output, and publishing.

``values`` reads the personal values of the raw interviews files, ``matching`` searches
for them, ``extract`` gives the text of each output type, ``scan`` reports what it finds
(file and kind of value, never the value), ``cells`` checks that no small cell of
interviewees is published (small-cell protection) and ``publishing`` publishes the staged outputs
by temporary file and rename.
"""

from ktreport.guard.cells import SmallCell, check_small_cells, small_cell_message
from ktreport.guard.extract import GuardProblem
from ktreport.guard.publishing import publish, publish_groups, remove_unlisted
from ktreport.guard.scan import (
    Leak,
    ScanResult,
    check_personal_data,
    files_under,
    leak_message,
    scan_files,
)

__all__ = [
    "GuardProblem",
    "Leak",
    "ScanResult",
    "SmallCell",
    "check_small_cells",
    "check_personal_data",
    "files_under",
    "leak_message",
    "publish",
    "publish_groups",
    "remove_unlisted",
    "scan_files",
    "small_cell_message",
]
