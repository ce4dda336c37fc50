"""Stage 4, the guard: no personal value of the raw files in any output; only then publish.

The interviews files hold the interviewees' name, e-mail, organisation and phone
(``contract`` kind ``personal``). Cleaning drops those columns and anonymises the quotes;
this module checks that it worked, at the end of every build:

1. ``read_personal_values`` reads every personal value of every interviews file (with the
   readers the pipeline uses), and the quotes given *without* consent.
2. ``scan_files`` looks for each of them in every output: the text and the attributes of
   HTML (entities decoded, embedded SVG and figure data included), the text, metadata and
   attachments of PDF files, CSV, JSON, Markdown/.qmd and logs. Text is compared ignoring
   case and runs of white space, whole words only; phone numbers by their digits (with or
   without the country code). Values shorter than ``MIN_VALUE_CHARS`` are not searched.
   Values that are also public names (partners.csv, the consortium list of config.yaml,
   the providers of the case studies) are exempt: they are printed in the report on purpose
   and identify nobody by themselves.
3. ``publish`` copies the checked outputs into ``report/output/``: each file is written to a
   temporary file in that folder and renamed over the old one, so a reader (or a build
   killed at any moment) only ever sees a complete old or a complete new file.

A finding names the output file and the *kind* of value and where it came from (raw file
and row), never the value itself, so the message can be shown and logged safely.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote_to_bytes

from ktreport.contract import CASE_STUDIES, INTERVIEWS, PARTNERS_COLUMNS, YES_VALUES
from ktreport.ingest.readers import read_table
from ktreport.ingest.spelling import fold

# What a finding calls each kind of value (never the value itself).
KINDS: dict[str, str] = {
    "name": "an interviewee's name",
    "email": "an interviewee's e-mail",
    "organisation": "an interviewee's organisation",
    "phone": "an interviewee's phone number",
    "quote": "a quote whose interviewee did not consent to be quoted",
}
# Shorter values match ordinary words ("Li", "ACME" is 4): they are not searched.
MIN_VALUE_CHARS = 4
# Fewer digits than this cannot be told apart from other numbers of the report.
MIN_PHONE_DIGITS = 7
# A quote shorter than this ("Yes.", "Exactly") is not distinctive enough to search.
MIN_QUOTE_CHARS = 20
# Findings listed in a message at most (the rest are counted).
MAX_LISTED = 20
# File types read as text; PDF and HTML have their own readers; others are listed as skipped.
TEXT_SUFFIXES = frozenset(
    {".csv", ".tsv", ".json", ".qmd", ".md", ".txt", ".log", ".ok", ".yml", ".yaml", ".css"}
    | {".lua", ".js", ".tex", ".bib", ".xml", ".svg", ".html", ".htm", ".j2", ""}
)
HTML_SUFFIXES = frozenset({".html", ".htm", ".svg", ".xml"})
BINARY_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ttf", ".otf", ".woff", ".woff2", ".ico"}
)
PARTIAL_MARK = ".partial-"


class GuardProblem(Exception):
    """An output cannot be checked or published; the message says which and why."""


# --------------------------------------------------------------------------- values
@dataclass(frozen=True, order=True)
class PersonalValue:
    """One personal value of a raw file; ``repr`` and messages never show the value."""

    kind: str  # a key of KINDS
    source: str  # the raw file, as problems name it
    row: int  # the spreadsheet row the partner sees
    value: str = field(repr=False, compare=False)


def normalise(text: str) -> str:
    """Text for comparison: compatibility forms, no case, one space for any white space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() and ch.isascii())


def _display(path: Path, root: Path | None) -> str:
    base = (root or Path.cwd()).resolve()
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _interview_files(raw_dir: Path) -> list[Path]:
    from ktreport.catalog import discover_partner_files

    files = discover_partner_files(Path(raw_dir))
    return sorted(p for (table, _), paths in files.items() if table == "interviews" for p in paths)


def read_personal_values(raw_dir: Path, root: Path | None = None) -> list[PersonalValue]:
    """Every personal value of every interviews file, and every quote given without consent.

    Files are read exactly as the pipeline reads them (``readers.read_table``), so a value
    the pipeline could see is a value the guard looks for.
    """
    values: list[PersonalValue] = []
    for path in _interview_files(raw_dir):
        shown = _display(path, root)
        table = read_table(
            path, shown, INTERVIEWS.column_names, INTERVIEWS.required_columns, "interviews"
        )
        for raw_row in table.rows:
            for column in INTERVIEWS.personal_columns:
                text = raw_row.cells.get(column, "")
                if text:
                    values.append(PersonalValue(column, shown, raw_row.number, text))
            quote = raw_row.cells.get("quote", "")
            consent = fold(raw_row.cells.get("consent_to_quote", "")) in YES_VALUES
            if quote and not consent:
                values.append(PersonalValue("quote", shown, raw_row.number, quote))
    return sorted(values)


def public_names(raw_dir: Path, extra: Iterable[str] = ()) -> set[str]:
    """Names printed in the report on purpose (normalised): the partners' ids and names,
    ``extra`` (the consortium list of config.yaml) and the providers of the case studies."""
    from ktreport.catalog import discover_partner_files

    names = {normalise(name) for name in extra if name}
    partners = read_table(
        Path(raw_dir) / "partners.csv", "partners.csv", PARTNERS_COLUMNS, PARTNERS_COLUMNS
    )
    for row in partners.rows:
        names.update(normalise(row.cells.get(c, "")) for c in ("partner_id", "name"))
    for (table, _), paths in discover_partner_files(Path(raw_dir)).items():
        if table != "case_studies":
            continue
        for path in paths:
            cases = read_table(
                path, path.name, CASE_STUDIES.column_names, CASE_STUDIES.required_columns
            )
            names.update(normalise(row.cells.get("provider", "")) for row in cases.rows)
    names.discard("")
    return names


# --------------------------------------------------------------------------- matching
@dataclass(frozen=True)
class _Needle:
    value: PersonalValue
    literal: str  # a fast substring test before the regular expression ("" for phones)
    source: str  # the regular expression
    n_digits: int = 0  # phones: digits of the number searched
    digits: str = ""  # phones: the number searched, digits only

    @property
    def pattern(self) -> re.Pattern[str]:
        """Compiled on first use: most values are never tried on any file (the index rules
        them out), and compiling all 38,000 patterns of 100x the sample took 8 s."""
        return _compile(self.source)


_compile = functools.cache(re.compile)


def _phone_variants(text: str) -> list[str]:
    """The digits of a phone number, and the same without its international prefix."""
    number = digits(text)
    variants = {number}
    international = text.strip().startswith(("+", "00"))
    if number.startswith("00"):
        number = number[2:]
        variants.add(number)
    if international:
        for cut in (1, 2, 3):  # country codes have 1 to 3 digits
            national = number[cut:]
            variants.update({national, "0" + national})
    return sorted(v for v in variants if len(v) >= MIN_PHONE_DIGITS)


# Between the digits of a phone number: spaces, dots, dashes, slashes, brackets (no line
# break: numbers of adjacent table cells or JSON values are separated by line breaks).
_PHONE_SEPARATORS = "[ ().\\-/\u00a0]{0,3}"


def _is_phone_match(match: re.Match[str], n_digits: int) -> bool:
    """Not a decimal number ("0.0000001") nor a run of one-digit table cells ("1 0 0 1 …")."""
    text = match.group(0)
    separators = re.findall(r"[^0-9]+", text)
    if separators == ["."] or separators == [","]:
        return False
    return len(separators) * 2 <= n_digits


def _needles(values: Iterable[PersonalValue], exempt: set[str]) -> list[_Needle]:
    needles: list[_Needle] = []
    for value in values:
        if value.kind == "phone":
            for variant in _phone_variants(value.value):
                separated = _PHONE_SEPARATORS.join(variant)
                # Not inside a longer number, nor the decimals of one ("0.0512099111"; a comma
                # may separate CSV fields, so "1,0512099111" is searched).
                source = r"(?<!\d)(?<!\d\.)" + separated + r"(?!\d)"
                needles.append(_Needle(value, "", source, len(variant), variant))
            continue
        text = normalise(value.value)
        shortest = MIN_QUOTE_CHARS if value.kind == "quote" else MIN_VALUE_CHARS
        if len(text) < shortest or text in exempt:
            continue
        needles.append(_Needle(value, text, r"(?<!\w)" + re.escape(text) + r"(?!\w)"))
    return needles


# --------------------------------------------------------------------------- extraction
_PLOTLY_DIGESTS: set[str] | None = None


def _plotly_library_digests() -> set[str]:
    """sha256 of plotly.min.js as the HTML embeds it: the library's code is not partner
    data (and mentions words such as company names of its own)."""
    global _PLOTLY_DIGESTS
    if _PLOTLY_DIGESTS is None:
        _PLOTLY_DIGESTS = set()
        try:
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
    from pypdf import PdfReader

    reader = PdfReader(str(path), strict=False)
    parts = [page.extract_text() or "" for page in reader.pages]
    for key, value in sorted((reader.metadata or {}).items()):
        parts.append(f"{key} {value}")
    for name, contents in sorted(reader.attachments.items()):
        parts.append(name)
        for data in contents:
            parts.append(data.decode("utf-8", errors="replace"))
    return parts


def pdf_text(path: Path) -> str:
    """The text of every page, the document metadata and the attached files of a PDF."""
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


def file_text(path: Path) -> str | None:
    """The searchable text of one output file, or None for a type that holds no text."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_text(path)
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


# --------------------------------------------------------------------------- scanning
@dataclass(frozen=True, order=True)
class Leak:
    """A personal value found in an output: where, what kind, and where it came from."""

    file: str
    kind: str
    source: str
    row: int

    def message(self) -> str:
        return f"{self.file} contains {KINDS[self.kind]} (from {self.source}, row {self.row})"


@dataclass
class ScanResult:
    leaks: list[Leak]
    scanned: list[str]  # files read
    skipped: list[str]  # files of a type that holds no text (images, fonts)
    n_values: int  # personal values searched for

    @property
    def clean(self) -> bool:
        return not self.leaks


_NON_DIGITS = re.compile(r"[^0-9]+")
_WORD = re.compile(r"\w+")
# A run of digits with at most three separators between neighbours: every phone pattern
# match lies inside one such run.
_DIGIT_RUN = re.compile(r"[0-9](?:" + _PHONE_SEPARATORS + r"[0-9])*")


class _NeedleIndex:
    """The needles, indexed so that a file's text is tested only against the needles it can
    contain. Each test is a necessary condition of a match, so the findings are the same as
    matching every needle, and the cost no longer grows with needles x text: at 10x the
    sample (2,180 values, 196 files) matching every needle took 60 % of the guard's time.

    - text needles: each maximal word (``\\w+``) of the value is a maximal word of any text
      the pattern ``(?<!\\w)value(?!\\w)`` matches, and neighbouring words of the value are
      neighbouring words of the text, so a value is tried only when its longest word is one
      of the text's words, then only when all its words and pairs of neighbours are;
    - phones: the digits of a match are consecutive digits of one run of digits and
      separators, so a number is tried only when it is a substring of such a run's digits.
    """

    def __init__(self, needles: Sequence[_Needle]):
        # Needles with the same pattern (equal values of many interviewees) are tried once
        # per file: at 100x the sample 21,800 values have far fewer distinct patterns.
        self.groups: dict[str, list[_Needle]] = {}
        for needle in needles:
            self.groups.setdefault(needle.source, []).append(needle)
        self.by_word: dict[str, list[str]] = {}
        self.words: dict[str, frozenset[str]] = {}
        self.pairs: dict[str, frozenset[tuple[str, str]]] = {}
        self.always: list[str] = []  # values without a word character
        self.phones: list[str] = []
        for pattern, group in self.groups.items():
            needle = group[0]
            if not needle.literal:
                self.phones.append(pattern)
                continue
            words = _WORD.findall(needle.literal)
            self.words[pattern] = frozenset(words)
            self.pairs[pattern] = frozenset(pairwise(words))
            if words:
                self.by_word.setdefault(max(words, key=len), []).append(pattern)
            else:
                self.always.append(pattern)
        self.phone_lengths = sorted({len(self.groups[p][0].digits) for p in self.phones})

    def candidates(self, text: str, plain: str) -> list[list[_Needle]]:
        """Groups of needles (one pattern each) that the text may contain."""
        tokens = _WORD.findall(plain)
        words = set(tokens)
        pairs: set[tuple[str, str]] | None = None  # neighbouring words, made when needed
        found = list(self.always)
        for word in words & self.by_word.keys():
            for p in self.by_word[word]:
                if not self.words[p] <= words:
                    continue
                if self.pairs[p]:
                    if pairs is None:
                        pairs = set(pairwise(tokens))
                    if not self.pairs[p] <= pairs:
                        continue
                found.append(p)
        if self.phones:
            numbers = self._digit_substrings(text)
            found.extend(p for p in self.phones if self.groups[p][0].digits in numbers)
        return [self.groups[p] for p in found]

    def _digit_substrings(self, text: str) -> set[str]:
        shortest = self.phone_lengths[0]
        substrings: set[str] = set()
        for run in _DIGIT_RUN.finditer(text):
            number = _NON_DIGITS.sub("", run.group(0))
            if len(number) < shortest:
                continue
            for length in self.phone_lengths:
                substrings.update(number[i : i + length] for i in range(len(number) - length + 1))
        return substrings


def scan_text(
    text: str, needles: Sequence[_Needle], shown: str, index: _NeedleIndex | None = None
) -> list[Leak]:
    """The leaks of one file's text (one per personal value found). ``index``: the same
    needles indexed (built once for many files)."""
    plain = normalise(text)
    leaks = []
    for group in (index or _NeedleIndex(needles)).candidates(text, plain):
        needle = group[0]
        if needle.literal:
            found = needle.literal in plain and needle.pattern.search(plain) is not None
        else:
            matches = needle.pattern.finditer(text)
            found = any(_is_phone_match(m, needle.n_digits) for m in matches)
        if found:
            leaks.extend(Leak(shown, n.value.kind, n.value.source, n.value.row) for n in group)
    return sorted(set(leaks))


def scan_files(
    paths: Iterable[Path],
    values: Sequence[PersonalValue],
    *,
    exempt: set[str] | None = None,
    root: Path | None = None,
) -> ScanResult:
    """Look for every personal value in every file of ``paths`` (files with the same
    bytes are read once)."""
    needles = _needles(values, exempt or set())
    index = _NeedleIndex(needles)
    leaks: list[Leak] = []
    scanned: list[str] = []
    skipped: list[str] = []
    seen: dict[str, list[Leak]] = {}
    for path in sorted(set(map(Path, paths))):
        shown = _display(path, root)
        if not path.is_file():
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest() + path.suffix.lower()
        if digest in seen:
            found = [Leak(shown, x.kind, x.source, x.row) for x in seen[digest]]
        else:
            text = file_text(path)
            if text is None:
                skipped.append(shown)
                continue
            found = scan_text(text, needles, shown, index)
            seen[digest] = found
        scanned.append(shown)
        leaks.extend(found)
    return ScanResult(sorted(leaks), scanned, skipped, len(values))


def files_under(folders: Iterable[Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Every file under ``folders`` (recursively), minus ``exclude``, sorted."""
    excluded = {Path(p).resolve() for p in exclude}
    found = set()
    for folder in folders:
        folder = Path(folder)
        if folder.is_file():
            candidates = [folder]
        elif folder.is_dir():
            candidates = [p for p in folder.rglob("*") if p.is_file()]
        else:
            continue
        found.update(p for p in candidates if p.resolve() not in excluded)
    return sorted(found)


def check_personal_data(
    raw_dir: Path,
    paths: Iterable[Path],
    *,
    deliverables: Iterable[Path] = (),
    public: Iterable[str] = (),
    root: Path | None = None,
) -> ScanResult:
    """Every personal value of ``raw_dir`` searched in every file of ``paths`` and of
    ``deliverables``; quotes given without consent in ``deliverables`` only (the partners'
    own validation report and the intermediate files may show them what they typed)."""
    values = read_personal_values(raw_dir, root)
    exempt = public_names(raw_dir, public)
    deliverables = list(deliverables)
    personal = [v for v in values if v.kind != "quote"]
    quotes = [v for v in values if v.kind == "quote"]
    everywhere = scan_files([*paths, *deliverables], personal, exempt=exempt, root=root)
    published = scan_files(deliverables, quotes, exempt=exempt, root=root)
    return ScanResult(
        sorted(set(everywhere.leaks) | set(published.leaks)),
        everywhere.scanned,
        everywhere.skipped,
        len(values),
    )


def leak_message(leaks: Sequence[Leak], limit: int = MAX_LISTED) -> str:
    """What the build says when personal data would leave: files and kinds, no values."""
    files = sorted({leak.file for leak in leaks})
    lines = [
        f"Personal data found in {len(files)} output file{'s' if len(files) != 1 else ''}; "
        "the report was not published:"
    ]
    lines += [f"  {leak.message()}" for leak in leaks[:limit]]
    if len(leaks) > limit:
        lines.append(f"  … and {len(leaks) - limit} more")
    lines.append(
        "Personal columns (name, email, organisation, phone) must never reach a chapter, "
        "figure or table, and quotes are used only with consent: find where the output "
        "takes that text from and remove it."
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------- publishing
def incomplete_reason(path: Path) -> str | None:
    """Why ``path`` is not a complete output (None when it is)."""
    path = Path(path)
    if not path.is_file():
        return "it does not exist"
    if path.stat().st_size == 0:
        return "it is empty"
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        with path.open("rb") as stream:
            stream.seek(max(0, path.stat().st_size - 64))
            tail = stream.read().strip().lower()
        if not tail.endswith(b"</html>"):
            return "it does not end with </html>"
    elif suffix == ".pdf":
        try:
            pdf_text(path)
        except GuardProblem:
            return "it is not a readable PDF"
    elif suffix == ".json":
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            return "it is not valid JSON"
    return None


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on every platform; the rename is still atomic
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def publish(files: Sequence[Path], out_dir: Path) -> list[Path]:
    """Copy checked outputs into ``out_dir``, each by a temporary file and a rename.

    Every file is checked to be complete first; nothing is published unless all are.
    Temporary files left by a killed earlier publish are removed. Returns the targets.
    """
    out_dir = Path(out_dir)
    problems = [
        f"{Path(p).as_posix()}: {reason}"
        for p in files
        if (reason := incomplete_reason(Path(p))) is not None
    ]
    if problems:
        raise GuardProblem("not published, an output is incomplete: " + "; ".join(problems))
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f".*{PARTIAL_MARK}*"):
        stale.unlink(missing_ok=True)
    targets = []
    for source in files:
        source = Path(source)
        target = out_dir / source.name
        temporary = out_dir / f".{source.name}{PARTIAL_MARK}{os.getpid()}"
        with source.open("rb") as reader, temporary.open("wb") as writer:
            while chunk := reader.read(1 << 20):
                writer.write(chunk)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(temporary, target)
        targets.append(target)
    _fsync_folder(out_dir)
    return targets
