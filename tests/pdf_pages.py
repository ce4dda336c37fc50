"""What a PDF page holds, measured with PDFium (pypdfium2): how far down the text area its
content reaches, the page's text, the chapters' first pages (bookmarks) and the alternate
texts of its tagged figures. Shared by the layout and deliverable tests."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MM = 72 / 25.4
# The text area of paged.css: @page margins 24 mm top, 22 mm bottom, 20 mm right, 22 left.
TOP, BOTTOM, LEFT, RIGHT = 24 * MM, 22 * MM, 22 * MM, 20 * MM


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    fill: float  # share of the text area's height from its top to the lowest content
    text: str  # the text area's text (running head and foot left out)


def pages(path: Path) -> list[Page]:
    document = pdfium.PdfDocument(str(path))
    measured = []
    for index, page in enumerate(document):
        width, height = page.get_size()
        top, bottom = height - TOP, BOTTOM
        area = (width - LEFT - RIGHT) * (top - bottom)
        lowest = top
        for obj in page.get_objects(max_depth=1):
            left, low, right, high = obj.get_bounds()
            if low >= top - 1 or high <= bottom + 1:
                continue  # running head or foot
            if (right - left) * (high - low) > 0.9 * area:
                continue  # the page area's own (blank) box
            lowest = min(lowest, low)
        text = page.get_textpage().get_text_bounded(left=0, bottom=bottom, right=width, top=top)
        fill = (top - max(lowest, bottom)) / (top - bottom)
        measured.append(Page(index + 1, fill, text))
    return measured


def chapter_starts(path: Path) -> dict[int, str]:
    """First page (1-based) → title of every top-level bookmark."""
    document = pdfium.PdfDocument(str(path))
    starts = {}
    for item in document.get_toc():
        dest = item.get_dest()
        if item.level == 0 and dest is not None and dest.get_index() is not None:
            starts.setdefault(dest.get_index() + 1, item.get_title())
    return starts


def _alt_texts(element, found: list[str]) -> None:
    size = pdfium_c.FPDF_StructElement_GetAltText(element, None, 0)
    if size > 2:
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDF_StructElement_GetAltText(element, buffer, size)
        found.append(buffer.raw[: size - 2].decode("utf-16-le"))
    for i in range(pdfium_c.FPDF_StructElement_CountChildren(element)):
        child = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, i)
        if child:
            _alt_texts(child, found)


def alt_texts(path: Path, page_number: int) -> list[str]:
    """The alternate texts of the tagged elements (figures) of one page."""
    document = pdfium.PdfDocument(str(path))
    page = document[page_number - 1]
    tree = pdfium_c.FPDF_StructTree_GetForPage(page.raw)
    found: list[str] = []
    try:
        for i in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
            _alt_texts(pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, i), found)
    finally:
        pdfium_c.FPDF_StructTree_Close(tree)
    return found


WRAPPERS = {"Document", "Part", "Sect", "Art", "Div", "NonStruct", "Private", "TOC", "TOCI"}
BLOCKS = {"L", "BlockQuote"}


def _type(element) -> str:
    size = pdfium_c.FPDF_StructElement_GetType(element, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDF_StructElement_GetType(element, buffer, size)
    return buffer.raw[: size - 2].decode("utf-16-le")


def _blocks(element, found: list[str]) -> None:
    kind = _type(element)
    if kind not in WRAPPERS:
        found.append(kind)  # a block of the page: its insides are not counted
        return
    for i in range(pdfium_c.FPDF_StructElement_CountChildren(element)):
        child = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, i)
        if child:
            _blocks(child, found)


def blocks(path: Path, page_number: int) -> list[str]:
    """The tagged blocks on one page, in order (P, H1, L, BlockQuote, Table, Figure …), a
    list or quotation counted once whatever it holds."""
    document = pdfium.PdfDocument(str(path))
    tree = pdfium_c.FPDF_StructTree_GetForPage(document[page_number - 1].raw)
    found: list[str] = []
    try:
        for i in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
            _blocks(pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, i), found)
    finally:
        pdfium_c.FPDF_StructTree_Close(tree)
    return found
