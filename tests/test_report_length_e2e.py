"""The report's length does not grow with the data (issue 16 §5): built from ten times the
sample (``ktreport synth --scale 10``: 300 programmes, 600 interviews, 24 partners), the PDF
has about the sample's pages; its capped lists say how many more rows there are and where
they all are, with numbers counted from the data."""

from __future__ import annotations

import csv
import re

import pytest
from pdf_pages import pages
from project_builds import PDF, build, built, copy_project, set_config

from ktreport.chapters.context import LIST_DEFAULTS
from ktreport.tools import synth

pytestmark = pytest.mark.e2e

SCALE = 10
# The lists show at most their capped rows; the sample already fills most of them. A bigger
# study may add a few pages (longer annex lists up to their caps), never pages per row.
MAX_PAGES_OVER_SAMPLE = 1.25


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    result = built("sample", tmp_path_factory)
    assert result.ok, result.explain()
    return result.tree


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    tree = copy_project(tmp_path_factory.mktemp("scaled-build") / "project")
    synth.write_synthetic(tree / "data" / "raw", scale=SCALE, seed=1)  # replaces the files
    set_config(tree, "briefs", "none")  # the report's length is measured, not the briefs'
    result = build(tree)
    assert result.ok, result.explain()
    return tree


def _text(tree) -> str:
    return re.sub(r"\s+", " ", " ".join(page.text for page in pages(tree / PDF)))


def test_ten_times_the_data_gives_about_the_samples_pages(sample, scaled):
    sample_pages, scaled_pages = len(pages(sample / PDF)), len(pages(scaled / PDF))
    assert scaled_pages <= MAX_PAGES_OVER_SAMPLE * sample_pages, (sample_pages, scaled_pages)


def test_the_capped_case_study_list_says_how_many_more_and_where(scaled):
    with open(scaled / "data/processed/aggregates/case_study_list.csv", encoding="utf-8") as f:
        programmes = len(list(csv.DictReader(f)))
    shown = LIST_DEFAULTS["case_studies"]
    assert programmes > shown
    more = f"{programmes - shown:,}"
    assert f"the first {shown} rows, and {more} more in" in _text(scaled)
