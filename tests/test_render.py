"""Rendering: the fixture report through pandoc (HTML) and WeasyPrint (PDF), as a reader
and a reviewer would check it."""

from __future__ import annotations

import base64
import html as html_lib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from ktreport import render
from ktreport.chapters import build_context, dump_context, write_chapters

ROOT = Path(__file__).resolve().parents[1]
REPORT_DIR = ROOT / "report"
FIXTURE = Path(__file__).parent / "fixtures" / "render" / "minimal_report"
FIGURES = FIXTURE / "figures"
NBSP = "\u00a0"

CONFIG = {
    "sample_data": True,
    "renderer": "pandoc",
    "report": {
        "title": "Knowledge Transfer Skills Investigation Report",
        "subtitle": "Skills that KT professionals have, need and are offered",
        "project": "KT SoftSkills",
        "consortium": ["University of Bologna (coordinator)", "ASTP"],
        "deliverable": "D2.1",
        "work_package": "WP2 Skills investigation",
        "authors": ["KT SoftSkills consortium"],
        "language": "en-GB",
        "keywords": ["knowledge transfer", "soft skills"],
        "version": "0.1",
    },
}
BUILD = {
    "version": "v1.0-test",
    "commit": "0" * 40,
    "date": "2024-05-02",
    "date_long": "2 May 2024",
    "datetime": "2024-05-02T10:30:00Z",
    "source_date_epoch": 1714645800,
    "data_fingerprint": "0123456789ab",
    "raw_files": [
        {
            "path": "data/raw/interviews/UH.csv",
            "table": "interviews",
            "partner": "UH",
            "rows": 60,
            "sha256": "a" * 64,
        },
    ],
    "tools": {"pandoc": "3.9", "weasyprint": "70.0"},
}


def make_context(build_dir: Path, *, sample_data: bool = True) -> dict:
    config = {**CONFIG, "sample_data": sample_data}
    return build_context(
        config=config,
        build=BUILD,
        key_figures=FIXTURE / "key_figures.json",
        figures_manifest=build_dir / "figures" / "figures.json",
        aggregates_dir=FIXTURE / "aggregates",
        processed_dir=FIXTURE / "processed",
    )


def prepare(
    build_dir: Path, *, sample_data: bool = True, chapters_dir: Path = FIXTURE / "chapters"
):
    """Figures into the build directory, chapters templated: (chapters, context)."""
    shutil.copytree(FIGURES, build_dir / "figures", dirs_exist_ok=True)
    context = make_context(build_dir, sample_data=sample_data)
    chapters = write_chapters(chapters_dir, context, build_dir / "chapters")
    # Render from the JSON dump, as the rule scripts do.
    dump_context(context, build_dir / "render_context.json")
    dumped = json.loads((build_dir / "render_context.json").read_text())
    return chapters, dumped


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("report")
    build_dir = base / "_build"
    chapters, context = prepare(build_dir)
    html_path = base / "output" / "report.html"
    pdf_path = base / "output" / "report.pdf"
    render.render_html(
        chapters, html_path, context=context, report_dir=REPORT_DIR, build_dir=build_dir
    )
    render.render_pdf(
        chapters, pdf_path, context=context, report_dir=REPORT_DIR, build_dir=build_dir
    )
    return {
        "base": base,
        "build_dir": build_dir,
        "chapters": chapters,
        "context": context,
        "html": html_path.read_text(encoding="utf-8"),
        "html_path": html_path,
        "pdf_path": pdf_path,
        "print_html": (build_dir / "print.html").read_text(encoding="utf-8"),
    }


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def pdf(built) -> PdfReader:
    return PdfReader(built["pdf_path"])


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return [page.extract_text() for page in pdf.pages]


# --------------------------------------------------------------------------- renderer choice
def test_auto_uses_quarto_only_when_it_is_on_path():
    assert render.choose_renderer("auto", which=lambda name: None) == "pandoc"
    assert render.choose_renderer("auto", which=lambda name: "/usr/bin/quarto") == "quarto"
    assert render.choose_renderer("pandoc", which=lambda name: "/usr/bin/quarto") == "pandoc"


def test_asking_for_a_missing_quarto_says_what_to_do():
    with pytest.raises(render.RenderProblem, match="quarto command is not installed.*renderer"):
        render.choose_renderer("quarto", which=lambda name: None)


def test_an_unknown_renderer_is_named():
    with pytest.raises(render.RenderProblem, match="renderer is 'latex'"):
        render.choose_renderer("latex")


# --------------------------------------------------------------------------- HTML
_RESOURCE = re.compile(
    r"<(?:script|link|img|source|iframe|video|audio)\b[^>]*\b(?:src|href)=[\"']?(https?:|//)",
    re.I,
)


def test_html_loads_no_external_resource(built):
    html = built["html"]
    assert render.external_resources(html) == []
    without_scripts = re.sub(r"(<script\b[^>]*>).*?</script>", r"\1", html, flags=re.S)
    assert not _RESOURCE.search(without_scripts)
    assert not re.search(r"url\(\s*[\"']?(https?:|//)", without_scripts)
    assert "@import" not in without_scripts


def test_external_resources_finds_what_a_browser_would_load():
    page = (
        '<link rel="stylesheet" href="https://cdn.example.org/x.css">'
        '<script src="http://cdn.example.org/plotly.js"></script>'
        '<img src="//example.org/a.png">'
        '<style>@font-face { src: url("https://fonts.example.org/f.woff2") }</style>'
        '<a href="https://www.example.org/programme">a hyperlink loads nothing</a>'
        '<img src="data:image/png;base64,AAAA">'
    )
    assert render.external_resources(page) == [
        "//example.org/a.png",
        "http://cdn.example.org/plotly.js",
        "https://cdn.example.org/x.css",
        "https://fonts.example.org/f.woff2",
    ]


def test_plotly_js_is_embedded_once_for_all_figures(built):
    html = built["html"]
    plotly_js = render.plotly_js()
    assert html.count(plotly_js[:200]) == 1
    assert html.count("Plotly.react(") == 1  # report.js, once
    assert len(re.findall(r'<script type="application/json" class="plotly-data"', html)) == 2


def test_each_figure_is_a_fixed_div_with_its_plotly_json(built):
    html = built["html"]
    for figure_id in ("fig-regions", "fig-gap"):
        assert f'<div class="plotly-figure" id="{figure_id}-plot"' in html
        match = re.search(rf'data-target="{figure_id}-plot"[^>]*>(.*?)</script>', html, flags=re.S)
        embedded = json.loads(match.group(1))
        original = json.loads((FIGURES / f"{figure_id}.json").read_text())
        assert embedded["data"] == original["data"]
        assert '"displayModeBar":false' in html and '"responsive":true' in html


def test_each_figure_has_a_static_svg_fallback_and_alt_text(built):
    html = built["html"]
    fallbacks = re.findall(
        r'<noscript><img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)" />', html
    )
    assert len(fallbacks) == 2
    data, alt = fallbacks[0]
    assert base64.b64decode(data) == (FIGURES / "fig-regions.svg").read_bytes()
    assert html_lib.unescape(alt) == "Bar chart: most programmes (18 of 30) are in Europe."


def test_figures_tables_and_sections_are_numbered_in_document_order(built):
    shown = visible_text(built["html"])
    assert re.search(r"Figure 1:\s+Programmes by region\.", shown)
    assert re.search(r"Figure 2:\s+Supply and demand of skills\.", shown)
    assert re.search(r"Table 1:\s+Interviews by respondent group", shown)
    html = built["html"]
    assert '<span class="header-section-number">1</span> Introduction' in html
    assert '<span class="header-section-number">2.1</span> Sample' in html
    assert '<span class="header-section-number">Annex A</span> Build information' in html
    assert '<h1 class="unnumbered">Executive summary</h1>' in html


def test_cross_references_resolve_to_links(built):
    html = built["html"]
    assert f'<a href="#fig-regions" class="xref">Figure{NBSP}1</a>' in html
    assert f'<a href="#fig-gap" class="xref">Figure{NBSP}2</a>' in html
    assert f'<a href="#tbl-groups" class="xref">Table{NBSP}1</a>' in html
    assert f'<a href="#sec-findings" class="xref">Section{NBSP}2</a>' in html
    assert f'<a href="#sec-build" class="xref">Annex{NBSP}A</a>' in html
    assert 'id="fig-regions"' in html and 'id="tbl-groups"' in html


def test_no_placeholder_or_error_reaches_the_reader(built):
    for document in (visible_text(built["html"]), visible_text(built["print_html"])):
        assert "??" not in document
        assert "Error" not in document
        assert not re.search(r"(?<!\\)@(fig|tbl|sec)-", document.replace("@fig-regions", ""))
        assert "{{" not in document.replace("{{ 7*7 }}", "")


def test_the_toc_and_the_lists_of_figures_and_tables(built):
    html = built["html"]
    toc = re.search(r'<nav id="TOC".*?</nav>', html, flags=re.S).group(0)
    for target in ("#sec-summary", "#sec-introduction", "#sec-sample", "#sec-build"):
        assert f'href="{target}"' in toc
    assert 'href="#sec-sample-note"' not in toc  # level 3 stays out of the contents
    lists = visible_text(
        re.search(
            r'<section class="front-lists">.*?</section>\s*</section>', html, flags=re.S
        ).group(0)
    )
    assert re.search(r"Figure\s1\s+Programmes by region", lists)
    assert re.search(r"Figure\s2\s+Supply and demand of skills", lists)
    assert re.search(r"Table\s1\s+Interviews by respondent group", lists)


def test_numbers_carry_their_key_figure_source(built):
    html = built["html"]
    assert (
        '<span data-kf="n_required_negotiation" title="n_required_negotiation — interviewees '
        'who named negotiation as required: 41 of 60" data-source="interviewees who named '
        'negotiation as required: 41 of 60">41</span>' in html
    )  # data-source: what a screen reader and the focus tooltip give, without the key name
    assert '<span data-kf="share_required_negotiation"' in html
    assert f">68{NBSP}%</span>" in html


def test_partner_text_is_shown_as_text(built):
    html = built["html"]
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    shown = visible_text(html)
    assert "Negotiation is *everything*:" in shown
    assert "{{ 7*7 }} @fig-regions" in shown
    assert "We learn by doing. # Not a heading" in shown


def test_title_page_shows_version_date_fingerprint_and_sample_notice(built):
    title_page = re.search(r'<header class="title-page".*?</header>', built["html"], re.S)
    shown = " ".join(visible_text(title_page.group(0)).split())
    for expected in (
        "Knowledge Transfer Skills Investigation Report",
        "Deliverable D2.1",
        "Version v1.0-test",
        "Date 2 May 2024",
        "University of Bologna (coordinator)",
        "Sample data.",
        "Co-funded by the European Union",
    ):
        assert expected in shown
    # The data fingerprint is an engineering fact: on the imprint, not on the cover.
    assert "fingerprint" not in shown.lower()
    imprint = re.search(r'<section class="imprint".*?</section>', built["html"], re.S)
    assert "Data fingerprint" in visible_text(imprint.group(0))
    assert "0123456789ab" in visible_text(imprint.group(0))


def test_without_sample_data_there_is_no_sample_notice(tmp_path):
    chapters, context = prepare(tmp_path / "_build", sample_data=False)
    out = tmp_path / "report.html"
    render.render_html(
        chapters, out, context=context, report_dir=REPORT_DIR, build_dir=tmp_path / "_build"
    )
    html = out.read_text()
    assert 'class="sample-banner"' not in html and 'class="sample-strip"' not in html
    assert "SAMPLE DATA" not in visible_text(html) and "Sample data" not in visible_text(html)


def test_html_is_the_same_bytes_when_rendered_again(built, tmp_path):
    chapters, context = prepare(tmp_path / "_build")
    out = tmp_path / "again.html"
    render.render_html(
        chapters, out, context=context, report_dir=REPORT_DIR, build_dir=tmp_path / "_build"
    )
    assert out.read_bytes() == built["html_path"].read_bytes()


def test_no_machine_path_in_the_html(built):
    assert str(built["base"]) not in built["html"]
    assert str(ROOT) not in built["html"]


def test_an_unresolved_reference_stops_pandoc_with_its_name(tmp_path):
    build_dir = tmp_path / "_build"
    chapter = build_dir / "chapters" / "01-a.qmd"
    chapter.parent.mkdir(parents=True)
    chapter.write_text("# A\n\nSee @fig-nowhere.\n")
    with pytest.raises(render.RenderProblem, match="@fig-nowhere names no figure"):
        render.render_html(
            [chapter],
            tmp_path / "x.html",
            context={"config": CONFIG, "build": BUILD},
            report_dir=REPORT_DIR,
            build_dir=build_dir,
        )


def test_a_formula_pandoc_cannot_typeset_is_an_error_naming_the_chapter(tmp_path):
    build_dir = tmp_path / "_build"
    chapter = build_dir / "chapters" / "02-methodology.qmd"
    chapter.parent.mkdir(parents=True)
    chapter.write_text("Simple $D_i = I_i - P_i$ is fine.\n\n$$\\overline{(I - P)}$$\n")
    with pytest.raises(render.RenderProblem) as caught:
        render.render_html(
            [chapter],
            tmp_path / "x.html",
            context={"config": CONFIG, "build": BUILD},
            report_dir=REPORT_DIR,
            build_dir=build_dir,
        )
    message = str(caught.value)
    assert message.startswith("report/chapters/02-methodology.md.j2: the formula")
    assert "\\overline{(I - P)}" in message


def test_simple_formulas_are_typeset_as_html(tmp_path):
    build_dir = tmp_path / "_build"
    chapter = build_dir / "chapters" / "01-a.qmd"
    chapter.parent.mkdir(parents=True)
    chapter.write_text("$$\\mathrm{MWDS} = \\bar{D} \\times \\bar{I}$$\n")
    render.render_html(
        [chapter],
        tmp_path / "x.html",
        context={"config": CONFIG, "build": BUILD},
        report_dir=REPORT_DIR,
        build_dir=build_dir,
    )
    html = (tmp_path / "x.html").read_text()
    formula = re.search(r'<span class="math display">(.*?)</span>', html).group(1)
    assert " ".join(formula.split()) == "MWDS = <em>D\u0304</em> × <em>I\u0304</em>"


def test_a_missing_figure_file_is_named(tmp_path):
    build_dir = tmp_path / "_build"
    chapter = build_dir / "chapters" / "01-a.qmd"
    chapter.parent.mkdir(parents=True)
    chapter.write_text('::: {#fig-a}\n![](figures/fig-a.svg){fig-alt="a"}\n\nCaption\n:::\n')
    with pytest.raises(render.RenderProblem, match="figures/fig-a.svg does not exist"):
        render.render_html(
            [chapter],
            tmp_path / "x.html",
            context={"config": CONFIG, "build": BUILD},
            report_dir=REPORT_DIR,
            build_dir=build_dir,
        )


# --------------------------------------------------------------------------- PDF
def test_print_html_has_no_script_and_static_figures(built):
    print_html = built["print_html"]
    assert "<script" not in print_html.lower()
    assert len(re.findall(r'<img src="data:image/svg\+xml;base64,', print_html)) == 2


def test_pdf_is_a4_tagged_with_metadata(pdf):
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    meta = pdf.metadata
    assert meta.title == "Knowledge Transfer Skills Investigation Report"
    assert meta.author == "KT SoftSkills consortium"
    assert meta.subject == "Skills that KT professionals have, need and are offered"
    assert meta["/Keywords"] == "knowledge transfer, soft skills"
    assert meta["/CreationDate"].startswith("D:20240502103000")
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]


def _identifier(data: bytes) -> list[bytes]:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as document:
        return [bytes(part) for part in document.trailer.ID]


def test_pdf_has_an_identifier_derived_from_its_content(built):
    # WeasyPrint is not asked for one (it would compress every stream twice); pikepdf's
    # save after the tagging gives it, from the content: other content, another one.
    import io

    import pikepdf

    data = built["pdf_path"].read_bytes()
    first, second = _identifier(data)
    assert len(first) == 16 and first == second
    with pikepdf.open(io.BytesIO(data)) as document:
        document.docinfo["/Subject"] = "Changed"
        changed = io.BytesIO()
        document.save(changed, deterministic_id=True, fix_metadata_version=False)
    # qpdf keeps the first part (the document's permanent identifier) and derives the
    # second from the new content.
    kept, derived = _identifier(changed.getvalue())
    assert kept == first and derived != second


# A one-page PDF as a program without qpdf writes it: no /ID in its trailer.
NO_ID_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    b"trailer\n<< /Size 4 /Root 1 0 R >>\n%%EOF\n"
)


def test_an_untagged_pdf_without_identifier_gets_one_from_its_content():
    from ktreport.render.pdf_tags import retagged, tag_structure

    assert retagged("pdf/ua-1") and not retagged("pdf/a-3b")
    assert b"/ID" not in NO_ID_PDF
    once, _ = tag_structure(NO_ID_PDF)
    assert once == tag_structure(NO_ID_PDF)[0]
    first, second = _identifier(once)
    assert len(first) == 16 and first == second
    # One that has an identifier is left as it is.
    assert tag_structure(once)[0] == once


def test_pdf_bookmarks_are_chapters_and_sections_only(pdf):
    def titles(outline, depth=0):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item, depth + 1)
            else:
                yield depth, item.title

    found = list(titles(pdf.outline))
    names = [" ".join(title.split()) for _, title in found]
    assert "Contents" in names
    assert "1 Introduction" in names and "2 Findings" in names
    assert "2.1 Sample" in names and "Annex A Build information" in names
    assert "A note on the sample" not in " ".join(names)  # h3: no bookmark
    assert dict((" ".join(t.split()), d) for d, t in found)["2.1 Sample"] == 1


def test_every_page_but_the_first_has_running_header_and_page_x_of_y(pages):
    total = len(pages)
    assert "Page" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in page
        # A draft (the context has no release flag): the running head says so.
        assert "DRAFT · v1.0-test" in page
        assert "Knowledge Transfer Skills Investigation Report" in page


def test_every_page_is_marked_as_sample_data(pages):
    assert all("SAMPLE DATA" in page for page in pages)


def test_toc_page_numbers_point_at_the_headings(pages):
    toc_page = next(p for p in pages if p.lstrip().startswith(("Contents",)) or "\nContents" in p)
    for heading in ("Introduction", "Findings", "Build information"):
        number = int(re.search(rf"{heading}[ .]*?(\d+)\s*$", toc_page, re.M).group(1))
        body = pages[number - 1]
        assert re.search(rf"^\s*(\d|Annex A)\S*\s+{heading}", body, re.M), (heading, number)


def test_pdf_states_the_numbers_and_the_escaped_quote(pages):
    document = " ".join(" ".join(pages).split())
    assert "30 case studies of training programmes with 60 interviews" in document
    assert "41 of 60 interviewees (68 %)" in document.replace(NBSP, " ")
    assert "<script>alert(1)</script>" in document


def test_pdf_links_point_inside_the_document(pdf, built):
    for page in pdf.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = str(action.get("/URI", ""))
            assert not uri.startswith("file:") and str(built["base"]) not in uri


def test_pdf_is_the_same_bytes_from_a_fresh_process(built, tmp_path):
    build_dir = tmp_path / "_build"
    chapters, context = prepare(build_dir)
    (tmp_path / "context.json").write_text(json.dumps(context))
    script = (
        "import json, sys; from pathlib import Path; from ktreport import render\n"
        "a = sys.argv\n"
        "render.render_pdf([Path(p) for p in a[4:]], Path(a[1]),"
        " context=json.loads(Path(a[2]).read_text()), report_dir=Path(a[3]),"
        " build_dir=Path(a[4]).parent.parent)\n"
    )
    out = tmp_path / "again.pdf"
    subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            str(out),
            str(tmp_path / "context.json"),
            str(REPORT_DIR),
            *map(str, chapters),
        ],
        check=True,
    )
    assert out.read_bytes() == built["pdf_path"].read_bytes()


def test_long_tables_repeat_their_header_and_keep_rows_whole(tmp_path):
    rows = "\n".join(f"| Programme number {i} with a long name | {i} |" for i in range(1, 121))
    chapters_dir = tmp_path / "chapters"
    chapters_dir.mkdir()
    (chapters_dir / "01-long.md.j2").write_text(
        "# Case studies {#sec-cases}\n\n| Programme name | Row |\n|:--|--:|\n"
        f"{rows}\n\n: All programmes {{#tbl-cases}}\n"
    )
    build_dir = tmp_path / "_build"
    chapters, context = prepare(build_dir, chapters_dir=chapters_dir)
    out = tmp_path / "long.pdf"
    render.render_pdf(chapters, out, context=context, report_dir=REPORT_DIR, build_dir=build_dir)
    table_pages = [
        p.extract_text() for p in PdfReader(out).pages if "Programme number" in p.extract_text()
    ]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert "Programme name" in page  # the header repeats on every page of the table
    numbers = [int(n) for p in table_pages for n in re.findall(r"Programme number (\d+)", p)]
    assert numbers == list(range(1, 121))  # every row once: none split across pages


def test_tables_get_the_column_widths_text_table_computed(built):
    # pandoc runs with --columns=layout.TABLE_LINE, so it uses table()'s dash counts.
    for page in (built["html"], built["print_html"]):
        table = re.search(r'<table id="tbl-groups"[^>]*>.*?</table>', page, re.S).group(0)
        assert len(re.findall(r'<col style="width: \d+%" />', table)) == 3


WIDE_TABLE = """# Case studies {#sec-cases}

{% set rows = [] %}
{% for i in range(1, 13) %}
{% set _ = rows.append({"id": "NETVAL-C%02d" % i,
    "programme": "Professional master's programme in intellectual property and technology transfer",
    "provider": "University Network for Innovation and Technology Transfer (UNITT)",
    "country": "United Kingdom", "delivery": "In person", "hours": 720, "n": 10,
    "certificate": "yes", "best": "no"}) %}
{% endfor %}
{{ table(rows, "tbl-cases", "The programmes", columns={"id": "ID", "programme": "Programme",
   "provider": "Provider", "country": "Country", "delivery": "Delivery", "hours": "Hours",
   "n": "Skills", "certificate": "Certificate", "best": "Best practice"}) }}
"""


def test_a_wide_table_in_the_pdf_breaks_no_identifier_number_or_header(tmp_path):
    chapters_dir = tmp_path / "chapters"
    chapters_dir.mkdir()
    (chapters_dir / "01-wide.md.j2").write_text(WIDE_TABLE, encoding="utf-8")
    build_dir = tmp_path / "_build"
    chapters, context = prepare(build_dir, chapters_dir=chapters_dir)
    out = tmp_path / "wide.pdf"
    render.render_pdf(chapters, out, context=context, report_dir=REPORT_DIR, build_dir=build_dir)
    page = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    lines = [line.strip() for line in page.splitlines()]
    # Every identifier whole (not "NETVAL-\nC01"), every number whole (not "72\n0").
    assert len(re.findall(r"NETVAL-C\d\d", page)) == 12
    assert len(re.findall(r"(?<!\d)720(?!\d)", page)) == 12
    # Header words whole ("Sk/il/ls", "Cer-tifi-cate") and no word hyphenated in a cell.
    for word in ("Skills", "Hours", "Certificate", "Delivery"):
        assert re.search(rf"\b{word}\b", page), word
    assert not [line for line in lines if re.search(r"[a-z]-$", line)]


SHORT_TABLES = """# Short tables {#sec-short}

{% for t in range(1, 9) %}
Table {{ t }} follows.

{% set rows = [] %}
{% for r in range(1, 13) %}
{% set _ = rows.append({"row": "Table %d row %02d" % (t, r), "n": r}) %}
{% endfor %}
{{ table(rows, "tbl-short-%d" % t, "Short table %d" % t) }}

{% endfor %}
"""


def test_a_short_table_is_never_split_across_pages(tmp_path):
    # Eight 12-row tables run over several pages: without keep-together some would
    # break across a page boundary; with it each one is whole on one page.
    chapters_dir = tmp_path / "chapters"
    chapters_dir.mkdir()
    (chapters_dir / "01-short.md.j2").write_text(SHORT_TABLES, encoding="utf-8")
    build_dir = tmp_path / "_build"
    chapters, context = prepare(build_dir, chapters_dir=chapters_dir)
    out = tmp_path / "short.pdf"
    render.render_pdf(chapters, out, context=context, report_dir=REPORT_DIR, build_dir=build_dir)
    pages_of = {}
    for number, page in enumerate(PdfReader(out).pages, 1):
        for table in re.findall(r"Table (\d) row \d\d", page.extract_text()):
            pages_of.setdefault(table, set()).add(number)
    assert sorted(pages_of) == [str(t) for t in range(1, 9)]
    assert len({min(p) for p in pages_of.values()}) > 1  # the tables do span pages
    assert all(len(p) == 1 for p in pages_of.values()), pages_of


AUTHORS_NOTE = """# Findings {#sec-findings}

A finding.

::: {.authors-note}
**Authors: refine.** Add the policy context.
:::
"""


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed here")
def test_an_authors_note_is_a_visible_amber_box_in_the_pdf(tmp_path):
    from PIL import Image

    chapters_dir = tmp_path / "chapters"
    chapters_dir.mkdir()
    (chapters_dir / "01-note.md.j2").write_text(AUTHORS_NOTE, encoding="utf-8")
    build_dir = tmp_path / "_build"
    chapters, context = prepare(build_dir, chapters_dir=chapters_dir)
    out = tmp_path / "note.pdf"
    render.render_pdf(chapters, out, context=context, report_dir=REPORT_DIR, build_dir=build_dir)
    reader = PdfReader(out)
    number = next(i for i, p in enumerate(reader.pages, 1) if "policy context" in p.extract_text())
    assert "AUTHORS: REFINE." in reader.pages[number - 1].extract_text()  # a label, in capitals
    png = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", str(number), "-l", str(number), out, png],
        check=True,
    )
    colours = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB").getcolors(1 << 16)
    present = {rgb for _, rgb in colours}

    def near(target: tuple[int, int, int]) -> bool:
        distances = (max(abs(a - b) for a, b in zip(rgb, target, strict=True)) for rgb in present)
        return min(distances) <= 6

    assert near((0xFF, 0xF8, 0xE1))  # the light amber background
    assert near((0x9A, 0x67, 0x00))  # the amber left border


# --------------------------------------------------------------------------- fetcher
def test_fetcher_allows_report_files_and_data_urls_only(tmp_path):
    fetcher = render.ReportFetcher(REPORT_DIR)
    assert fetcher.allows((REPORT_DIR / "assets" / "report.css").as_uri())
    assert fetcher.allows("data:text/plain;base64,aGk=")
    assert not fetcher.allows("https://example.org/font.woff2")
    assert not fetcher.allows("http://localhost/x.png")
    assert not fetcher.allows("file:///etc/passwd")
    assert not fetcher.allows((REPORT_DIR / ".." / "data" / "raw" / "partners.csv").as_uri())
    assert not fetcher.allows("ftp://example.org/x")


def test_a_stylesheet_that_reaches_outside_fails_the_pdf(tmp_path):
    report_dir = tmp_path / "report"
    shutil.copytree(REPORT_DIR / "templates", report_dir / "templates")
    shutil.copytree(REPORT_DIR / "assets", report_dir / "assets")
    shutil.copytree(REPORT_DIR / "pandoc", report_dir / "pandoc")
    with open(report_dir / "assets" / "paged.css", "a") as css:
        css.write(
            'body { background: url("https://example.org/bg.png"); }\n'
            'h1 { background: url("file:///etc/hostname"); }\n'
        )
    build_dir = tmp_path / "_build"
    chapters, context = prepare(build_dir)
    with pytest.raises(render.RenderProblem) as caught:
        render.render_pdf(
            chapters,
            tmp_path / "x.pdf",
            context=context,
            report_dir=report_dir,
            build_dir=build_dir,
        )
    assert "https://example.org/bg.png" in str(caught.value)
    assert "file:///etc/hostname" in str(caught.value)
    assert not (tmp_path / "x.pdf").exists()


# --------------------------------------------------------------------------- archival PDF
def test_archival_pdf_carries_the_data_with_fixed_dates(tmp_path):
    build_dir = tmp_path / "_build"
    chapters, context = prepare(build_dir)
    attachments = [
        (FIXTURE / "key_figures.json", "key_figures.json"),
        (FIXTURE / "aggregates" / "sample_by_group.csv", "aggregates/sample_by_group.csv"),
    ]
    outputs = []
    for name in ("a.pdf", "b.pdf"):
        out = tmp_path / name
        render.render_pdf(
            chapters,
            out,
            context=context,
            report_dir=REPORT_DIR,
            build_dir=build_dir,
            pdf_variant=render.ARCHIVAL_PDF_VARIANT,
            attachments=attachments,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    reader = PdfReader(tmp_path / "a.pdf")
    assert reader.attachments["key_figures.json"][0] == (FIXTURE / "key_figures.json").read_bytes()
    assert "aggregates/sample_by_group.csv" in reader.attachments
    assert b"pdfaid" in outputs[0] or "pdfaid" in str(reader.xmp_metadata.rdf_root.toxml())


def test_pdf_figures_are_tagged_with_their_alt_text(pdf):
    alts = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                alts.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            if kids is not None:
                walk(kids)
        elif isinstance(node, list):
            for kid in node:
                walk(kid)

    walk(pdf.trailer["/Root"]["/StructTreeRoot"])
    assert "Bar chart: most programmes (18 of 30) are in Europe." in alts
    assert any(alt.startswith("Scatter plot: negotiation is needed") for alt in alts)


@pytest.mark.parametrize(
    ("pandoc", "assembled"),
    [
        ('<td style="text-align: right;">12</td>', '<td class="align-right">12</td>'),
        (
            '<th scope="col" style="text-align: center;">N</th>',
            '<th scope="col" class="align-center">N</th>',
        ),
        ('<td class="x" style="text-align: left;">a</td>', '<td class="x align-left">a</td>'),
        (
            '<td style="text-align: left;"><span class="nowrap">C<code>01</code></span></td>',
            '<td class="align-left nowrap">C<code>01</code></td>',
        ),
        ('<td><span class="nowrap">7</span></td>', '<td class="nowrap">7</td>'),
        # Not the whole cell, or a span inside: the span stays where pandoc put it.
        (
            '<td><span class="nowrap">a</span> and <span class="nowrap">b</span></td>',
            '<td><span class="nowrap">a</span> and <span class="nowrap">b</span></td>',
        ),
        (
            '<td><span class="nowrap"><span class="k">1</span></span></td>',
            '<td><span class="nowrap"><span class="k">1</span></span></td>',
        ),
        # Any other style is the author's: left as written.
        ('<td style="color: red;">a</td>', '<td style="color: red;">a</td>'),
        ('<p style="text-align: right;">a</p>', '<p style="text-align: right;">a</p>'),
    ],
)
def test_cell_alignment_and_a_whole_cell_nowrap_become_classes(pandoc, assembled):
    from ktreport.render.assemble import _cell_classes

    assert _cell_classes(pandoc) == assembled
