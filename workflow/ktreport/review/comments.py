"""Outside the DAG: a reviewed Word copy -> every comment and tracked change, at its
chapter template line (``ktreport comments``).

The review copy (``ktreport.render.docx``) has a bookmark before every prose block,
``src_<chapter>_<line>``, and one around every key figure, ``kf_<name>_<hash>_<n>``.
Word and LibreOffice keep bookmarks when they save, so a remark is placed by the
bookmark of its paragraph; where a reviewer's edit took the bookmark away, by the text
of the paragraph, matched against the unreviewed copy (``placed: text``). The line is
then narrowed down to the template line of the block that holds the quoted words.

The document is read with lxml (python-docx's parser), not with pandoc: pandoc's
``--track-changes=all`` drops a comment made on a tracked insertion (pandoc #9833),
and one reader sees comments, insertions and deletions in the same order as the page.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lxml import etree

from ktreport.catalog import CHAPTER_SUFFIX
from ktreport.chapters.sources import chapter_key
from ktreport.core.errors import KtreportError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
SOURCE_PREFIX, FIGURE_PREFIX = "src_", "kf_"
# src_<chapter>_<line>, maybe _r<n> (a repeated line) and _Copy_<n> (LibreOffice's rename)
_SOURCE = re.compile(r"^src_(\w+?)_(\d+)(?:_r\d+)?(?:_Copy_\d+)?$")
_FIGURE = re.compile(r"^kf_(\w*?)_([0-9a-f]{6})_\d+(?:_Copy_\d+)?$")
FIGURE_NAME_CUT = 22  # review-docx.lua keeps this much of a key figure's name
TEXT_MATCH = 0.6  # the least similarity for placing a paragraph by its text
WHOLE_PARAGRAPH = 0.8  # a comment on this share of a paragraph is on the whole of it


class ReviewProblem(KtreportError):
    """The reviewed file cannot be read; the message says which and why."""


@dataclass
class Remark:
    """One comment or tracked change of a reviewed copy, and where it belongs."""

    kind: str  # comment, insertion or deletion
    author: str
    date: str
    text: str  # the comment, or the inserted / deleted text
    quoted: str = ""  # the text the comment is on
    paragraph: str = ""  # the paragraph as the build wrote it (deletions in, insertions out)
    chapter: str | None = None  # the template, e.g. 04-skills.md.j2
    line: int | None = None
    placed: str = "no"  # anchor, text or no
    key_figure: str | None = None
    suggestion: str = ""
    anchor: str | None = field(default=None, repr=False)
    before: str = field(default="", repr=False)  # the paragraph's text before a change

    @property
    def where(self) -> str:
        return f"{self.chapter}:{self.line}" if self.chapter else "not placed"

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("anchor")
        data.pop("before")
        data["where"] = self.where
        return data


@dataclass
class Paragraph:
    """A paragraph of the document: its original text and its bookmarks."""

    text: str = ""
    anchor: str | None = None  # its src_ bookmark


def _attribute(element, name: str) -> str:
    return element.get(f"{_W}{name}", "")


def _xml(archive: zipfile.ZipFile, name: str):
    try:
        data = archive.read(name)
    except KeyError:
        return None
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _comments(archive: zipfile.ZipFile) -> dict[str, dict[str, str]]:
    root = _xml(archive, "word/comments.xml")
    found: dict[str, dict[str, str]] = {}
    for comment in [] if root is None else root.iter(f"{_W}comment"):
        paragraphs = [
            "".join(t.text or "" for t in p.iter(f"{_W}t")) for p in comment.iter(f"{_W}p")
        ]
        found[_attribute(comment, "id")] = {
            "author": _attribute(comment, "author"),
            "date": _attribute(comment, "date"),
            "text": "\n".join(p for p in paragraphs if p.strip()),
        }
    return found


def read_remarks(path: Path) -> tuple[list[Remark], list[Paragraph]]:
    """Every comment and tracked change of ``path`` in page order, each with its paragraph
    (not yet placed), and the document's paragraphs."""
    try:
        with zipfile.ZipFile(path) as archive:
            comments = _comments(archive)
            body = _xml(archive, "word/document.xml")
    except (zipfile.BadZipFile, OSError, etree.XMLSyntaxError) as error:
        raise ReviewProblem(f"{path} is not a readable Word file ({error})") from None
    if body is None:
        raise ReviewProblem(f"{path} has no document part (word/document.xml): is it a .docx?")
    return _walk(body, comments)


def _walk(body, comments: Mapping[str, Mapping[str, str]]) -> tuple[list[Remark], list[Paragraph]]:
    remarks: list[Remark] = []
    paragraphs: list[Paragraph] = []
    by_comment: dict[str, Remark] = {}
    open_ranges: set[str] = set()
    figures: dict[str, str] = {}  # open kf bookmarks: id -> name
    for element in body.iter(f"{_W}p"):
        paragraph = Paragraph()
        paragraphs.append(paragraph)
        here: list[Remark] = []
        for node in element.iter():
            tag = node.tag.removeprefix(_W) if isinstance(node.tag, str) else ""
            if tag == "bookmarkStart":
                name = _attribute(node, "name")
                if name.startswith(SOURCE_PREFIX) and paragraph.anchor is None:
                    paragraph.anchor = name
                elif name.startswith(FIGURE_PREFIX):
                    figures[_attribute(node, "id")] = name
            elif tag == "bookmarkEnd":
                figures.pop(_attribute(node, "id"), None)
            elif tag in ("commentRangeStart", "commentReference"):
                number = _attribute(node, "id")
                if number in by_comment or number not in comments:
                    continue
                info = comments[number]
                remark = Remark("comment", info["author"], info["date"], info["text"])
                remark.key_figure = next(iter(figures.values()), None)
                by_comment[number] = remark
                remarks.append(remark)
                here.append(remark)
                if tag == "commentRangeStart":
                    open_ranges.add(number)
            elif tag == "commentRangeEnd":
                open_ranges.discard(_attribute(node, "id"))
            elif tag in ("ins", "del") and node.find(f"{_W}r") is not None:
                text = "".join(t.text or "" for t in node.iter(f"{_W}t", f"{_W}delText"))
                kind = "insertion" if tag == "ins" else "deletion"
                remark = Remark(kind, _attribute(node, "author"), _attribute(node, "date"), text)
                remark.before = paragraph.text
                remark.key_figure = next(iter(figures.values()), None)
                remarks.append(remark)
                here.append(remark)
            elif tag in ("t", "delText"):
                inserted = any(a.tag == f"{_W}ins" for a in node.iterancestors())
                if tag == "delText" or not inserted:
                    paragraph.text += node.text or ""
                if tag == "t" or inserted:
                    for number in open_ranges:
                        by_comment[number].quoted += node.text or ""
        for remark in here:
            remark.paragraph = paragraph.text
            remark.anchor = paragraph.anchor
            if remark.kind != "comment":
                remark.suggestion = _suggestion(remark)
    return remarks, paragraphs


def _suggestion(remark: Remark) -> str:
    """``insert “x” after “…”`` / ``delete “x” after “…”``: the words before the change."""
    verb = "insert" if remark.kind == "insertion" else "delete"
    context = " ".join(remark.before.split()[-6:])
    return f"{verb} “{remark.text}”" + (f" after “{context}”" if context else " at the start")


def figure_name(bookmark: str, names: Iterable[str]) -> str:
    """The key figure of a ``kf_`` bookmark: the name whose hash it carries (else its
    name as the bookmark has it, with "…" when review-docx.lua cut it)."""
    match = _FIGURE.match(bookmark)
    if not match:
        return bookmark
    cut, digest = match.groups()
    for name in names:
        if name.startswith(cut) and hashlib.sha1(name.encode()).hexdigest()[:6] == digest:
            return name
    return cut if len(cut) < FIGURE_NAME_CUT else cut + "…"


def template_of(bookmark: str, templates: Iterable[str]) -> tuple[str, int] | None:
    """(template name, line) of a ``src_`` bookmark, or None."""
    match = _SOURCE.match(bookmark)
    if not match:
        return None
    stem, line = match.groups()
    for template in templates:
        if chapter_key(template) == stem:
            return template, int(line)
    return None


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{3,}", text.lower())


def narrow_line(source: str, start: int, quoted: str, figure: str | None) -> int:
    """The template line, from the block's first line ``start`` to its end, that holds the
    key figure or most of the quoted words (else ``start``)."""
    lines = source.splitlines()
    block: list[tuple[int, str]] = []
    for number in range(start, len(lines) + 1):
        text = lines[number - 1]
        if number > start and not text.strip():
            break
        block.append((number, text))
    if figure:
        for number, text in block:
            if re.search(rf"kf(\.{re.escape(figure)}\b|\[\"{re.escape(figure)}\"\])", text):
                return number
    wanted = _words(quoted)
    if not wanted:
        return start
    best, best_score = start, 0.0
    for number, text in block:
        literal = _words(re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", text))
        score = sum(1 for w in wanted if w in literal) / len(wanted)
        if score > best_score + 1e-9:
            best, best_score = number, score
    return best


def _narrowing_words(remark: Remark) -> str:
    """The words that say which line of the block a remark is on: none for a comment on
    (nearly) the whole paragraph (its first line), the words just before a change."""
    if remark.kind == "comment":
        whole = len(remark.quoted.strip()) >= WHOLE_PARAGRAPH * len(remark.paragraph.strip())
        return "" if whole else remark.quoted
    deleted = remark.text if remark.kind == "deletion" else ""
    return " ".join(remark.before.split()[-4:]) + " " + deleted


def place(
    remarks: list[Remark],
    chapters_dir: Path,
    reference: list[Paragraph] | None = None,
    key_figures: Iterable[str] = (),
) -> list[Remark]:
    """Put every remark at its chapter line: by its paragraph's bookmark, else by the text
    of its paragraph against ``reference`` (the unreviewed copy's paragraphs)."""
    sources = {
        t.name: t.read_text(encoding="utf-8")
        for t in sorted(Path(chapters_dir).glob(f"*{CHAPTER_SUFFIX}"))
    }
    names = list(key_figures)
    anchored = [p for p in reference or [] if p.anchor and p.text.strip()]
    for remark in remarks:
        anchor, remark.placed = remark.anchor, "anchor"
        if anchor is None and anchored and remark.paragraph.strip():
            scores = [
                (difflib.SequenceMatcher(None, remark.paragraph, p.text, autojunk=False).ratio(), p)
                for p in anchored
            ]
            ratio, best = max(scores, key=lambda pair: pair[0])
            anchor, remark.placed = (best.anchor, "text") if ratio >= TEXT_MATCH else (None, "no")
        found = template_of(anchor, sources) if anchor else None
        if found is None:
            remark.placed = "no"
            continue
        if remark.key_figure:
            remark.key_figure = figure_name(remark.key_figure, names)
        remark.chapter, start = found
        quoted = _narrowing_words(remark)
        figure = (
            remark.key_figure if remark.key_figure and not remark.key_figure.endswith("…") else None
        )
        remark.line = narrow_line(sources[remark.chapter], start, quoted, figure)
    return remarks
