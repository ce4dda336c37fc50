"""Aggregation: counts, shares, gaps, Borich scores and key figures, checked by hand.

The fixture ``processed/small`` has 12 interviews (5 HEI, 4 business, 2 experts, 1 other),
4 case studies and 6 skills; every expected number below was counted by hand from its CSVs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ktreport import contract
from ktreport.aggregate import (
    aggregate_processed,
    aggregate_tables,
    build_aggregates,
    key_figures,
    load_processed,
)
from ktreport.catalog import AGGREGATE_NAMES
from ktreport.core.errors import AggregateError
from ktreport.core.io import read_aggregates

SMALL = Path(__file__).resolve().parent / "fixtures" / "processed" / "small"


@pytest.fixture(scope="module")
def small():
    tables = load_processed(SMALL)
    aggregates = aggregate_tables(tables)
    return aggregates, key_figures(aggregates, tables)


def copy_small(tmp_path: Path) -> Path:
    target = tmp_path / "processed"
    shutil.copytree(SMALL, target)
    return target


def value(kf: dict, name: str):
    return kf[name]["value"]


def row(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, wanted in where.items():
        mask &= frame[column] == wanted
    assert mask.sum() == 1, where
    return frame[mask].iloc[0]


def test_sample_composition_counts_interviews_and_case_studies(small):
    aggregates, kf = small
    assert value(kf, "n_interviews") == 12
    assert value(kf, "n_case_studies") == 4
    assert [value(kf, f"n_group_{g}") for g in contract.RESPONDENT_GROUPS] == [
        5,
        4,
        2,
        1,
    ]
    assert value(kf, "share_group_hei_kt_professional") == pytest.approx(0.4167)
    assert kf["share_group_hei_kt_professional"]["n"] == 5
    assert kf["share_group_hei_kt_professional"]["denominator"] == 12
    cross = aggregates["interviews_by_group_country"]
    assert int(row(cross, respondent_group="hei_kt_professional", country="IT")["n"]) == 2
    composition = aggregates["case_studies_composition"]
    assert int(row(composition, variable="region", value="Europe")["n"]) == 3
    assert int(row(composition, variable="duration_class", value="not stated")["n"]) == 1
    assert int(row(composition, variable="certification", value="not stated")["n"]) == 1
    assert int(row(composition, variable="certification", value="yes")["n"]) == 2
    assert value(kf, "n_best_practices") == 2
    assert value(kf, "median_duration_hours") == 16.0


def test_training_offer_is_the_share_of_programmes_per_skill(small):
    aggregates, kf = small
    offer = aggregates["training_offer_by_skill"]
    assert (
        int(row(offer, skill_id="negotiation")["n"]),
        row(offer, skill_id="negotiation")["share"],
    ) == (2, 0.5)
    assert row(offer, skill_id="communication")["share"] == 0.25
    by_category = aggregates["training_offer_by_category"]
    # Soft skills: UJ-C01, UNIBO-C01 and UH-C01 train at least one; hard: UH-C01, UH-C02, UNIBO-C01.
    assert int(row(by_category, category="soft")["n"]) == 3
    assert int(row(by_category, category="hard")["n"]) == 3
    assert int(row(by_category, category="hard")["n_links"]) == 5
    assert value(kf, "share_programmes_soft") == 0.75


def test_a_respondent_counts_once_per_skill_and_dimension(tmp_path):
    processed = copy_small(tmp_path)
    coded = processed / "interview_skills.csv"
    # I01 coded "negotiation, required" three times (e.g. once per synonym).
    coded.write_text(coded.read_text() + "I01,negotiation,required\nI01,negotiation,required\n")
    aggregates = build_aggregates(processed)
    overall = aggregates["interview_skills_overall"]
    assert int(row(overall, skill_id="negotiation", dimension="required")["n"]) == 7
    links = processed / "case_study_skills.csv"
    links.write_text(links.read_text() + "UH-C01,negotiation\n")
    offer = build_aggregates(processed)["training_offer_by_skill"]
    assert int(row(offer, skill_id="negotiation")["n"]) == 2


def test_interview_evidence_overall_and_by_group(small):
    aggregates, kf = small
    overall = aggregates["interview_skills_overall"]
    negotiation = row(overall, skill_id="negotiation", dimension="required")
    assert (int(negotiation["n"]), int(negotiation["denominator"])) == (7, 12)
    assert negotiation["share"] == pytest.approx(0.5833)
    assert int(row(overall, skill_id="communication", dimension="possessed")["n"]) == 6
    assert int(row(overall, skill_id="valuation", dimension="desirable")["n"]) == 4
    by_group = aggregates["interview_skills_by_group"]
    hei = row(
        by_group,
        respondent_group="hei_kt_professional",
        skill_id="negotiation",
        dimension="required",
    )
    assert (int(hei["n"]), int(hei["denominator"]), hei["share"]) == (4, 5, 0.8)
    assert value(kf, "top_required_skill") == "Negotiation"
    assert (kf["top_required_skill"]["n"], kf["top_required_skill"]["denominator"]) == (7, 12)
    assert value(kf, "top_possessed_skill") == "Communication"
    assert value(kf, "top_desirable_skill") == "IP and technology valuation"
    assert value(kf, "top_required_business_kt_professional_skill") == "IP and technology valuation"
    # 9 of 12 interviewees name at least one soft skill as required (all but I04, I09, I12).
    assert kf["share_required_any_soft"]["n"] == 9


def test_gap_is_required_minus_possessed(small):
    aggregates, kf = small
    gap = aggregates["skill_gap_overall"]
    negotiation = row(gap, skill_id="negotiation")
    assert (int(negotiation["n_required"]), int(negotiation["n_possessed"])) == (7, 3)
    assert negotiation["gap"] == pytest.approx(0.3333)
    assert row(gap, skill_id="communication")["gap"] == pytest.approx(-0.3333)
    assert value(kf, "gap_max_skill") == "Negotiation"
    assert value(kf, "gap_max_value") == 0.3333
    assert (value(kf, "gap_max_n_required"), value(kf, "gap_max_n_possessed")) == (7, 3)
    by_group = aggregates["skill_gap_by_group"]
    assert (
        row(by_group, respondent_group="hei_kt_professional", skill_id="negotiation")["gap"] == 0.8
    )
    assert value(kf, "gap_max_skill_business_kt_professional") == "IP and technology valuation"


def test_supply_demand_counts_required_or_desirable_once_and_finds_the_training_gap(small):
    aggregates, kf = small
    supply = aggregates["supply_demand"]
    negotiation = row(supply, skill_id="negotiation")
    # Required by I01 I02 I03 I05 I06 I08 I10, desirable for I01 I11: 8 distinct people.
    assert int(negotiation["n_demand"]) == 8
    assert negotiation["share_offered"] == 0.5
    valuation = row(supply, skill_id="valuation")
    assert (int(valuation["n_demand"]), valuation["share_offered"]) == (4, 0.25)
    # Mean demand (0+2+3+3+4+8)/6/12 = 0.2778; mean supply (1+2+2+2+1+1)/6/4 = 0.375.
    assert value(kf, "supply_demand_threshold_demand") == 0.2778
    assert value(kf, "supply_demand_threshold_offered") == 0.375
    quadrants = dict(zip(supply["skill_id"], supply["quadrant"], strict=True))
    assert quadrants == {
        "communication": "low_priority",
        "ip_management": "supply_led",
        "licensing": "supply_led",
        "negotiation": "well_served",
        "networking": "low_priority",
        "valuation": "training_gap",
    }
    assert value(kf, "n_skills_training_gap") == 1
    assert value(kf, "top_training_gap_skill") == "IP and technology valuation"
    assert value(kf, "largest_oversupply_skill") == "IP and patent management"


def test_borich_mwds_is_mean_discrepancy_times_mean_importance(small):
    aggregates, kf = small
    ratings = aggregates["ratings_by_skill"]
    negotiation = row(ratings, skill_id="negotiation")
    # (5-2, 4-3, 5-3) -> mean 2; mean importance 14/3 -> MWDS 9.3333.
    assert negotiation["mean_discrepancy"] == 2.0
    assert negotiation["mean_importance"] == pytest.approx(4.6667)
    assert negotiation["mwds"] == pytest.approx(9.3333)
    assert row(ratings, skill_id="valuation")["mwds"] == 13.5
    assert row(ratings, skill_id="communication")["mwds"] == -1.75
    assert list(ratings.sort_values("rank")["skill_id"]) == [
        "valuation",
        "negotiation",
        "licensing",
        "communication",
    ]
    assert value(kf, "top_borich_skill") == "IP and technology valuation"
    assert value(kf, "n_ratings") == 8
    assert value(kf, "n_rated_interviews") == 6


def test_preferred_formats_overall_and_by_group(small):
    aggregates, kf = small
    assert value(kf, "top_format") == "Workshops"
    assert (kf["top_format"]["n"], kf["top_format"]["denominator"]) == (6, 12)
    by_group = aggregates["formats_by_group"]
    hei = row(by_group, respondent_group="hei_kt_professional", format="workshops")
    assert (int(hei["n"]), int(hei["denominator"])) == (3, 5)
    assert value(kf, "top_format_kt_expert") == "Mentoring"
    assert value(kf, "n_interviews_with_formats") == 11


def test_every_share_carries_its_n_and_denominator(small):
    aggregates, _ = small
    for name, frame in aggregates.items():
        for column in frame.columns:
            if column.startswith("share"):
                suffix = column.removeprefix("share")
                n_column = "n" + suffix if suffix else "n"
                assert n_column in frame.columns, (name, column)
                # One shared denominator column serves shares that share it (gap tables).
                assert {"denominator" + suffix, "denominator"} & set(frame.columns), (name, column)
                shares = frame[column].dropna()
                assert ((shares >= 0) & (shares <= 1)).all(), (name, column)


def test_key_figures_have_value_definition_n_denominator_and_unit(small):
    _, kf = small
    assert list(kf) == sorted(kf)
    for name, figure in kf.items():
        assert set(figure) == {"value", "definition", "n", "denominator", "unit"}, name
        assert figure["unit"] in {"count", "share", "score", "label"}, name
        assert figure["definition"].strip(), name
        if figure["unit"] == "count":
            assert isinstance(figure["value"], int), name
        if figure["unit"] == "share":
            assert round(figure["value"], 4) == figure["value"], name
            assert -1 <= figure["value"] <= 1, name


def test_quotes_without_consent_never_reach_the_aggregates(tmp_path):
    processed = copy_small(tmp_path)
    quotes = processed / "quotes.csv"
    quotes.write_text(quotes.read_text() + "I10,kt_expert,IT,Off the record: do not cite me.\n")
    aggregates = build_aggregates(processed)
    assert list(aggregates["quotes"]["interview_id"]) == ["I02", "I07"]
    assert value(key_figures(aggregates, load_processed(processed)), "n_quotes_consented") == 2


def test_no_ratings_file_gives_empty_ratings_and_no_borich_figures(tmp_path):
    processed = copy_small(tmp_path)
    (processed / "ratings.csv").unlink()
    aggregates = build_aggregates(processed)
    assert aggregates["ratings_by_skill"].empty
    kf = key_figures(aggregates, load_processed(processed))
    assert value(kf, "n_ratings") == 0
    assert "top_borich_skill" not in kf


def test_missing_processed_table_is_named_with_the_fix(tmp_path):
    processed = copy_small(tmp_path)
    (processed / "interviews.csv").unlink()
    with pytest.raises(AggregateError, match=r"interviews\.csv.*missing.*cleaning"):
        build_aggregates(processed)


def test_unreadable_boolean_names_file_and_column(tmp_path):
    processed = copy_small(tmp_path)
    interviews = processed / "interviews.csv"
    interviews.write_text(interviews.read_text().replace("true,true", "maybe,true", 1))
    with pytest.raises(AggregateError, match=r"interviews\.csv: column has_quote holds 'maybe'"):
        build_aggregates(processed)


def test_outputs_are_byte_identical_sorted_and_fixed_format(tmp_path):
    first = aggregate_processed(SMALL, tmp_path / "a", tmp_path / "a" / "key_figures.json")
    second = aggregate_processed(SMALL, tmp_path / "b", tmp_path / "b" / "key_figures.json")
    assert first == second
    for name in [*AGGREGATE_NAMES, "key_figures"]:
        suffix = ".json" if name == "key_figures" else ".csv"
        a = (tmp_path / "a" / f"{name}{suffix}").read_bytes()
        assert a == (tmp_path / "b" / f"{name}{suffix}").read_bytes(), name
        assert b"\r" not in a and a.endswith(b"\n"), name
    text = (tmp_path / "a" / "supply_demand.csv").read_text()
    assert "0.2500" in text and "0.25," not in text  # fixed %.4f floats
    kf_text = (tmp_path / "a" / "key_figures.json").read_text(encoding="utf-8")
    assert (
        kf_text
        == json.dumps(json.loads(kf_text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    )
    offer = pd.read_csv(tmp_path / "a" / "training_offer_by_skill.csv")
    assert list(offer["skill_id"]) == sorted(offer["skill_id"])


def test_read_aggregates_keeps_codes_as_text(tmp_path):
    processed = copy_small(tmp_path)
    # Namibia's ISO code is "NA": it must not become a missing value on the way back.
    for name in ("interviews", "quotes"):
        path = processed / f"{name}.csv"
        path.write_text(
            path.read_text()
            .replace(",FI,Finland,", ",NA,Namibia,")
            .replace("I07,business_kt_professional,FI,", "I07,business_kt_professional,NA,")
        )
    out = tmp_path / "aggregates"
    aggregate_processed(processed, out, tmp_path / "key_figures.json")
    back = read_aggregates(out)
    assert "NA" in set(back["interviews_by_country"]["country"])
    assert back["quotes"].loc[back["quotes"]["interview_id"] == "I07", "country"].item() == "NA"
    assert back["supply_demand"]["share_demand"].dtype == "float64"


def test_interview_period_and_sample_table(small):
    aggregates, kf = small
    assert value(kf, "interview_period_start") == "January 2024"
    assert value(kf, "interview_period_end") == "March 2024"
    assert kf["interview_period_end"]["n"] == 11  # I12 has no date
    table = aggregates["interview_sample_table"].set_index("country")
    assert table.loc["IT"].to_dict() == {
        "country_name": "Italy",
        "region": "Europe",
        "hei_kt_professional": 2,
        "business_kt_professional": 1,
        "kt_expert": 1,
        "other": 0,
        "total": 4,
    }


def test_soft_skills_among_the_most_named_and_formats_ranked(small):
    _, kf = small
    # Required at least once: negotiation, licensing, communication, valuation, networking.
    assert (
        value(kf, "n_soft_in_top10_required"),
        kf["n_soft_in_top10_required"]["denominator"],
    ) == (3, 5)
    assert value(kf, "n_soft_skills_training_gap") == 0
    assert value(kf, "n_hard_skills_training_gap") == 1
    assert [value(kf, f"{o}_format") for o in ("top", "second", "third")] == [
        "Workshops",
        "Mentoring",
        "Peer learning",
    ]
