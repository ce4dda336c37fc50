"""taxonomy: skills match by id, label or synonym whatever the spelling; unknown ones get help."""

from __future__ import annotations

from pathlib import Path

import pytest

from ktreport.contract import SKILL_CATEGORIES
from ktreport.ingest.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
TAXONOMY = ROOT / "data" / "raw" / "skills_taxonomy.csv"
HEADER = "skill_id,label,category,cluster,framework,synonyms\n"


@pytest.fixture(scope="module")
def taxonomy():
    taxonomy, problems = load_taxonomy(TAXONOMY, "data/raw/skills_taxonomy.csv")
    assert problems == []
    return taxonomy


def test_the_shipped_taxonomy_has_the_37_skills_of_the_issue(taxonomy):
    assert len(taxonomy) == 37
    categories = [s.category for s in taxonomy.skills.values()]
    assert categories.count("soft") == 22
    assert categories.count("hard") == 15
    assert set(categories) <= set(SKILL_CATEGORIES)


@pytest.mark.parametrize(
    ("written", "skill_id"),
    [
        ("conflict_resolution", "conflict_resolution"),
        ("Conflict resolution", "conflict_resolution"),
        ("CONFLICT-RESOLUTION", "conflict_resolution"),
        ("  conflict   resolution. ", "conflict_resolution"),
        ("managing conflict", "conflict_resolution"),
        ("Négotiation", "negotiation"),
        ("team work", "teamwork"),
        ("R&D contracts", "contracts"),
        ("Alliance and partnership building", "alliance_building"),
        ("IP management", "ip_management"),
    ],
)
def test_a_skill_matches_by_id_label_or_synonym_in_any_spelling(taxonomy, written, skill_id):
    assert taxonomy.match(written) == skill_id


def test_an_unknown_skill_suggests_the_closest_label(taxonomy):
    assert taxonomy.match("negociation") is None
    message, hint = taxonomy.unknown("negociation")
    assert f"{message} — {hint}" == (
        "'negociation' is not in the skills taxonomy — did you mean 'Negotiation'?"
    )


def test_an_unknown_skill_far_from_all_says_where_the_list_is(taxonomy):
    message, hint = taxonomy.unknown("basket weaving")
    assert message == "'basket weaving' is not in the skills taxonomy"
    assert "data/raw/skills_taxonomy.csv" in hint


def test_a_spelling_that_names_two_skills_is_reported(tmp_path):
    path = tmp_path / "skills_taxonomy.csv"
    path.write_text(
        HEADER + "a_skill,A skill,soft,,,shared name\nb_skill,B skill,hard,,,Shared-Name\n",
        encoding="utf-8",
    )
    taxonomy, problems = load_taxonomy(path, "t.csv")
    assert [p.line() for p in problems] == [
        "t.csv:3:synonyms: 'Shared-Name' already names the skill 'a_skill' — a spelling can "
        "name one skill only: remove it from one of the two rows"
    ]
    assert taxonomy.match("shared name") == "a_skill"


def test_bad_taxonomy_rows_are_reported_and_left_out(tmp_path):
    path = tmp_path / "skills_taxonomy.csv"
    path.write_text(
        HEADER
        + "Bad Id,Label,soft,,,\n"
        + "ok,Ok,medium,,,\n"
        + "fine,Fine,hard,,,\n"
        + "fine,Fine again,hard,,,\n",
        encoding="utf-8",
    )
    taxonomy, problems = load_taxonomy(path, "t.csv")
    assert [(p.row, p.column) for p in problems] == [
        (2, "skill_id"),
        (3, "category"),
        (5, "skill_id"),
    ]
    assert list(taxonomy.skills) == ["fine"]
