"""Stage 5, the guard: the searchable text of each output file, by type.

Everything a person could read or a tool could extract: the text and the attributes of
HTML (entities decoded, embedded SVG and figure data included), the text, metadata and
attachments of PDF files, the text, comments, tracked changes, alt texts and properties of
Word files (.docx), the keys and values of JSON, and CSV, Markdown/.qmd and logs as
they are. Images and fonts hold no text and are skipped.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote_to_bytes

from ktreport.core.errors import KtreportError

# File types read as text; PDF and HTML have their own readers; others are listed as skipped.
TEXT_SUFFIXES = frozenset(
    {".csv", ".tsv", ".json", ".qmd", ".md", ".txt", ".log", ".ok", ".yml", ".yaml", ".css"}
    | {".lua", ".js", ".tex", ".bib", ".xml", ".svg", ".html", ".htm", ".j2", ""}
)
HTML_SUFFIXES = frozenset({".html", ".htm", ".svg", ".xml"})
BINARY_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ttf", ".otf", ".woff", ".woff2", ".ico"}
)


class GuardProblem(KtreportError):
    """An output cannot be checked or published; the message says which and why."""


_PLOTLY_DIGESTS: set[str] | None = None


def _plotly_library_digests() -> set[str]:
    """sha256 of plotly.min.js as the HTML embeds it: the library's code is not partner
    data (and mentions words such as company names of its own)."""
    global _PLOTLY_DIGESTS
    if _PLOTLY_DIGESTS is None:
        _PLOTLY_DIGESTS = set()
        try:
            # Here, not at the top: plotly is slow to import and needed only for its path.
            import plotly

            path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
            text = path.read_text(encoding="utf-8")
        except (ImportError, OSError):
            return _PLOTLY_DIGESTS
        for variant in (text, text.replace("</script", "<\\/script")):
            _PLOTLY_DIGESTS.add(hashlib.sha256(variant.encode()).hexdigest())
    return _PLOTLY_DIGESTS


def _json_strings(value: object, out: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            out.append(str(key))
            _json_strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _json_strings(item, out)
    elif value is not None:
        out.append(str(value))


def json_text(text: str) -> str:
    """Every key and value of a JSON document, escapes decoded (raw text when not JSON)."""
    try:
        document = json.loads(text)
    except ValueError:
        return text
    strings: list[str] = []
    _json_strings(document, strings)
    return "\n".join(strings)


_DATA_URI = re.compile(r"^data:([^,;]*)((?:;[^,;]*)*),(.*)$", re.DOTALL)
_TEXT_MIME = ("image/svg+xml", "text/", "application/json", "application/xml")


def _data_uri_text(uri: str) -> str | None:
    """The text inside a ``data:`` URI of a text type (an embedded SVG figure), else None."""
    match = _DATA_URI.match(uri.strip())
    if not match or not match.group(1).startswith(_TEXT_MIME):
        return None
    payload = match.group(3)
    try:
        data = (
            base64.b64decode(payload, validate=False)
            if ";base64" in match.group(2)
            else unquote_to_bytes(payload)
        )
    except ValueError:
        return None
    return data.decode("utf-8", errors="replace")


class _HTMLText(HTMLParser):
    """The text a reader sees plus every attribute value, comment and script/style body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.other: list[str] = []
        self._raw_tag: str | None = None
        self._raw_type = ""
        self._raw: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for _, value in attrs:
            if not value:
                continue
            inner = _data_uri_text(value) if value.lstrip().startswith("data:") else None
            if inner is not None:
                self.other.append(html_text(inner))
            elif not value.lstrip().startswith("data:"):
                self.other.append(value)
        if tag in ("script", "style"):
            self._raw_tag, self._raw = tag, []
            self._raw_type = dict(attrs).get("type") or ""
        elif tag in ("p", "div", "br", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "title"):
            self.text.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._raw_tag is not None and tag == self._raw_tag:
            body = "".join(self._raw)
            if "json" in self._raw_type:
                self.other.append(json_text(body))
            elif hashlib.sha256(body.encode()).hexdigest() not in _plotly_library_digests():
                self.other.append(body)
            self._raw_tag = None

    def handle_data(self, data: str) -> None:
        if self._raw_tag is not None:
            self._raw.append(data)
        else:
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.other.append(data)


def html_text(markup: str) -> str:
    """Everything of an HTML (or SVG) document a person could read or a tool could extract:
    the visible text, then attributes, comments, styles, figure data and non-library scripts."""
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    if parser._raw_tag is not None:  # an unclosed <script> or <style>: keep what it held
        parser.other.append("".join(parser._raw))
    return "".join(parser.text) + "\n" + "\n".join(parser.other)


def _pdfium_parts(path: Path) -> list[str] | None:
    """Page texts, metadata and attached files of a PDF by PDFium; None when pypdfium2 is
    not installed.

    PDFium parses in C++: 0.3 s for the sample report's 44 pages, where pypdf's pure-Python
    ``extract_text`` takes 10 s, and reading the metadata (pypdf parses the whole
    cross-reference table for it) 0.4 s more, both growing with the pages."""
    try:
        # Here, not at the top: an optional, compiled dependency read only for PDF files.
        import pypdfium2
    except ImportError:
        return None
    document = pypdfium2.PdfDocument(str(path))
    try:
        parts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            # PDFium reports a hyphen drawn at a line end as U+FFFE: it is a hyphen.
            parts.append(textpage.get_text_range().replace("\ufffe", "-"))
            textpage.close()
            page.close()
        for key, value in sorted(document.get_metadata_dict(skip_empty=True).items()):
            parts.append(f"/{key} {value}")
        for index in range(document.count_attachments()):
            attachment = document.get_attachment(index)
            parts.append(attachment.get_name())
            try:
                data = bytes(attachment.get_data())
            except pypdfium2.PdfiumError:  # an empty file
                data = b""
            parts.append(data.decode("utf-8", errors="replace"))
    finally:
        document.close()
    return parts


def _pypdf_parts(path: Path) -> list[str]:
    """The same parts by pypdf, when pypdfium2 is not installed (slower)."""
    from pypdf import PdfReader  # here: slow to import, and only the fallback reader

    reader = PdfReader(str(path), strict=False)
    parts = [page.extract_text() or "" for page in reader.pages]
    for key, value in sorted((reader.metadata or {}).items()):
        parts.append(f"{key} {value}")
    for name, contents in sorted(reader.attachments.items()):
        parts.append(name)
        for data in contents:
            parts.append(data.decode("utf-8", errors="replace"))
    return parts


def pdf_complete(path: Path) -> None:
    """Check that a PDF is whole, without reading its text (publishing checks every
    deliverable, and the guard has read the text of each already): it ends with
    ``%%EOF`` (a file cut short does not) and PDFium opens it and its last page.
    GuardProblem when not."""
    try:
        from pypdfium2 import PdfiumError
    except ImportError:
        PdfiumError = ValueError  # noqa: N806 - the same except clause without pypdfium2
    problem = GuardProblem(f"{Path(path).name} is not a readable PDF; it may be incomplete")
    with Path(path).open("rb") as stream:
        stream.seek(max(0, Path(path).stat().st_size - 1024))
        if b"%%EOF" not in stream.read():
            raise problem
    try:
        import pypdfium2
    except ImportError:  # no PDFium: read it all
        pdf_text(path)
        return
    try:
        document = pypdfium2.PdfDocument(str(path))
    except (PdfiumError, OSError, ValueError) as error:
        raise problem from error
    try:
        if len(document) == 0:
            raise problem
        document[len(document) - 1].close()
    except (PdfiumError, ValueError) as error:
        raise problem from error
    finally:
        document.close()


def pdf_text(path: Path) -> str:
    """The text of every page, the document metadata and the attached files of a PDF."""
    # The PDF readers' errors are imported here, with the readers: only PDF files need them.
    try:
        from pypdfium2 import PdfiumError
    except ImportError:
        PdfiumError = ValueError  # noqa: N806 - the same except clause without pypdfium2
    from pypdf.errors import PyPdfError

    try:
        parts = _pdfium_parts(path)
        if parts is None:
            parts = _pypdf_parts(path)
    except (PyPdfError, PdfiumError, OSError, ValueError, KeyError, TypeError) as error:
        raise GuardProblem(
            f"{path.name} is not a readable PDF ({type(error).__name__}); "
            "it may be incomplete: build again"
        ) from None
    return "\n".join(parts)


_WORD_PARTS = re.compile(r"^(word/[^/]+\.xml|docProps/[^/]+\.xml)$")
_WORD_TEXT_TAGS = frozenset({"t", "delText", "instrText"})
_WORD_ATTRIBUTES = ("descr", "title", "name", "author", "initials")


def docx_text(path: Path) -> str:
    """The text of a Word file: body, headers, footers, notes, comments, tracked
    insertions and deletions, the images' alt texts and titles, and its properties."""
    import xml.etree.ElementTree as ElementTree
    import zipfile

    parts: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for name in sorted(n for n in archive.namelist() if _WORD_PARTS.match(n)):
                root = ElementTree.fromstring(archive.read(name))
                line: list[str] = []
                for element in root.iter():
                    tag = element.tag.rsplit("}", 1)[-1]
                    if tag == "p" and line:
                        parts.append("".join(line))
                        line = []
                    if tag in _WORD_TEXT_TAGS:
                        line.append(element.text or "")
                    elif name.startswith("docProps/") and (element.text or "").strip():
                        parts.append(element.text)
                    for attribute, value in element.attrib.items():
                        if attribute.rsplit("}", 1)[-1] in _WORD_ATTRIBUTES:
                            parts.append(value)
                if line:
                    parts.append("".join(line))
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError) as error:
        raise GuardProblem(
            f"{path.name} is not a readable Word file ({type(error).__name__}); "
            "it may be incomplete: build again"
        ) from None
    return "\n".join(parts)


def file_text(path: Path) -> str | None:
    """The searchable text of one output file, or None for a type that holds no text."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_text(path)
    if suffix == ".docx":
        return docx_text(path)
    if suffix in BINARY_SUFFIXES:
        return None
    data = path.read_bytes()
    if suffix not in TEXT_SUFFIXES and b"\0" in data[:8192]:
        return None
    text = data.decode("utf-8", errors="replace")
    if suffix in HTML_SUFFIXES:
        return html_text(text)
    if suffix == ".json":
        return json_text(text)
    return text
