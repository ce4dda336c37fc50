"""Write report/pandoc/reference.docx: pandoc's default reference document with the house
styles of the report (report/assets/report.css): Liberation Sans/Arial, EU-blue headings,
small muted captions, quotes set off by a left rule, tables with a header rule, and the
"Notice" style of the draft / sample-data box.

Run it again after changing the styles; the same pandoc gives the same bytes (the zip
entries are dated 1980-01-01 and stored in a fixed order):

    .venv/bin/python workflow/scripts/make_reference_docx.py
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

HERE = Path(__file__).resolve().parents[2] / "report" / "pandoc"
TARGET = HERE / "reference.docx"
INK, MUTED, ACCENT, WARN, WARN_SOFT, RULE = (
    "1D2433",
    "5A6478",
    "003399",
    "A4161A",
    "FDECEA",
    "C9D1E0",
)
FONT = "Liberation Sans"


def _pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _border(parent, edge: str, color: str, size: int = 12) -> None:
    element = OxmlElement(f"w:{edge}")
    element.set(qn("w:val"), "single")
    element.set(qn("w:sz"), str(size))
    element.set(qn("w:space"), "6")
    element.set(qn("w:color"), color)
    parent.append(element)


def _paragraph_borders(style):
    ppr = style.element.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    return ppr, borders


def _font(style, size: float | None = None, color: str | None = None, bold=None, italic=None):
    style.font.name = FONT
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attribute), FONT)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(attribute), None)
    if size is not None:
        style.font.size = Pt(size)
    if color is not None:
        style.font.color.rgb = RGBColor.from_string(color)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic


def style_document(document: docx.document.Document) -> None:
    styles = document.styles
    for name in ("Normal", "Body Text", "First Paragraph", "Compact"):
        _font(styles[name], 10.5, INK)
    _font(styles["Title"], 26, ACCENT, bold=True)
    _font(styles["Subtitle"], 14, MUTED)
    for name, size in (("Heading 1", 18), ("Heading 2", 14), ("Heading 3", 12)):
        _font(styles[name], size, ACCENT if name != "Heading 3" else INK, bold=True)
    for style in styles:
        if style.name in ("Caption", "caption", "Table Caption", "Image Caption"):
            _font(style, 9, MUTED, italic=False)
    quote = styles["Block Text"]
    _font(quote, 10.5, INK, italic=True)
    _border(_paragraph_borders(quote)[1], "left", ACCENT, 18)
    if "Notice" not in [s.name for s in styles]:
        notice = styles.add_style("Notice", WD_STYLE_TYPE.PARAGRAPH)
        notice.base_style = styles["Normal"]
        _font(notice, 11, WARN, bold=True)
        ppr, borders = _paragraph_borders(notice)
        for edge in ("top", "left", "bottom", "right"):
            _border(borders, edge, WARN)
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), WARN_SOFT)
        ppr.append(shading)
    table = styles["Table"]
    tbl_pr = table.element.find(qn("w:tblPr"))
    if tbl_pr is not None:
        borders = OxmlElement("w:tblBorders")
        _border(borders, "top", RULE, 8)
        _border(borders, "bottom", RULE, 8)
        _border(borders, "insideH", RULE, 4)
        tbl_pr.append(borders)


def normalised(data: bytes) -> bytes:
    """The zip with fixed dates and order, so the same styles give the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name))
    return out.getvalue()


def main() -> int:
    default = subprocess.run(
        [_pandoc(), "--print-default-data-file", "reference.docx"],
        capture_output=True,
        check=True,
    ).stdout
    document = docx.Document(io.BytesIO(default))
    style_document(document)
    buffer = io.BytesIO()
    document.save(buffer)
    TARGET.write_bytes(normalised(buffer.getvalue()))
    print(f"Wrote {TARGET.relative_to(HERE.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
