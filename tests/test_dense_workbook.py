"""A dense workbook within the limits (50,000 rows x 200 columns) is read within the child's
memory: cells that repeat a text share one object (measured by hand: the 3.4 MB workbook of
10 million cells, 181 MB unpacked, failed with MemoryError before, peak 739 MB now), and a
sheet too large for the memory is said as such, not as a damaged file."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from ktreport.ingest import isolated
from ktreport.ingest.calamine_sheet import load_sheet
from ktreport.ingest.workbook_grid import _failure_problem


def test_cells_that_repeat_a_text_share_one_object(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "interviews"
    sheet.append(["interview_id", "consent_to_quote", "years_experience"])
    for n in range(50):
        sheet.append([f"UH-{n:02d}", "yes", 4])
    path = tmp_path / "dense.xlsx"
    workbook.save(path)

    grid = load_sheet(str(path), "interviews", 1000).grid

    assert grid[1] == ["UH-00", "yes", "4"] and len(grid) == 51
    assert len({id(row[1]) for row in grid[1:]}) == 1  # one "yes" for 50 cells
    assert len({id(row[2]) for row in grid[1:]}) == 1
    assert len({id(row[0]) for row in grid[1:]}) == 50


def test_a_sheet_beyond_the_memory_is_too_large_not_damaged():
    problem = _failure_problem("MemoryError", Path("UH.xlsx"), "data/raw/interviews/UH.xlsx")
    assert problem.message == isolated.FAILED[0]
    assert "damaged, protected by a password" not in problem.message
    other = _failure_problem("ZipError", Path("UH.xlsx"), "data/raw/interviews/UH.xlsx")
    assert "damaged, protected by a password" in other.message
