"""The chapter templates of report/chapters/ render with computed key figures (StrictUndefined).

The context is built the way the pipeline builds it (aggregates and key figures of a
processed fixture, the figures manifest, the processed tables), so an undefined name, a
missing key figure or a broken cross-reference fails here with the template and line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from ktreport.aggregate import build_aggregates, key_figures, load_processed
from ktreport.catalog import FIGURE_IDS
from ktreport.chapters import build_context, write_chapters
from ktreport.core.io import read_aggregates, write_aggregates, write_key_figures
from ktreport.figures import build_figures, write_manifest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "report" / "chapters"
SMALL = Path(__file__).resolve().parent / "fixtures" / "processed" / "small"
BUILD = {"version": "test", "commit": "", "date": "2026-01-01", "raw_files": [], "tools": {}}


def render(processed: Path, work: Path, scale_counts: int = 1) -> dict[str, str]:
    """Aggregates, key figures and manifest of ``processed``, then every chapter; with
    ``scale_counts``, every non-zero whole count is multiplied by it first."""
    aggregates = build_aggregates(processed)
    figures = key_figures(aggregates, load_processed(processed))
    for record in figures.values():
        if record["unit"] == "count" and isinstance(record["value"], int) and record["value"]:
            record["value"] *= scale_counts
    write_aggregates(aggregates, work / "aggregates")
    write_key_figures(figures, work / "key_figures.json")
    specs = build_figures(read_aggregates(work / "aggregates"), figures)
    write_manifest(specs, work / "figures.json")
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    context = build_context(
        config=config,
        build=BUILD,
        key_figures=work / "key_figures.json",
        figures_manifest=work / "figures.json",
        aggregates_dir=work / "aggregates",
        processed_dir=processed,
    )
    written = write_chapters(CHAPTERS, context, work / "chapters")
    return {path.name: path.read_text(encoding="utf-8") for path in written}


@pytest.fixture(scope="module")
def chapters(tmp_path_factory) -> dict[str, str]:
    return render(SMALL, tmp_path_factory.mktemp("small"))


def test_every_chapter_renders_with_the_key_figures(chapters):
    names = sorted(p.name.removesuffix(".md.j2") for p in CHAPTERS.glob("*.md.j2"))
    assert [n.removesuffix(".qmd") for n in sorted(chapters)] == names
    assert len(chapters) >= 12  # summary, 7 chapters, annexes A–E
    for name, markdown in chapters.items():
        assert "{{" not in markdown and "{%" not in markdown, name
        assert "Undefined" not in markdown and "nan" not in re.findall(r"\w+", markdown), name


def test_every_figure_is_placed_once(chapters):
    everything = "\n".join(chapters.values())
    for figure_id in FIGURE_IDS:
        assert everything.count(f"::: {{#{figure_id}}}") == 1, figure_id
        assert f"@{figure_id}" in everything, f"{figure_id} is never referred to"


def test_numbers_in_the_prose_come_from_key_figures(chapters):
    summary = chapters["00-summary.qmd"]
    # The small fixture: 4 case studies, 12 interviews (5 / 4 / 2 / 1 by group).
    assert '[4]{data-kf="n_case_studies"' in summary
    assert '[12]{data-kf="n_interviews"' in summary
    assert '[5]{data-kf="n_group_hei_kt_professional"' in summary
    assert "[Negotiation]{data-kf=" in summary  # the most required skill
    gap = chapters["05-gap-analysis.qmd"]
    assert '{data-kf="gap_max_value"' in gap and "+33" in gap  # (7 − 3) / 12


def test_partner_text_is_escaped_as_literal_markdown(chapters):
    offer = chapters["03-training-offer.qmd"]
    # UH-C02 is a best practice called "IP *Basics* for <Researchers>".
    assert r"IP \*Basics\* for \<Researchers\>" in offer
    assert "<Researchers>" not in offer
    quotes = chapters["04-skills.qmd"]
    assert r"speak \*both\* languages" in quotes


def test_only_consented_quotes_appear(tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(SMALL, processed)
    quotes = processed / "quotes.csv"
    quotes.write_text(quotes.read_text() + "I10,kt_expert,IT,Off the record: do not cite me.\n")
    rendered = render(processed, tmp_path / "work")
    assert "Off the record" not in "\n".join(rendered.values())


def test_chapters_render_without_ratings(tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(SMALL, processed)
    (processed / "ratings.csv").unlink()
    rendered = render(processed, tmp_path / "work")
    assert "Borich ranking cannot be computed" in rendered["05-gap-analysis.qmd"]
    assert "no ratings are available" in rendered["02-methodology.qmd"]


def test_authors_notes_mark_what_to_refine(chapters):
    notes = sum(markdown.count("::: {.authors-note}") for markdown in chapters.values())
    assert notes >= 7
    for markdown in chapters.values():
        for block in markdown.split("::: {.authors-note}")[1:]:
            assert block.lstrip().startswith("**Authors: refine.**")


def test_no_words_glued_to_numbers(chapters):
    # A template line break swallowed by a block tag shows up as "[12]and" or "of[12]".
    for name, markdown in chapters.items():
        prose = re.sub(r"\{[^}]*\}", "", markdown)  # drop attributes {data-kf=…}, {#…}
        assert not re.findall(r"[\])][A-Za-z0-9]", prose), (
            name,
            re.findall(r".{20}[\])]\w.{10}", prose),
        )
        assert not re.findall(r"[A-Za-z0-9]\[", prose), (name, re.findall(r".{20}\w\[.{10}", prose))


def test_every_chapter_renders_when_the_counts_run_into_thousands(tmp_path):
    """A study of thousands (``ktreport synth --scale 100``: 3,000 rated interviewees):
    no sentence opens with a count too large to spell out (``sentence_number`` refuses
    1,000 and more), so every count of people is multiplied by 1,000 here."""
    written = render(SMALL, tmp_path, scale_counts=1000)
    assert len(written) >= 12
    assert "interviewees also rated skills" in written["02-methodology.qmd"]
