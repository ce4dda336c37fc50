"""Briefs: which countries (or partners) get one, each brief's numbers computed from its own
rows only, small cells withheld, and slices rewritten only when their content changes.

The fixture ``processed/small`` has 12 interviews, 4 each in Italy (I01, I02, I06, I10),
Poland and Finland; Italy's interviewees name negotiation as required 4 times (I01, I02,
I06, I10) and licensing once (I01). A hand-made Maltese interview is added where a country
too small for a brief is needed.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ktreport.aggregate.briefs import brief_units, unit_slice, unit_tables, write_slices
from ktreport.aggregate.loading import load_processed
from ktreport.chapters import briefs as brief_text
from ktreport.figures.briefs import brief_figures, skill_rows
from ktreport.figures.export import write_manifest

SMALL = Path(__file__).resolve().parent / "fixtures" / "processed" / "small"
TEMPLATES = Path(__file__).resolve().parents[1] / "report" / "briefs"
MALTA = {
    "interview_id": "I13",
    "partner_id": "UNIBO",
    "respondent_group": "kt_expert",
    "country": "MT",
    "country_name": "Malta",
    "region": "Europe",
    "interview_date": "2024-03-05",
    "years_experience": "9",
    "gender": "female",
    "has_quote": "false",
    "consent_to_quote": "false",
}


@pytest.fixture()
def small_with_malta(tmp_path: Path) -> Path:
    folder = tmp_path / "processed"
    shutil.copytree(SMALL, folder)
    interviews = pd.read_csv(folder / "interviews.csv", dtype=str, keep_default_na=False)
    interviews = pd.concat([interviews, pd.DataFrame([MALTA])], ignore_index=True)
    interviews.to_csv(folder / "interviews.csv", index=False)
    with (folder / "interview_skills.csv").open("a", encoding="utf-8") as stream:
        stream.write("I13,negotiation,required\n")
    return folder


def test_a_country_with_fewer_than_min_cell_interviewees_gets_no_brief(small_with_malta):
    units = brief_units(load_processed(small_with_malta), "countries", min_cell=4)
    assert [u["id"] for u in units["briefs"]] == ["FI", "IT", "PL"]
    assert units["too_small"] == [{"id": "MT", "name": "Malta", "n_interviews": 1}]
    assert brief_units(load_processed(small_with_malta), "countries", 5)["briefs"] == []


def test_partner_briefs_count_each_partners_own_interviews():
    units = brief_units(load_processed(SMALL), "partners", min_cell=4)
    # UNIBO I01 I02 I06 I10, UH I05 I07 I09 I11, UJ I03 I04 I08 I12.
    assert [(u["id"], u["n_interviews"]) for u in units["briefs"]] == [
        ("UH", 4),
        ("UJ", 4),
        ("UNIBO", 4),
    ]
    assert units["briefs"][2]["name"] == "University of Bologna (coordinator)"  # partners.csv


def test_a_country_s_tables_hold_only_its_rows_and_theirs():
    own = unit_tables(load_processed(SMALL), "countries", "IT")
    assert sorted(own["interviews"]["interview_id"]) == ["I01", "I02", "I06", "I10"]
    assert set(own["interview_skills"]["interview_id"]) == {"I01", "I02", "I06", "I10"}
    assert list(own["case_studies"]["case_id"]) == ["UNIBO-C01"]
    assert set(own["case_study_skills"]["case_id"]) == {"UNIBO-C01"}
    assert len(own["skills"]) == 6  # the taxonomy stays whole


def test_a_brief_s_key_figures_are_those_of_its_own_rows():
    data = unit_slice(load_processed(SMALL), "countries", {"id": "IT", "name": "Italy"}, 4)
    kf = data["key_figures"]
    assert kf["n_interviews"]["value"] == 4
    assert kf["n_required_negotiation"]["value"] == 4
    assert kf["n_required_negotiation"]["denominator"] == 4
    assert kf["top_required_skill"]["value"] == "Negotiation"
    assert kf["n_case_studies"]["value"] == 1
    assert [p["programme"] for p in data["programmes"]] == ["Negotiation, Licensing and IP"]


def test_a_count_below_min_cell_is_withheld():
    data = unit_slice(load_processed(SMALL), "countries", {"id": "IT", "name": "Italy"}, 4)
    kf = data["key_figures"]
    # Who: Italy's 4 are 2 HEI, 1 business, 1 expert: each group count is withheld.
    hei = kf["n_group_hei_kt_professional"]
    assert hei["value"] is None and hei["suppressed"] is True
    # Answers over Italy's 4 (a base of min_cell 4) are shown, small or not (I01 only
    # requires licensing): they single nobody out (aggregate.disclosure).
    assert kf["n_required_licensing"]["value"] == 1
    assert kf["n_required_negotiation"].get("suppressed") is None


def _write_brief(processed: Path, tmp_path: Path, unit: str, min_cell: int) -> str:
    out = tmp_path / "briefs"
    write_slices(processed, out, "countries", min_cell)
    own = json.loads((out / "slices" / f"{unit}.json").read_text(encoding="utf-8"))
    sample = json.loads((out / "sample.json").read_text(encoding="utf-8"))
    manifest = write_manifest(brief_figures(own, sample), tmp_path / "figures.json")
    config = {"report": {"project": "KT SoftSkills", "title": "The report"}, "sample_data": True}
    context = brief_text.brief_context(
        unit_path=out / "slices" / f"{unit}.json",
        sample_path=out / "sample.json",
        config=config,
        build={"version": "v1"},
        figures_manifest=manifest,
    )
    (chapter,) = brief_text.write_brief(TEMPLATES, context, tmp_path / "chapters", "briefs")
    return chapter.read_text(encoding="utf-8")


def _plain(markdown: str) -> str:
    """The text without the key figures' source spans, escapes and line breaks."""
    text = re.sub(r"\{[^{}]*\}", "", markdown).replace("[", "").replace("]", "")
    return " ".join(text.replace("\\", "").split())


def test_a_brief_says_fewer_than_min_cell_and_names_no_small_country(small_with_malta, tmp_path):
    markdown = _write_brief(small_with_malta, tmp_path, "IT", min_cell=4)
    text = _plain(markdown)
    # Italy: 4 of the 13 interviewees; negotiation required by all 4 (I01 I02 I06 I10),
    # in the whole sample by 8 of 13 (those 4, I03 I05 I08 and Malta's I13): 62 %.
    assert "4 interviewees of 13 in the whole sample (31 %)" in text
    assert "by 4 of 4 interviewees (100 %), against 62 % in the whole sample" in text
    # Each group in Italy (2, 1, 1 of 4) is withheld, count and share.
    assert "| fewer than 4 |" in text
    required_alt = re.search(r'fig-brief-required.svg\)\{fig-alt="([^"]*)"', markdown).group(1)
    assert required_alt.startswith("Bar chart, Italy against the whole sample. Highest: ")
    # Negotiation 4 of 4 against 8 of 13; licensing 1 of 4 (I01) against 3 of 13.
    assert "Highest: Negotiation 100 % against 62 %;" in required_alt
    assert "Licensing and agreement structuring 25 % against 23 %" in required_alt
    # Malta's single interview counts in the whole sample; Malta is not named.
    assert "Malta" not in text
    assert "1 other country had fewer interviewees" in text


def test_slices_are_rewritten_only_when_their_content_changes(small_with_malta, tmp_path):
    out = tmp_path / "briefs"
    write_slices(small_with_malta, out, "countries", 4)
    dates = {p.name: p.stat().st_mtime_ns for p in (out / "slices").iterdir()}
    write_slices(small_with_malta, out, "countries", 4)
    assert {p.name: p.stat().st_mtime_ns for p in (out / "slices").iterdir()} == dates
    # An Italian case study's programme changes: Italy's slice is rewritten, not Poland's.
    cases = small_with_malta / "case_studies.csv"
    cases.write_text(
        cases.read_text(encoding="utf-8").replace("Negotiation, Licensing and IP", "Deal-making"),
        encoding="utf-8",
    )
    write_slices(small_with_malta, out, "countries", 4)
    assert "Deal-making" in (out / "slices" / "IT.json").read_text(encoding="utf-8")
    assert (out / "slices" / "PL.json").stat().st_mtime_ns == dates["PL.json"]
    assert (out / "slices" / "FI.json").stat().st_mtime_ns == dates["FI.json"]


def test_a_unit_without_a_brief_any_more_loses_its_slice(small_with_malta, tmp_path):
    out = tmp_path / "briefs"
    write_slices(small_with_malta, out, "countries", 4)
    assert (out / "slices" / "IT.json").exists()
    write_slices(small_with_malta, out, "countries", 5)
    assert sorted(p.name for p in (out / "slices").iterdir()) == []
    units = json.loads((out / "units.json").read_text(encoding="utf-8"))
    assert [u["id"] for u in units["too_small"]] == ["FI", "IT", "MT", "PL"]


def test_a_gap_that_would_give_back_a_withheld_count_is_not_shown(small_with_malta, tmp_path):
    tables = load_processed(small_with_malta)
    sample = {"skills": {"negotiation": {"label": "Negotiation", "category": "soft"}}}
    # Italy: negotiation required by 4 (I01 I02 I06 I10), possessed by 2 (I06 I10).
    for min_cell, gap in ((2, 0.5), (5, None)):
        own = unit_slice(tables, "countries", {"id": "IT", "name": "Italy"}, min_cell)
        sample["key_figures"] = own["key_figures"]
        (row,) = skill_rows(own, sample, "gap")
        assert row["unit"] == gap and row["suppressed"] is (gap is None)
