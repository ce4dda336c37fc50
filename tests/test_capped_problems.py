"""Bounded problem lists (issue 17, finding 3): a column of a file lists its first problems in
full, and the rest in one line per kind, with their count and rows.

The 20 MB file of the finding (2,000 rows of 10,000-character cells of unknown skills,
868,000 entries) took 11 min 52 s and 2.4 GB; measured by hand, not here. The files of these
tests are written at run time and small: the same summarising at 300 entries.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

from ktreport.ingest import suggestions
from ktreport.ingest.capped import MAX_LISTED_PER_COLUMN, ProblemCap, kind_of
from ktreport.ingest.validate import validate_raw

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
HEADER = (
    "interview_id,respondent_group,country,interview_date,years_experience,gender,"
    "skills_possessed,skills_required,skills_desirable,preferred_formats,quote,"
    "consent_to_quote,name,email,organisation,phone"
)
GENERIC_HINT = "use a skill_id, label or synonym of data/raw/skills_taxonomy.csv"


def raw_with_interviews(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    """A raw folder whose one interviews file has ``rows`` of (skills_possessed,
    skills_required); every other cell is valid."""
    raw = tmp_path / "raw"
    (raw / "interviews").mkdir(parents=True)
    for name in ("partners.csv", "skills_taxonomy.csv"):
        shutil.copy(RAW / name, raw / name)
    lines = [HEADER] + [
        f"UH-X{i:03d},hei_kt_professional,Finland,2023-05-25,4,male,{possessed},{required},"
        "empathy,Workshops,,no,,,,"
        for i, (possessed, required) in enumerate(rows)
    ]
    (raw / "interviews" / "UH.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return raw


def unknown_cell(start: int, count: int) -> str:
    return "; ".join(f"zzq unknown {n:04d}" for n in range(start, start + count))


def in_column(problems, column):
    return [p for p in problems if p.column == column]


def test_a_column_lists_its_first_problems_and_counts_the_rest_in_one_line(tmp_path):
    per_row, n_rows = 100, 3  # 300 unknown skills in rows 2-4 of skills_required
    rows = [("Team work", unknown_cell(r * per_row, per_row)) for r in range(n_rows)]
    raw = raw_with_interviews(tmp_path, rows)

    problems = in_column(validate_raw(raw, root=tmp_path).problems, "skills_required")

    listed = [p for p in problems if p.row is not None]
    summary = [p for p in problems if p.row is None]
    assert len(listed) == MAX_LISTED_PER_COLUMN == 200
    # The first 200 entries, in the file's order, with file:row:column and their value.
    assert (
        listed[0]
        .line()
        .startswith(
            "raw/interviews/UH.csv:2:skills_required: 'zzq unknown 0000' is not in the skills"
        )
    )
    assert [p.row for p in listed] == [2] * per_row + [3] * per_row
    assert listed[-1].message.startswith("'zzq unknown 0199'")
    assert len(summary) == 1
    more = n_rows * per_row - MAX_LISTED_PER_COLUMN
    assert summary[0].line() == (
        f"raw/interviews/UH.csv:skills_required: '…' is not in the skills taxonomy: {more} more "
        "in row 4 of this column, not listed one by one (its first 200 problems are) — "
        f"{GENERIC_HINT} (listed in docs/data-dictionary.md), or ask the coordinator to add "
        "the skill"
    )
    assert summary[0].severity == "error" and summary[0].value == ""


def test_the_count_says_thousands_and_the_range_of_rows(tmp_path):
    rows = [("Team work", unknown_cell(r * 500, 500)) for r in range(5)]  # rows 2-6
    raw = raw_with_interviews(tmp_path, rows)
    problems = in_column(validate_raw(raw, root=tmp_path).problems, "skills_required")
    (summary,) = [p for p in problems if p.row is None]
    assert ": 2,300 more in rows 2-6 of this column" in summary.message  # 2,500 - 200


def test_each_column_has_its_own_cap(tmp_path):
    rows = [(unknown_cell(9000, 5), unknown_cell(r * 150, 150)) for r in range(2)]
    raw = raw_with_interviews(tmp_path, rows)
    problems = validate_raw(raw, root=tmp_path).problems
    possessed = in_column(problems, "skills_possessed")
    assert len(possessed) == 10 and all(p.row in (2, 3) for p in possessed)
    required = in_column(problems, "skills_required")
    assert len(required) == MAX_LISTED_PER_COLUMN + 1
    assert "100 more in row 3 of this column" in required[0].message


def test_a_column_within_the_cap_is_listed_as_before(tmp_path):
    raw = raw_with_interviews(tmp_path, [("Team work", unknown_cell(0, 120))])
    problems = in_column(validate_raw(raw, root=tmp_path).problems, "skills_required")
    assert len(problems) == 120 and all(p.row == 2 for p in problems)


def test_counted_problems_get_no_suggestion_computed(tmp_path, monkeypatch):
    calls: list[str] = []
    real = difflib.get_close_matches

    def counted(word, possibilities, n=3, cutoff=0.6):
        calls.append(word)
        return real(word, possibilities, n=n, cutoff=cutoff)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    suggestions._cached_matches.cache_clear()
    # Row 2 fills the cap with one value typed 210 times; row 3's 50 new values are only
    # counted: within the file's budget of suggestions, but none is computed for them.
    rows = [
        ("Team work", "; ".join(["zzq unknown 0000"] * 210)),
        ("Team work", unknown_cell(1, 50)),
    ]
    raw = raw_with_interviews(tmp_path, rows)
    problems = in_column(validate_raw(raw, root=tmp_path).problems, "skills_required")
    assert "60 more in rows 2-3" in problems[0].message  # 10 of row 2, 50 of row 3
    assert [w for w in calls if w.startswith("zzqunknown")] == ["zzqunknown0000"]


def test_a_kind_masks_the_quoted_value_even_with_quotes_inside():
    assert kind_of("'O'Brien skills' is not in the skills taxonomy") == (
        "'…' is not in the skills taxonomy"
    )
    assert kind_of("there is no month 13") == "there is no month 13"


def test_kinds_beyond_the_limit_are_counted_together_as_other_problems():
    cap = ProblemCap("f.csv")
    for _ in range(MAX_LISTED_PER_COLUMN):
        cap.listed("c")
    for n in range(15):  # 15 kinds, 2 of each
        for row in (2, 3):
            cap.count(row, "c", "error", f"message kind {n}", "")
    summaries = cap.summaries()
    assert len(summaries) == 11
    other = summaries[-1]
    assert other.message.startswith("other problems: 10 more in rows 2-3")
