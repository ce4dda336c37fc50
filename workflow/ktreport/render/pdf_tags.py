"""Stage 4b, the PDF's structure tree made usable by a screen reader: what WeasyPrint 70
cannot tag, fixed after it with pikepdf (``tag_structure``, called by ``render.pdf``).

WeasyPrint 70 tags the content of every page, but:
- the margin boxes (running heads, footers, "Page n of N") are marked content whose
  structure elements are not in the tree ("it could be included as Artifact, but that's
  only allowed in PDF 2.0"): a reader meets them as stray content. They become
  ``/Artifact /Pagination`` marked content, out of the parent tree;
- a table continued on the next page is a second Table, without its caption and with the
  repeated header row as content: its rows move into the first Table (the repeated header
  becomes a pagination artifact, its cells' /Headers point to the first header);
- TH cells carry no /Scope: a header in a THead is a column header, one in a body row a
  row header;
- the contents and the lists of figures and tables are plain lists (L/LI/LBody) of links:
  they become TOC / TOCI with a Reference holding the Link.

Everything is done in document order on the objects WeasyPrint wrote, so the same PDF in
gives the same PDF out (the reproducibility test compares bytes).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name

ARTIFACT = Name("/Artifact")


def kids(element: Dictionary) -> list:
    """The children of a structure element (struct elements and MCIDs), as a list."""
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, Array) else [k]


def is_element(obj) -> bool:
    return isinstance(obj, Dictionary) and "/S" in obj


def child_elements(element: Dictionary) -> list[Dictionary]:
    return [kid for kid in kids(element) if is_element(kid)]


def walk(element: Dictionary) -> Iterator[Dictionary]:
    """``element`` and every structure element under it, in document order."""
    yield element
    for kid in child_elements(element):
        yield from walk(kid)


def tag(element: Dictionary) -> str:
    return str(element.S)


@dataclass
class Report:
    """What ``tag_structure`` changed (printed by the tests)."""

    artifacts: int = 0
    scopes: int = 0
    merged_tables: int = 0
    toc_lists: int = 0
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- artifacts
def _page_mcid_map(pdf: pikepdf.Pdf) -> dict[int, Array]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


# WeasyPrint writes each marked-content sequence as "/Span\n<</MCID 3>>\nBDC".
_MARKED = re.compile(rb"/[A-Za-z0-9]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_PAGINATION = b"/Artifact <</Type /Pagination>> BDC"


def _rewrite_marked_content(pdf: pikepdf.Pdf, page, artifacts: set[int]) -> int:
    """Turn the marked content of ``artifacts`` (MCIDs) on ``page`` into artifacts."""
    changed = 0

    def replace(match: re.Match) -> bytes:
        nonlocal changed
        if int(match.group(1)) not in artifacts:
            return match.group(0)
        changed += 1
        return _PAGINATION

    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, Array) else [contents]
    data = b"\n".join(stream.read_bytes() for stream in streams)
    rewritten = _MARKED.sub(replace, data)
    if changed:
        page.obj.Contents = pdf.make_stream(rewritten)
    return changed


def _artifacts(
    pdf: pikepdf.Pdf, elements: list[Dictionary], extra: set[tuple[int, int]], report: Report
) -> None:
    """Marked content whose element is outside the tree (margin boxes) or in ``extra``
    (objgen of removed elements: repeated table headers) becomes an artifact."""
    in_tree = {element.objgen for element in elements} - extra
    by_page = _page_mcid_map(pdf)
    for page in pdf.pages:
        mcids = by_page.get(int(page.obj.get("/StructParents", -1)))
        if mcids is None:
            continue
        gone = {
            i for i, owner in enumerate(mcids) if is_element(owner) and owner.objgen not in in_tree
        }
        if gone:
            report.artifacts += _rewrite_marked_content(pdf, page, gone)
            for i in gone:
                mcids[i] = None  # null: no element owns it any more


# --------------------------------------------------------------------------- tables
def _first(element: Dictionary, name: str) -> Dictionary | None:
    return next((kid for kid in child_elements(element) if tag(kid) == name), None)


def _remove(element: Dictionary) -> None:
    """Take ``element`` out of its parent; a parent left empty goes too."""
    parent = element.P
    remaining = [
        kid for kid in kids(parent) if not (is_element(kid) and kid.objgen == element.objgen)
    ]
    parent.K = Array(remaining)
    if not remaining and tag(parent) not in ("/Document", "/StructTreeRoot") and "/S" in parent:
        _remove(parent)


def _merge_table(first: Dictionary, continued: Dictionary) -> set[tuple[int, int]]:
    """Move the rows of ``continued`` into ``first``; returns the elements left out (the
    repeated header)."""
    first_body = _first(first, "/TBody")
    ids = {}
    head, repeated = _first(first, "/THead"), _first(continued, "/THead")
    if head is not None and repeated is not None:
        old = [e for e in walk(repeated) if tag(e) == "/TH"]
        new = [e for e in walk(head) if tag(e) == "/TH"]
        ids = {str(o.get("/ID")): n.get("/ID") for o, n in zip(old, new, strict=False)}
    removed = {e.objgen for e in walk(repeated)} if repeated is not None else set()
    for body in [kid for kid in child_elements(continued) if tag(kid) == "/TBody"]:
        for row in child_elements(body):
            row.P = first_body
            first_body.K.append(row)
            for cell in walk(row):
                headers = cell.get("/A", {}).get("/Headers") if "/A" in cell else None
                if headers is not None:
                    cell.A.Headers = Array([ids.get(str(h), h) for h in headers])
    _remove(continued)
    return removed


def _merge_tables(document: Dictionary, report: Report) -> set[tuple[int, int]]:
    """A Table without a caption right after a table that ended on the previous page is
    its continuation (every table of the report has a caption)."""
    removed: set[tuple[int, int]] = set()
    previous = None
    for element in list(walk(document)):
        if tag(element) != "/Table":
            continue
        continues = (
            previous is not None
            and _first(element, "/Caption") is None
            and _first(previous, "/TBody") is not None
            and "/Pg" in element
        )
        if continues:
            removed |= _merge_table(previous, element)
            report.merged_tables += 1
        else:
            previous = element
    return removed


def _scopes(elements: list[Dictionary], report: Report) -> None:
    for element in elements:
        if tag(element) != "/TH":
            continue
        row = element.P
        section = tag(row.P) if "/P" in row else ""
        if "/A" not in element:
            element.A = Dictionary(O=Name("/Table"))
        element.A.Scope = Name("/Column" if section == "/THead" else "/Row")
        report.scopes += 1


# --------------------------------------------------------------------------- contents
def _only_link(item: Dictionary) -> bool:
    body = [kid for kid in child_elements(item) if tag(kid) != "/Lbl"]
    if len(body) != 1 or tag(body[0]) != "/LBody":
        return False
    parts = child_elements(body[0])
    return bool(parts) and all(tag(p) == "/Link" for p in parts)


def _toc(document: Dictionary, report: Report) -> None:
    """Lists of links in the front matter (before the first Part, the report's body) are
    the contents and the lists of figures and tables: TOC, TOCI, Reference."""
    for top in child_elements(document):
        if tag(top) == "/Part":
            break
        for element in list(walk(top)):
            items = child_elements(element)
            if tag(element) != "/L" or not items:
                continue
            entries = [i for i in items if tag(i) == "/LI"]
            if not entries or not all(_only_link(i) for i in entries):
                continue
            element.S = Name("/TOC")
            for item in entries:
                item.S = Name("/TOCI")
                for body in child_elements(item):
                    if tag(body) == "/LBody":
                        body.S = Name("/Reference")
            report.toc_lists += 1


# --------------------------------------------------------------------------- entry point
def retagged(pdf_variant: str) -> bool:
    """Whether WeasyPrint's PDF of ``pdf_variant`` is tagged, so that ``tag_structure``
    saves it again, with an identifier derived from its content (the file trailer's /ID)."""
    return pdf_variant.startswith("pdf/ua")


def tag_structure(pdf_bytes: bytes) -> tuple[bytes, Report]:
    """The PDF with artifacts, table scopes, merged tables and TOC tags, saved with an
    identifier derived from its content (unchanged when it has no structure tree and has
    an identifier)."""
    report = Report()
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return (pdf_bytes if "/ID" in pdf.trailer else _saved(pdf)), report
        document = pdf.Root.StructTreeRoot.K[0]
        removed = _merge_tables(document, report)
        elements = list(walk(document))
        _scopes(elements, report)
        _toc(document, report)
        _artifacts(pdf, elements, removed, report)
        return _saved(pdf), report


def _saved(pdf: pikepdf.Pdf) -> bytes:
    """The PDF's bytes, with an identifier derived from its content."""
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()
