"""Small-cell protection: no number of fewer than ``min_cell`` interviewees is published.

The fixture ``processed/small_country`` is a hand-made sample of 10 interviews: Italy 7
(4 HEI professionals, 3 business professionals), Malta 3 (1 HEI professional, 2 KT
experts); 6 women, 4 men. Counted by hand, with min_cell 5:

* groups: HEI 5 is shown; business 3 and experts 2 are small (hidden, 2 cells adding up
  to 5: no more is needed); other 0 is shown;
* gender: men 4 is small; alone it would be 10 − 6: women 6 is withheld too;
* countries: Malta 3 is small; alone it would be 10 − 7: Italy's 7 is withheld too;
* Italy's row: HEI 4 and business 3 are small; Malta's row: HEI 1 and experts 2 small.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import jinja2
import pandas as pd
import pytest

from ktreport.aggregate import aggregate_processed, aggregate_tables, key_figures, load_processed
from ktreport.aggregate.disclosure import (
    COMPLEMENTARY,
    SMALL,
    classified,
    fewer_than,
    protect_aggregates,
    protect_key_figures,
    protect_table,
    respondent_kind,
    suppressed_cells,
    suppressed_figures,
)
from ktreport.chapters.environment import environment
from ktreport.chapters.keyfigures import load_key_figures
from ktreport.core.io import read_aggregates
from ktreport.guard import check_small_cells

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "processed"
SMALL_COUNTRY = FIXTURES / "small_country"


@pytest.fixture(scope="module")
def raw():
    tables = load_processed(SMALL_COUNTRY)
    aggregates = aggregate_tables(tables)
    return aggregates, key_figures(aggregates, tables)


def test_fewer_than_reads_as_prose():
    assert fewer_than(5) == "fewer than 5"
    assert fewer_than(10) == "fewer than 10"


def test_small_country_key_figures_are_suppressed_by_hand_count(raw):
    _, kf = raw
    protected = protect_key_figures(kf, 5)
    hidden = suppressed_figures(protected)
    assert protected["n_interviews"]["value"] == 10
    assert protected["n_group_hei_kt_professional"]["value"] == 5
    assert protected["n_group_other"]["value"] == 0
    assert hidden["n_group_business_kt_professional"] == SMALL
    assert hidden["n_group_kt_expert"] == SMALL
    assert hidden["n_gender_male"] == SMALL
    assert hidden["n_gender_female"] == COMPLEMENTARY
    assert "n_group_hei_kt_professional" not in hidden
    # A share goes with its count; the published denominator stays ("fewer than 5 of 10").
    share = protected["share_group_kt_expert"]
    assert share["value"] is None and share["suppressed"] and share["n"] is None
    assert share["denominator"] == 10
    assert share["definition"] == kf["share_group_kt_expert"]["definition"]
    # An answer over a group of 3 (business professionals) rests on 3 interviewees.
    assert hidden["top_required_business_kt_professional_skill_share"] == SMALL
    assert "top_required_hei_kt_professional_skill_share" not in hidden
    # The input is not changed.
    assert kf["n_group_kt_expert"]["value"] == 2


def test_case_studies_are_public_programmes_and_not_protected(raw):
    _, kf = raw
    protected = protect_key_figures(kf, 5)
    small_programme_counts = [
        name
        for name, record in kf.items()
        if name.startswith("n_case_studies_") and 0 < (record["value"] or 0) < 5
    ]
    assert small_programme_counts, "the fixture has small counts of programmes"
    for name in small_programme_counts:
        assert protected[name] == kf[name]
        assert respondent_kind(name) == "none"


def test_small_country_tables_are_suppressed_by_hand_count(raw):
    aggregates, _ = raw
    protected = protect_aggregates(aggregates, 5)
    wide = protected["interview_sample_table"].set_index("country")
    italy, malta = suppressed_cells(wide.loc["IT"]), suppressed_cells(wide.loc["MT"])
    assert italy == {
        "hei_kt_professional": SMALL,
        "business_kt_professional": SMALL,
        "total": COMPLEMENTARY,  # 10 − 7 would give Malta's 3
    }
    assert malta == {"hei_kt_professional": SMALL, "kt_expert": SMALL, "total": SMALL}
    assert pd.isna(wide.loc["IT", "total"]) and pd.isna(wide.loc["MT", "kt_expert"])
    assert wide.loc["IT", "kt_expert"] == 0 and wide.loc["MT", "business_kt_professional"] == 0
    by_country = protected["interviews_by_country"].set_index("country")
    assert suppressed_cells(by_country.loc["MT"]) == {"n": SMALL, "share": SMALL}
    assert suppressed_cells(by_country.loc["IT"]) == {"n": COMPLEMENTARY, "share": COMPLEMENTARY}
    # Tables of answers over all 10 interviewees are not touched.
    skills = protected["interview_skills_overall"]
    assert (skills["suppressed"] == "").all()
    assert skills["n"].tolist() == aggregates["interview_skills_overall"]["n"].tolist()


def test_a_part_recoverable_by_subtraction_is_withheld():
    """Groups of 24/18/12/3 of 57: the 3 alone would be 57 − 24 − 18 − 12."""
    groups = {"hei_kt_professional": 24, "business_kt_professional": 18, "kt_expert": 12}
    groups["other"] = 3
    kf = {"n_interviews": {"value": 57, "n": None, "denominator": None, "unit": "count"}}
    for group, n in groups.items():
        kf[f"n_group_{group}"] = {"value": n, "n": None, "denominator": None, "unit": "count"}
    hidden = suppressed_figures(protect_key_figures(kf, 5))
    assert hidden == {"n_group_other": SMALL, "n_group_kt_expert": COMPLEMENTARY}
    # The same in a table: the rows of a column add up to a published total.
    frame = pd.DataFrame({"group": list(groups), "n": list(groups.values())})
    protected = protect_table(frame, ["n"], None, 5, lines=[("rows", (), "n")])
    assert protected["suppressed"].tolist() == ["", "", "n=complementary", "n=small"]
    assert protected["n"].tolist()[:2] == [24, 18]


def test_two_small_parts_that_add_up_to_less_than_min_cell_take_a_third():
    """1 + 2 = 3 < 5 hidden: the reader would know both are 1 or 2; the 10 goes too."""
    frame = pd.DataFrame({"n": [40, 10, 2, 1]})
    protected = protect_table(frame, ["n"], None, 5, lines=[("rows", (), "n")])
    assert protected["suppressed"].tolist() == ["", "n=complementary", "n=small", "n=small"]


def test_min_cell_one_publishes_everything(raw, tmp_path):
    aggregates, kf = raw
    assert protect_key_figures(kf, 1) == kf
    for name, frame in protect_aggregates(aggregates, 1).items():
        assert frame.drop(columns="suppressed", errors="ignore").equals(aggregates[name])
    figures = aggregate_processed(SMALL_COUNTRY, tmp_path / "agg", tmp_path / "kf.json", 1)
    assert figures["n_group_kt_expert"]["value"] == 2
    assert figures["min_cell"]["value"] == 1


def test_every_key_figure_is_classified(raw):
    """A new key figure must be put in one list of disclosure (who, answers, none)."""
    _, kf = raw
    tables = load_processed(FIXTURES / "small")
    names = set(kf) | set(key_figures(aggregate_tables(tables), tables)) | {"min_cell"}
    assert [name for name in sorted(names) if not classified(name)] == []


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    work = tmp_path_factory.mktemp("small_country")
    aggregate_processed(SMALL_COUNTRY, work / "aggregates", work / "key_figures.json", 5)
    return work


def _render(source: str, work: Path) -> str:
    kf = load_key_figures(work / "key_figures.json")
    env = environment(work, min_cell=kf["min_cell"].value)
    return env.from_string(source).render(kf=kf, tables=read_aggregates(work / "aggregates"))


def test_suppressed_counts_read_as_fewer_than_in_prose(written):
    text = _render(
        "{{ plural(kf.n_group_kt_expert, 'KT expert') }} and "
        "{{ plural(kf.n_group_hei_kt_professional, 'HEI professional') }}. "
        "{{ kf.n_group_kt_expert | sentence_number }} of them. "
        "Share {{ kf.share_group_kt_expert }}, {{ kf.share_group_kt_expert | pct }}; "
        "{{ n_of(kf.n_group_kt_expert, kf.n_interviews) }}.",
        written,
    )
    assert "[fewer than 5]{" in text and "KT experts and" in text
    assert "[5]{" in text and "HEI professionals" in text
    assert "[Fewer than 5]{" in text
    assert text.count("[not shown]{") == 2
    assert re.search(r"\[fewer than 5\]\{[^}]*\} of \[10\]\{", text)
    assert "fewer than 5 interviewees; small-cell protection" in text  # the tooltip
    assert not any(f"[{n}]" in text for n in (1, 2, 3, 4))


def test_comparisons_with_suppressed_values(written):
    assert _render("{{ 'yes' if kf.n_group_kt_expert > 0 else 'no' }}", written) == "yes"
    assert _render("{{ 'yes' if kf.n_group_kt_expert < 5 else 'no' }}", written) == "yes"
    assert _render("{{ 'yes' if kf.n_group_kt_expert > 2 else 'no' }}", written) == "no"
    assert _render("{{ 'yes' if kf.share_group_kt_expert > 0 else 'no' }}", written) == "no"
    with pytest.raises(jinja2.UndefinedError, match="small-cell protection"):
        _render("{{ kf.n_group_kt_expert + 1 }}", written)


def test_protected_table_cells_and_caption(written):
    text = _render(
        "{{ table(tables.interview_sample_table, 'tbl-x', 'By country', "
        "columns={'country_name': 'Country', 'hei_kt_professional': 'HEI', "
        "'kt_expert': 'Experts', 'total': 'Total'}) }}",
        written,
    )
    malta = next(line for line in text.splitlines() if "Malta" in line)
    italy = next(line for line in text.splitlines() if "Italy" in line)
    small = "[\\<\u00a05]{.nowrap}"  # "< 5", the "<" escaped for Markdown

    def cells(line: str) -> list[str]:
        return [c.strip() for c in line.strip("|").split("|")]

    assert cells(malta) == ["[Malta]{.nowrap}", small, small, small]
    assert cells(italy) == ["[Italy]{.nowrap}", small, "[0]{.nowrap}", "[c]{.nowrap}"]
    note = text.split(":::")[1]  # the note under the table, not in the caption
    assert note.startswith(" {.table-note}\nSmall-cell protection. \\< 5\\: fewer than 5 ")
    assert "c\\: withheld" in note and "By country" not in note


def test_protected_files_hold_no_small_count(written):
    kf = json.loads((written / "key_figures.json").read_text(encoding="utf-8"))
    assert kf["n_group_kt_expert"]["value"] is None and kf["min_cell"]["value"] == 5
    wide = pd.read_csv(written / "aggregates" / "interview_sample_table.csv")
    assert math.isnan(wide.set_index("country").loc["MT", "total"])
    assert check_small_cells([written / "key_figures.json"], 5) == []


def test_guard_refuses_unprotected_key_figures(raw, tmp_path):
    _, kf = raw
    path = tmp_path / "key_figures.json"
    path.write_text(json.dumps(kf), encoding="utf-8")
    found = {cell.where for cell in check_small_cells([path], 5)}
    assert "key figure 'n_group_kt_expert'" in found
    assert "key figure 'n_gender_male'" in found
    assert "key figure 'n_group_hei_kt_professional'" not in found
    assert check_small_cells([path], 1) == []


def test_guard_refuses_a_part_left_to_subtraction(raw, tmp_path):
    _, kf = raw
    protected = protect_key_figures(kf, 5)
    protected["n_gender_female"] = kf["n_gender_female"]  # 10 − 6 gives the 4 men back
    path = tmp_path / "key_figures.json"
    path.write_text(json.dumps(protected), encoding="utf-8")
    [cell] = check_small_cells([path], 5)
    assert cell.where == "key figure 'n_gender_male'" and "subtraction" in cell.why
    assert "n_interviews" in cell.message()


def test_guard_refuses_a_small_count_in_the_html_and_csv(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(
        '<p><span data-kf="n_group_other" title="x">3</span> others, '
        '<span data-kf="n_group_kt_expert" title="x">fewer than 5</span> experts, '
        '<span data-kf="n_required_negotiation" title="x">4</span> need it.</p>',
        encoding="utf-8",
    )
    table = tmp_path / "interviews_by_country.csv"
    table.write_text("country,n,share\nIT,7,0.7\nMT,3,0.3\n", encoding="utf-8")
    found = sorted(cell.message() for cell in check_small_cells([page, table], 5))
    assert found == [
        f"{table.as_posix()}: row 3, column 'n' counts fewer than 5 interviewees",
        f"{page.as_posix()}: key-figure span 'n_group_other' shows fewer than 5 interviewees",
    ]


def test_every_chapter_renders_the_small_country_protected(written, tmp_path):
    """Aggregate (min_cell 5) → figures → every chapter of report/chapters/: the report
    renders, says "fewer than 5" and shows none of Malta's numbers."""
    import yaml

    from ktreport.chapters import build_context, write_chapters
    from ktreport.figures import build_figures, write_manifest

    root = Path(__file__).resolve().parents[1]
    figures = json.loads((written / "key_figures.json").read_text(encoding="utf-8"))
    specs = build_figures(read_aggregates(written / "aggregates"), figures)
    sample = next(spec for spec in specs if spec.id == "fig-interview-sample")
    assert "Small-cell protection" in sample.caption and "hatched" in sample.caption
    write_manifest(specs, tmp_path / "figures.json")
    context = build_context(
        config=yaml.safe_load((root / "config.yaml").read_text(encoding="utf-8")),
        build={"version": "test", "commit": "", "date": "2026-01-01", "raw_files": [], "tools": {}},
        key_figures=written / "key_figures.json",
        figures_manifest=tmp_path / "figures.json",
        aggregates_dir=written / "aggregates",
        processed_dir=SMALL_COUNTRY,
    )
    chapters = write_chapters(root / "report" / "chapters", context, tmp_path / "chapters")
    text = "\n".join(path.read_text(encoding="utf-8") for path in chapters)
    assert "fewer than 5" in text
    skills = next(p for p in chapters if "skills" in p.name).read_text(encoding="utf-8")
    signatures = [i for i, line in enumerate(skills.splitlines()) if line.startswith("> — ")]
    assert signatures, "the small country's quotes are shown"
    for i in signatures:  # each quote is signed by its group alone (Italy: 4 and 3)
        assert skills.splitlines()[i] in (
            "> — KT professional in higher education",
            "> — KT professional in business",
        )
        assert skills.splitlines()[i + 1] == ""
    annex = next(p for p in chapters if "interview-sample" in p.name).read_text(encoding="utf-8")
    malta = next(line for line in annex.splitlines() if "Malta" in line)
    assert "<\u00a05" in malta and not re.search(r"\[[1-4]\]", malta)
    html = tmp_path / "page.html"
    html.write_text(
        re.sub(r"\[([^\]]*)\]\{data-kf=\"([^\"]+)\"[^}]*\}", r'<span data-kf="\2">\1</span>', text),
        encoding="utf-8",
    )
    assert check_small_cells([written / "key_figures.json", html], 5) == []


def test_small_countries_are_pooled_then_protected():
    """A 10 (6 HEI, 4 business), B 2 (HEI), C 1 (business), D 3 (1 HEI, 2 experts).
    B, C, D pool into Other countries: HEI 3, business 1, experts 2, total 6. A's 4 is
    small and alone in its row (10 − 6 would give it): A's 6 is withheld."""
    from ktreport.aggregate.disclosure_tables import TABLE_RULES, pool_small_rows

    groups = ["hei_kt_professional", "business_kt_professional", "kt_expert", "other"]
    rows = [("A", 6, 4, 0), ("B", 2, 0, 0), ("C", 0, 1, 0), ("D", 1, 0, 2)]
    frame = pd.DataFrame(
        [
            {
                "country": c,
                "country_name": c,
                "region": "Europe",
                **dict(zip(groups[:3], v, strict=True)),
                "other": 0,
            }
            for c, *v in rows
        ]
    )
    frame["total"] = frame[groups].sum(axis=1)
    rule = TABLE_RULES["interview_sample_table"]
    pooled = pool_small_rows(frame, [*groups, "total"], 5)
    assert pooled["country_name"].tolist() == ["A", "Other countries (3, fewer than 5 each)"]
    assert pooled.iloc[1][[*groups, "total"]].tolist() == [3, 1, 2, 0, 6]
    protected = protect_table(pooled, rule.counts, None, 5, lines=rule.lines)
    assert suppressed_cells(protected.iloc[0]) == {
        "hei_kt_professional": COMPLEMENTARY,
        "business_kt_professional": SMALL,
    }
    assert suppressed_cells(protected.iloc[1]) == {
        "hei_kt_professional": SMALL,
        "business_kt_professional": SMALL,
        "kt_expert": SMALL,
    }
    assert protected["total"].tolist() == [10, 6]


def test_a_quote_does_not_name_the_country_of_a_small_group(raw):
    """Italy has 4 HEI and 3 business professionals, each of whom gave a quote: with
    min_cell 4 the HEI quote keeps "Italy", the business one loses it; with 5 both do."""
    aggregates, _ = raw
    assert aggregates["quotes"]["country_name"].tolist() == ["Italy", "Italy"]
    four = protect_aggregates(aggregates, 4)["quotes"].set_index("interview_id")
    assert four.loc["I02", "country_name"] == "Italy"
    assert four.loc["I07", "country_name"] is None and four.loc["I07", "country"] is None
    five = protect_aggregates(aggregates, 5)["quotes"]
    assert five["country_name"].isna().all()
    assert five["quote"].tolist() == aggregates["quotes"]["quote"].tolist()
