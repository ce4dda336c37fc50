"""End to end: the sample report, built from a copy of the project, says what the raw data say.

The expected numbers are computed here straight from the partners' raw files with plain
pandas (not with the pipeline's readers or aggregation), so a pipeline bug that changes a
count shows up as a mismatch with the PDF text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from project_builds import HTML, KEY_FIGURES, PDF, built
from pypdf import PdfReader

from conftest import RAW

pytestmark = pytest.mark.e2e


def _header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower().rstrip("*").strip())


def _read_raw(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        delimiter = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;").delimiter
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False)
    else:
        frame = pd.read_excel(path, dtype=str, engine="calamine", keep_default_na=False)
    frame.columns = [_header(c) for c in frame.columns]
    return frame[frame.apply(lambda row: any(str(v).strip() for v in row), axis=1)]


def _raw_table(table: str) -> pd.DataFrame:
    files = sorted((RAW / table).glob("*.*"))
    return pd.concat([_read_raw(path) for path in files if path.name != "README.md"])


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _skill_names() -> dict[str, str]:
    """Every spelling the taxonomy allows (id, label, synonyms), folded -> skill_id."""
    names: dict[str, str] = {}
    with (RAW / "skills_taxonomy.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            for name in [row["skill_id"], row["label"], *row["synonyms"].split(";")]:
                names[_fold(name)] = row["skill_id"]
    return names


def _pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    # Undo hyphenation at line ends and fold whitespace (incl. no-break spaces).
    text = re.sub(r"[\u2010\u00ad-]\n", "", text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    result = built("sample", tmp_path_factory)
    assert result.ok, result.explain()
    return result.tree


@pytest.fixture(scope="module")
def pdf_text(sample) -> str:
    return _pdf_text(sample / PDF)


def test_pdf_states_the_sample_size_and_the_group_split(pdf_text):
    cases = _raw_table("case_studies")
    interviews = _raw_table("interviews")
    # Partners write the group as its code or as its words ("HEI KT professional").
    groups = Counter(re.sub(r"\s+", "_", g.strip().lower()) for g in interviews["respondent_group"])
    assert len(cases) == 30 and len(interviews) == 60  # the sample the issue asks for

    assert f"{len(cases)} case studies" in pdf_text
    assert f"{len(interviews)} in-depth interviews" in pdf_text
    split = (
        f"{groups['hei_kt_professional']} KT professionals in higher education, "
        f"{groups['business_kt_professional']} KT professionals in business and "
        f"{groups['kt_expert']} KT experts"
    )
    assert (groups["hei_kt_professional"], groups["business_kt_professional"]) == (24, 18)
    assert groups["kt_expert"] == 12
    assert split in pdf_text


def test_pdf_states_the_largest_gap_computed_from_the_raw_interviews(pdf_text):
    interviews = _raw_table("interviews")
    names = _skill_names()

    def counts(column: str) -> Counter:
        mentioned: Counter = Counter()
        for cell in interviews[column]:
            skills = {names[_fold(s)] for s in str(cell).split(";") if _fold(s)}
            mentioned.update(skills)
        return mentioned

    required, possessed = counts("skills_required"), counts("skills_possessed")
    n = len(interviews)
    gaps = {skill: (required[skill] - possessed[skill]) / n for skill in required}
    top = max(gaps, key=lambda skill: (gaps[skill], skill))
    with (RAW / "skills_taxonomy.csv").open(encoding="utf-8") as stream:
        label = {row["skill_id"]: row["label"] for row in csv.DictReader(stream)}

    sentence = (
        f"{label[top]}: required by {required[top]} of {n} interviewees but possessed by "
        f"only {possessed[top]}, a gap of +{round(gaps[top] * 100)} percentage points"
    )
    assert sentence in pdf_text


def test_every_figure_has_alt_text_written_from_the_data(sample):
    manifest = json.loads((sample / "report/_build/figures/figures.json").read_text())
    html = (sample / HTML).read_text(encoding="utf-8")
    assert len(manifest) >= 9
    for figure in manifest:
        assert len(figure["alt"]) > 40, figure["id"]
        assert re.search(r"\d", figure["alt"]), f"{figure['id']}: alt text names no number"
        escaped = figure["alt"].replace("&", "&amp;").replace('"', "&quot;")
        assert escaped[:60] in html or figure["alt"][:60] in html, figure["id"]


def test_no_placeholder_or_error_text_in_either_output(sample, pdf_text):
    html_text = re.sub(
        r"<script.*?</script>", "", (sample / HTML).read_text(encoding="utf-8"), flags=re.S
    )
    for text, where in ((pdf_text, "PDF"), (html_text, "HTML")):
        for marker in ("??", "{{", "}}", "{%", "@fig-", "@tbl-", "@sec-", "Error", "nan %", "None"):
            assert marker not in text, f"{marker!r} in the {where}"


class _Resources(HTMLParser):
    """src/href of scripts, styles, images, media and fonts (not of ordinary links)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "source", "video", "audio", "iframe", "embed", "input"):
            self.urls.append(attrs.get("src") or "")
        if tag == "link":
            self.urls.append(attrs.get("href") or "")
        if tag == "object":
            self.urls.append(attrs.get("data") or "")
        if tag == "image" or tag == "use":  # inline SVG
            self.urls.append(attrs.get("href") or attrs.get("xlink:href") or "")
        self._in_style = tag == "style"
        if attrs.get("style"):
            self.styles.append(attrs["style"])

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def test_html_references_no_external_resource(sample):
    parser = _Resources()
    parser.feed((sample / HTML).read_text(encoding="utf-8"))
    external = [u for u in parser.urls if re.match(r"\s*(https?:)?//", u, flags=re.I)]
    assert not external
    css_urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", "\n".join(parser.styles))
    assert not [u for u in css_urls if re.match(r"\s*(https?:)?//", u, flags=re.I)]
    assert not [s for s in parser.styles if "@import" in s]


def test_plotly_js_is_embedded_once_and_every_figure_is_interactive(sample):
    html = (sample / HTML).read_text(encoding="utf-8")
    manifest = json.loads((sample / "report/_build/figures/figures.json").read_text())
    assert html.count("* plotly.js v") == 1
    for figure in manifest:
        assert f'id="{figure["id"]}-plot"' in html, figure["id"]
        assert f'data-target="{figure["id"]}-plot"' in html, figure["id"]


def test_key_figures_are_published_with_definitions(sample):
    figures = json.loads((sample / KEY_FIGURES).read_text(encoding="utf-8"))
    assert figures["n_interviews"]["value"] == 60
    assert figures["n_case_studies"]["value"] == 30
    assert all(entry["definition"] for entry in figures.values())


def test_pdf_is_a4_tagged_with_metadata(sample):
    reader = PdfReader(sample / PDF)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    meta = reader.metadata
    assert meta.title == "Knowledge Transfer Skills Investigation Report"
    assert meta.author and "keywords" in {k.lstrip("/").lower() for k in meta}
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.outline, "no PDF bookmarks"


def test_sample_notice_on_every_pdf_page(sample):
    reader = PdfReader(sample / PDF)
    for number, page in enumerate(reader.pages, start=1):
        assert "SAMPLE DATA" in (page.extract_text() or ""), f"page {number}"
