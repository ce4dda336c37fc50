"""Injection is inert (issue 6 §2): partner text that looks like HTML, Markdown, jinja, pandoc
or CSS appears in the HTML and the PDF as the literal text the partner typed; no script of
theirs runs, nothing remote is referenced, no template code is evaluated, and a ``url`` is
accepted only when it is http(s).

The end-to-end tests build a copy of the project whose UH files carry the rows of
tests/fixtures/hostile/injection_rows/ (see its README)."""

from __future__ import annotations

import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from project_builds import HTML, PDF, append_rows, built, hostile_fixture_rows

from conftest import FIXTURES, RAW, ROOT
from ktreport.ingest.validate import validate_raw
from ktreport.render.assemble import PLOTLY_CONFIG, external_resources, plotly_js
from ktreport.render.charts import SCRIPT, script_json

HOSTILE = FIXTURES / "hostile"
# The free-text columns of the hostile rows, and what the report must show for each value.
TEXT_COLUMNS = {"case_studies": ("programme", "provider", "notes", "url"), "interviews": ("quote",)}
# Where the chapters print partner text today: these must be found (else the test proves
# nothing); the other columns are checked wherever they appear.
MUST_BE_SHOWN = ("HXPROG1", "HXPROG2", "HXPROV1", "HXPROV2", "HXQUOTE1")


def _ws(text: str) -> str:
    return " ".join(text.split())


class Page(HTMLParser):
    """An HTML document as the tests look at it: visible text, scripts, elements."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self._raw: tuple[str, dict[str, str | None], list[str]] | None = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag in ("script", "style"):
            self._raw = (tag, attributes, [])
        elif tag in ("p", "td", "th", "li", "div", "br", "tr"):
            self.text.append("\n")

    def handle_endtag(self, tag):
        if self._raw is not None and tag == self._raw[0]:
            if tag == "script":
                self.scripts.append((self._raw[1], "".join(self._raw[2])))
            self._raw = None

    def handle_data(self, data):
        if self._raw is not None:
            self._raw[2].append(data)
        else:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return _ws("".join(self.text))


def expected_texts() -> dict[str, str]:
    """Marker -> the whole cell as the report must show it (quotes anonymised as cleaning
    does: the interviewee's own name and organisation replaced)."""
    expected = {}
    for table, columns in TEXT_COLUMNS.items():
        for row in hostile_fixture_rows(table):
            for column in columns:
                value = row[column]
                if column == "quote":
                    if row["consent_to_quote"] != "yes":
                        continue
                    value = value.replace(row["name"], "[name]")
                    value = value.replace(row["organisation"], "[organisation]")
                marker = value.split()[0] if value.startswith("HX") else value
                expected[marker] = _ws(value)
    return expected


def _pdf_plain(text: str) -> str:
    """PDF text for comparison: line breaks and hyphenation of table cells removed."""
    return re.sub(r"[\s\u00ad\-‐]", "", text)


# --------------------------------------------------------------------------- without a build
@pytest.fixture(scope="module")
def raw_with_bad_urls(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("bad-urls") / "raw"
    shutil.copytree(RAW, raw)
    append_rows(raw / "case_studies" / "UH.csv", HOSTILE / "url_not_http" / "case_studies.csv")
    return raw


def test_a_url_that_is_not_http_is_an_error_at_its_row_and_column(raw_with_bad_urls):
    result = validate_raw(raw_with_bad_urls, root=raw_with_bad_urls.parent)
    bad = {
        p.value
        for p in result.problems
        if p.file.endswith("case_studies/UH.csv") and p.column == "url" and p.severity == "error"
    }
    rows = hostile_fixture_rows_of("url_not_http")
    refused = {r["url"].strip() for r in rows if not r["case_id"].endswith("OK")}
    assert refused <= {v.strip() for v in bad}, f"not refused: {refused - bad}"
    accepted = {r["url"] for r in rows if r["case_id"].endswith("OK")}
    assert not (accepted & bad)
    assert not result.ok


def hostile_fixture_rows_of(case: str) -> list[dict[str, str]]:
    import csv

    with (HOSTILE / case / "case_studies.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


# --------------------------------------------------------------------------- the hostile build
@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    build = built("hostile", tmp_path_factory)
    assert build.ok, build.explain()
    return build


@pytest.fixture(scope="module")
def page(hostile) -> Page:
    return Page((hostile.tree / HTML).read_text(encoding="utf-8"))


@pytest.mark.e2e
def test_the_only_scripts_are_plotly_and_the_figure_data_we_put_there(page):
    library = hashlib.sha256(plotly_js().encode()).hexdigest()
    init = (ROOT / "report" / SCRIPT).read_text(encoding="utf-8")
    kinds = []
    for attributes, body in page.scripts:
        assert "src" not in attributes, f"a script loads {attributes['src']}"
        if attributes.get("id") == "ktreport-plotly-config":
            assert attributes.get("type") == "application/json"
            assert body == script_json(PLOTLY_CONFIG)
            kinds.append("config")
        elif attributes.get("type") == "application/json":
            assert attributes.get("class") == "plotly-data"
            kinds.append("figure data")
        elif hashlib.sha256(body.encode()).hexdigest() == library:
            kinds.append("plotly.js")
        else:
            assert body == init, f"an unexpected script runs: {body[:200]!r}"
            kinds.append("figure init")
    assert kinds.count("plotly.js") == 1 and kinds.count("figure init") == 1
    assert kinds.count("config") == 1
    assert kinds.count("figure data") >= 1


@pytest.mark.e2e
def test_no_element_carries_an_event_handler_or_a_javascript_url(page):
    for tag, attributes in page.elements:
        for name, value in attributes.items():
            assert not name.startswith("on"), f"<{tag} {name}=…> would run script"
            assert "javascript:" not in (value or "").lower().replace(" ", ""), f"<{tag} {name}>"
        assert tag not in ("iframe", "object", "embed", "base", "form", "frame")
        if tag == "meta":
            assert (attributes.get("http-equiv") or "").lower() != "refresh"


@pytest.mark.e2e
def test_nothing_remote_is_referenced_and_links_are_http_or_internal(hostile, page):
    markup = (hostile.tree / HTML).read_text(encoding="utf-8")
    assert external_resources(markup) == []
    for tag, attributes in page.elements:
        if tag == "a" and attributes.get("href"):
            href = attributes["href"]
            assert href.startswith(("#", "http://", "https://")), f"link to {href}"
            assert "evil.example" not in href
        for name in ("src", "srcset", "poster", "data", "xlink:href"):
            value = attributes.get(name) or ""
            assert not value or value.startswith(("data:", "#")), f"<{tag} {name}={value[:80]}>"
    styles = re.findall(r"<style\b[^>]*>(.*?)</style>", markup, re.DOTALL | re.IGNORECASE)
    assert styles and not any("evil.example" in css for css in styles)


@pytest.mark.e2e
def test_partner_text_appears_in_the_html_exactly_as_typed(page):
    text = page.visible
    shown = [marker for marker in expected_texts() if marker in text]
    assert set(MUST_BE_SHOWN) <= set(shown), f"the report no longer shows {MUST_BE_SHOWN}"
    for marker, expected in expected_texts().items():
        if marker in text:
            assert expected in text, f"{marker} is not shown as typed"


@pytest.mark.e2e
def test_template_code_in_partner_text_is_not_evaluated(hostile, page):
    text = page.visible
    # Every {{ 7*7 }} typed stays; "HXEVAL" only ever appears inside its {% if %} block.
    assert text.count("HXEVAL") == text.count("{% if true %}HXEVAL{% endif %}") > 0
    for marker, expected in expected_texts().items():
        for start in [m.start() for m in re.finditer(re.escape(marker), text)]:
            assert text[start : start + len(expected)] == expected
    chapters = "".join(
        p.read_text(encoding="utf-8") for p in (hostile.tree / "report/_build/chapters").iterdir()
    )
    assert "{{ 7*7 }}" not in chapters  # in the Markdown it is escaped: \{\{ 7\*7 \}\}
    assert r"\{\{ 7\*7 \}\}" in chapters


@pytest.mark.e2e
def test_the_pdf_shows_partner_text_as_typed_and_holds_no_script_or_remote_link(hostile, page):
    from pypdf import PdfReader

    reader = PdfReader(str(hostile.tree / PDF))
    text = _pdf_plain("\n".join(page_.extract_text() or "" for page_ in reader.pages))
    for marker in MUST_BE_SHOWN:
        assert _pdf_plain(expected_texts()[marker]) in text, f"{marker} not as typed in the PDF"
    raw = (hostile.tree / PDF).read_bytes()
    for name in (b"/JavaScript", b"/JS ", b"/Launch", b"/SubmitForm", b"/ImportData"):
        assert name not in raw
    for page_ in reader.pages:
        for annotation in page_.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = str(action.get("/URI") or "")
            assert not uri or uri.startswith(("http://", "https://")), uri
            assert "evil.example" not in uri


@pytest.mark.e2e
def test_a_quote_without_consent_is_nowhere_and_a_consented_one_is_anonymised(hostile, page):
    assert "HXQUOTE1 [name] of [organisation] says:" in page.visible
    rows = {r["interview_id"]: r for r in hostile_fixture_rows("interviews")}
    secret_quote = rows["A-HX-I92"]["quote"]
    outputs = [hostile.tree / HTML, *sorted((hostile.tree / "data/processed").glob("*.csv"))]
    outputs += sorted((hostile.tree / "report/_build/chapters").glob("*.qmd"))
    for path in outputs:
        content = path.read_text(encoding="utf-8")
        assert "HXQUOTE2" not in content, f"{path.name} holds a quote given without consent"
        assert secret_quote[:40] not in content
        for row in rows.values():
            for column in ("name", "email", "organisation", "phone"):
                assert row[column] not in content, f"{path.name} holds a {column}"
