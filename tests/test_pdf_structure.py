"""The PDF's structure tree, as a screen reader uses it, read with pikepdf on the sample
build: running heads and page numbers are artifacts, each table is one Table with its
caption and scoped headers, the contents are TOC/TOCI with links, headings do not skip a
level, figures keep their alt text. (``pdfua`` 0.1.3, the one PyPI checker, covers 16 of
106 PDF/UA-1 rules: these are the project's own checks of what it promises.)"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter

import pikepdf
import pytest
from project_builds import PDF, built

from ktreport.chapters.emblem import ALT_TEXT as EMBLEM_ALT
from ktreport.render.pdf_tags import child_elements, is_element, tag, walk

ARTIFACT = re.compile(rb"/Artifact\s*<<\s*/Type\s*/Pagination\s*>>\s*BDC")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    build = built("sample", tmp_path_factory)
    assert build.ok, build.explain()
    return build


@pytest.fixture(scope="module")
def structure(sample):
    pdf = pikepdf.open(sample.tree / PDF)
    document = pdf.Root.StructTreeRoot.K[0]
    elements = list(walk(document))
    print_html = (sample.tree / "report" / "_build" / "print.html").read_text(encoding="utf-8")
    yield {"pdf": pdf, "document": document, "elements": elements, "print_html": print_html}
    pdf.close()


def of(structure, name: str) -> list:
    return [e for e in structure["elements"] if tag(e) == name]


@pytest.mark.e2e
def test_running_heads_footers_and_page_numbers_are_artifacts(structure):
    pdf = structure["pdf"]
    per_page = [
        len(
            ARTIFACT.findall(
                b"".join(
                    s.read_bytes()
                    for s in (
                        page.obj.Contents
                        if isinstance(page.obj.Contents, pikepdf.Array)
                        else [page.obj.Contents]
                    )
                )
            )
        )
        for page in pdf.pages
    ]
    print(f"\nartifacts: {sum(per_page)} on {len(per_page)} pages")
    # head (title, version) and foot (deliverable, sample, "Page n of N") on every page
    # but the cover
    assert all(count >= 3 for count in per_page[1:]), per_page
    # no marked content belongs to an element outside the tree (as margin boxes did)
    in_tree = {e.objgen for e in structure["elements"]}
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    owners = [
        owner
        for i in range(1, len(nums), 2)
        if isinstance(nums[i], pikepdf.Array)
        for owner in nums[i]
        if is_element(owner)
    ]
    assert owners and all(owner.objgen in in_tree for owner in owners)


@pytest.mark.e2e
def test_every_table_header_has_a_scope(structure):
    headers = of(structure, "/TH")
    scopes = Counter(str(th.A.get("/Scope")) for th in headers)
    print(f"\nTH: {len(headers)}, with scope: {scopes}")
    assert headers and set(scopes) <= {"/Column", "/Row"}
    for th in headers:
        in_head = tag(th.P.P) == "/THead"
        assert str(th.A.Scope) == ("/Column" if in_head else "/Row")


@pytest.mark.e2e
def test_a_table_continued_across_pages_stays_one_table_with_its_caption(structure):
    tables = of(structure, "/Table")
    in_html = structure["print_html"].count("<table")
    pages_of = [{e.Pg.objgen for e in walk(table) if "/Pg" in e} for table in tables]
    print(
        f"\nTable elements: {len(tables)} for {in_html} tables; "
        f"{sum(len(p) > 1 for p in pages_of)} span several pages"
    )
    assert len(tables) == in_html
    assert any(len(pages) > 1 for pages in pages_of)  # the sample has continued tables
    for table in tables:
        assert tag(child_elements(table)[0]) == "/Caption"
        assert sum(tag(k) == "/THead" for k in child_elements(table)) == 1


@pytest.mark.e2e
def test_the_contents_are_a_toc_of_links(structure):
    tocs = of(structure, "/TOC")
    items = of(structure, "/TOCI")
    print(f"\nTOC: {len(tocs)}, TOCI: {len(items)}")
    assert tocs and len(items) >= 20
    for item in items:
        reference = [k for k in child_elements(item) if tag(k) == "/Reference"]
        assert reference and tag(child_elements(reference[0])[0]) == "/Link"
    assert not [e for e in of(structure, "/L") if tag(e.P) == "/TOC"]


@pytest.mark.e2e
def test_headings_never_skip_a_level(structure):
    levels = [int(tag(e)[2]) for e in structure["elements"] if re.fullmatch(r"/H[1-6]", tag(e))]
    print(f"\nheadings: {Counter(levels)}")
    assert levels[0] == 1
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert not jumps, jumps


@pytest.mark.e2e
def test_figures_keep_their_alt_text(structure):
    figures = of(structure, "/Figure")
    alts = [
        html_lib.unescape(a)
        for a in re.findall(r'<img [^>]*alt="([^"]*)"', structure["print_html"])
    ]
    print(f"\nFigure elements: {len(figures)}, with /Alt: {sum('/Alt' in f for f in figures)}")
    # The charts in their order, and the EU emblem of the cover (an inline SVG; the print
    # HTML also holds the screen's colophon copy, which print does not show).
    tagged = [str(f.Alt) for f in figures]
    assert [alt for alt in tagged if alt == EMBLEM_ALT] == [EMBLEM_ALT], tagged
    assert [alt for alt in tagged if alt != EMBLEM_ALT] == alts
    assert len(alts) >= 1
