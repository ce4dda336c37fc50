"""The sample build as a project officer receives it: the EU emblem (with its alt text),
the funding statement and the disclaimer in the PDF and the HTML; a draft marked as such;
pages filled (no page but a chapter's last less than half full, no list or quotation alone
on a page); prose that never opens a sentence with a numeral; identifiers whole."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from pdf_pages import alt_texts, blocks, chapter_starts, pages
from project_builds import HTML, PDF, built

from ktreport import contract
from ktreport.chapters.frontmatter import DISCLAIMER

pytestmark = pytest.mark.e2e

EMBLEM_ALT = "Emblem of the European Union"
STATEMENT = "Co-funded by the European Union"
MIN_FILL = 0.5


def folded(text: str) -> str:
    text = re.sub(r"[\u2010\u00ad-]\r?\n", "", text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\ufffe", ""))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    result = built("sample", tmp_path_factory)
    assert result.ok, result.explain()
    return result.tree


@pytest.fixture(scope="module")
def measured(sample):
    return pages(sample / PDF)


@pytest.fixture(scope="module")
def html(sample) -> str:
    return (sample / HTML).read_text(encoding="utf-8")


def test_the_pdf_cover_carries_the_emblem_with_its_alt_text_and_the_funding_statement(
    sample, measured
):
    cover = folded(measured[0].text)
    assert STATEMENT in cover
    assert EMBLEM_ALT in alt_texts(sample / PDF, 1)
    assert "Grant agreement" in cover and "Dissemination level PU (Public)" in cover
    # The data fingerprint is no cover item: it is on the imprint and in the build annex.
    assert "fingerprint" not in cover.lower()


def test_the_pdf_imprint_carries_the_disclaimer_history_and_people(measured):
    imprint = folded(measured[1].text)
    assert DISCLAIMER in imprint
    for heading in ("Authors", "Reviewers", "Document history", "Data fingerprint"):
        assert heading in imprint


def test_the_html_carries_the_emblem_statement_and_disclaimer_on_the_cover_and_in_the_footer(
    html,
):
    header = html[html.index('<header class="title-page"') : html.index("</header>")]
    footer = html[html.index('<footer class="colophon">') : html.index("</footer>")]
    for part in (header, footer):
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="eu-emblem" role="img"' in part
        assert f"<title>{EMBLEM_ALT}</title>" in part
        assert f'<p class="funding-statement">{STATEMENT}</p>' in part
    assert DISCLAIMER in html_lib.unescape(footer)


def test_the_draft_shows_the_authors_notes_and_says_it_is_a_draft(measured):
    text = " ".join(folded(p.text) for p in measured)
    assert "AUTHORS: REFINE" in text.upper()
    assert "Draft for the consortium's review, not for circulation (draft " in folded(
        measured[0].text
    ).replace("\u2019", "'")


def test_the_draft_running_head_names_the_draft(sample):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(sample / PDF))
    page = document[5]
    width, height = page.get_size()
    head = page.get_textpage().get_text_bounded(left=0, bottom=height - 70, right=width, top=height)
    assert "DRAFT · " in folded(head)


def test_no_page_but_a_chapters_last_is_less_than_half_full(sample, measured):
    starts = chapter_starts(sample / PDF)
    first_chapter = min(n for n, title in starts.items() if "summary" in title.lower())
    thin = [
        f"p. {page.number}: {page.fill:.0%} full ({folded(page.text)[:50]}…)"
        for page in measured
        if page.number >= first_chapter
        and page.number + 1 not in starts
        and page.number != len(measured)
        and page.fill < MIN_FILL
    ]
    assert not thin, "\n".join(thin)


def test_no_bullet_list_or_quotation_is_alone_on_a_page(sample, measured):
    alone = []
    for page in measured:
        found = blocks(sample / PDF, page.number)
        if len(found) == 1 and found[0] in ("L", "BlockQuote"):
            alone.append(f"p. {page.number}: only a {found[0]} ({folded(page.text)[:50]}…)")
    assert not alone, "\n".join(alone)


def test_no_sentence_opens_with_a_numeral(html):
    main = html[html.index('<main id="content">') : html.index("</main>")]
    main = re.sub(r"<blockquote.*?</blockquote>", "", main, flags=re.DOTALL)  # partners' words
    main = re.sub(r"<(table|figure|script|code).*?</\1>", "", main, flags=re.DOTALL)
    opening = []
    for tag, block in re.findall(r"<(p|li)\b[^>]*>(.*?)</\1>", main, flags=re.DOTALL):
        text = folded(html_lib.unescape(re.sub(r"<[^>]+>", "", block))).strip()
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", text)
        # A list item opens with a fragment ("30 case studies of …"), not a sentence.
        for sentence in sentences[1:] if tag == "li" else sentences:
            if re.match(r"\d", sentence):
                opening.append(sentence[:70])
    assert not opening, "\n".join(opening)


def test_identifiers_are_never_broken_across_lines_in_the_pdf(measured):
    words = {word.strip(".,;:()") for page in measured for word in page.text.split()}
    names = {
        column.name
        for table in contract.PARTNER_TABLES.values()
        for column in table.columns
        if "_" in column.name
    }
    # A broken name leaves its first part as a word of its own ("preferred_format" + "s").
    broken = sorted(
        name
        for name in names
        if name not in words
        and any(name.startswith(w) and w != name for w in words if "_" in w and len(w) > 3)
    )
    assert not broken, f"broken across lines: {broken}"
