"""The sample's country briefs, end to end: one per country with at least min_cell (5)
interviewees, found from the data; 4-8 pages with the report's front matter and funding
statement; their numbers those of the country's own rows (counted here from the processed
CSVs, not taken from the pipeline); a change in one country's data rebuilds that brief only.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from pdf_pages import pages
from project_builds import built, copy_tree, environment, ktreport

from ktreport.render import external_resources

pytestmark = pytest.mark.e2e

BRIEFS = "report/output/briefs"
FUNDING = "Co-funded by the European Union"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    result = built("sample", tmp_path_factory)
    assert result.ok, result.explain()
    return result.tree


def _rows(tree: Path, table: str) -> list[dict[str, str]]:
    with (tree / "data" / "processed" / f"{table}.csv").open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def _countries(tree: Path) -> Counter:
    return Counter(row["country"] for row in _rows(tree, "interviews"))


def _text(path: Path) -> str:
    """An HTML page's text: no tags, entities decoded, white space collapsed."""
    body = path.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"</?span\b[^>]*>", "", body)  # the key figures' source spans
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_a_brief_for_each_country_with_at_least_five_interviewees(sample):
    counts = _countries(sample)
    countries = sorted(country for country, n in counts.items() if n >= 5)
    assert countries == ["FI", "IT", "PL"]  # the sample: 16, 16 and 7; 18 more with 1-2
    published = sorted(p.name for p in (sample / BRIEFS).iterdir())
    assert published == [f"KT_Skills_Brief_{c}{s}" for c in countries for s in (".html", ".pdf")]


def test_each_brief_is_4_to_8_pages_with_the_funding_statement(sample):
    for pdf in sorted((sample / BRIEFS).glob("*.pdf")):
        text = [page.text for page in pages(pdf)]
        assert 4 <= len(text) <= 8, f"{pdf.name}: {len(text)} pages"
        assert FUNDING in " ".join(text[0].split()), pdf.name
        assert "Country brief:" in text[0]


def test_the_print_version_needs_no_plotly_and_the_html_loads_nothing(sample):
    for country in ("FI", "IT", "PL"):
        printed = sample / "report" / "_build" / "briefs" / country / "print.html"
        assert "Plotly" not in printed.read_text(encoding="utf-8")
        page = (sample / BRIEFS / f"KT_Skills_Brief_{country}.html").read_text(encoding="utf-8")
        assert FUNDING in page
        assert external_resources(page) == [], country


def _most_required(tree: Path, country: str) -> tuple[str, int, int]:
    """By hand: the skill most often named as required in ``country`` (ties by label)."""
    ids = {r["interview_id"] for r in _rows(tree, "interviews") if r["country"] == country}
    labels = {r["skill_id"]: r["label"] for r in _rows(tree, "skills")}
    named = Counter(
        r["skill_id"]
        for r in _rows(tree, "interview_skills")
        if r["interview_id"] in ids and r["dimension"] == "required"
    )
    skill, count = min(named.items(), key=lambda item: (-item[1], labels[item[0]]))
    return labels[skill], count, len(ids)


def test_a_brief_s_numbers_are_those_of_its_country_s_rows(sample):
    total = sum(_countries(sample).values())
    for country in ("FI", "IT", "PL"):
        text = _text(sample / BRIEFS / f"KT_Skills_Brief_{country}.html")
        label, count, n = _most_required(sample, country)
        share = round(100 * n / total)
        assert f"{n} interviewees of {total} in the whole sample ({share} %)" in text, country
        assert (
            f"Most required skill. {label}, named as a requirement of the job by "
            f"{count} of {n} interviewees ({round(100 * count / n)} %)"
        ) in text, country


def _brief_jobs(tree: Path) -> set[str]:
    log = (tree / "logs" / "ktreport-build.log").read_text(encoding="utf-8")
    return set(re.findall(r"wildcards: brief=(\w+)", log))


def test_a_change_in_one_country_s_data_rebuilds_that_brief_only(sample, tmp_path):
    tree = copy_tree(sample, tmp_path / "project")
    published = {p.name: p.read_bytes() for p in (tree / BRIEFS).iterdir()}
    cases = tree / "data" / "raw" / "case_studies" / "UJ.csv"  # Jagiellonian University, PL
    text = cases.read_text(encoding="utf-8")
    old = "Technology transfer training for researchers"
    assert old in text
    cases.write_text(text.replace(old, "Technology transfer training for young researchers"))
    result = ktreport(tree, "build", "--cores", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _brief_jobs(tree) == {"PL"}
    now = {p.name: p.read_bytes() for p in (tree / BRIEFS).iterdir()}
    assert now["KT_Skills_Brief_FI.pdf"] == published["KT_Skills_Brief_FI.pdf"]
    assert now["KT_Skills_Brief_PL.pdf"] != published["KT_Skills_Brief_PL.pdf"]
    assert "young researchers" in _text(tree / BRIEFS / "KT_Skills_Brief_PL.html")
    # Made again from the same data, its figures drawn again by kaleido (no cache), the
    # Finnish brief has the same bytes.
    shutil.rmtree(tree / "report" / "_build" / "brief_figure_cache")
    staged = [f"report/_build/output/briefs/KT_Skills_Brief_FI{s}" for s in (".html", ".pdf")]
    _snakemake(tree, "--forcerun", "slice_briefs", "make_brief", *staged)
    drawn = (tree / "logs" / "slice_briefs.log").read_text(encoding="utf-8")
    assert re.search(r"\b(\d+) of \1 brief figures exported by kaleido", drawn), drawn
    for name in staged:
        assert (tree / name).read_bytes() == published[Path(name).name], name


def _snakemake(tree: Path, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "1", *args],
        cwd=tree,
        env=environment(tree),
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_briefs_none_plans_no_brief_job(sample, tmp_path):
    planned = _snakemake(
        copy_tree(sample, tmp_path / "project"), "--dry-run", "--config", "briefs=none"
    )
    assert "slice_briefs" not in planned and "brief=" not in planned


def test_partner_briefs_are_the_partners_with_five_interviewees(sample, tmp_path):
    tree = copy_tree(sample, tmp_path / "project")
    partners = Counter(row["partner_id"] for row in _rows(tree, "interviews"))
    expected = {partner for partner, n in partners.items() if n >= 5}
    assert expected == {"ASTP", "NETVAL", "SOPU", "UH", "UJ", "UNIBO"}
    # A dry run stops at the checkpoint (the briefs are known from its output): run it.
    _snakemake(tree, "slice_briefs", "--config", "briefs=partners")
    planned = _snakemake(tree, "--dry-run", "--config", "briefs=partners")
    assert set(re.findall(r"wildcards: brief=(\w+)", planned)) == expected


def test_briefs_switched_on_in_a_tree_built_without_them_are_built(sample, tmp_path):
    """A tree built with briefs: none has no slices; set back to countries, the next build
    makes and publishes the briefs (the guard's inputs wait on the checkpoint; until the
    default target named the checkpoint's output, Snakemake found nothing to do)."""
    tree = copy_tree(sample, tmp_path / "project")
    _snakemake(tree, "--config", "briefs=none")
    assert not list((tree / BRIEFS).glob("*.pdf")), "briefs: none publishes no brief"
    for made in ("data/processed/briefs", "report/_build/briefs", "report/_build/output/briefs"):
        shutil.rmtree(tree / made)  # as in a tree that never had briefs
    _snakemake(tree)
    published = sorted(p.name for p in (tree / BRIEFS).glob("*.pdf"))
    assert published == [f"KT_Skills_Brief_{c}.pdf" for c in ("FI", "IT", "PL")]
