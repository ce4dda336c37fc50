"""Stage 5, the guard: no personal value of the raw files in any output; only then publish.

The interviews files hold the interviewees' name, e-mail, organisation and phone
(``contract`` kind ``personal``). Cleaning drops those columns and anonymises the quotes;
this package checks that it worked, at the end of every build:

1. ``values.read_personal_values`` reads every personal value of every interviews file
   (with the readers the pipeline uses), and the quotes given *without* consent.
2. ``scan_files`` (here) looks for each of them (``matching``) in the text of every output
   (``extract``): the text and the attributes of HTML (entities decoded, embedded SVG and
   figure data included), the text, metadata and attachments of PDF files, CSV, JSON,
   Markdown/.qmd and logs. Values are compared as the validator compares them
   (``ingest.personal``): text without accents, case, runs of spaces or punctuation, whole
   words only; phone numbers by their digits in every national and international form.
   Values shorter than ``matching.MIN_VALUE_CHARS`` are not searched. Values that are also public
   names (partners.csv, the consortium list of config.yaml, the providers of the case
   studies) are exempt: they are printed in the report on purpose and identify nobody by
   themselves.
3. ``publishing.publish`` copies the checked outputs into ``report/output/``: each file is
   written to a temporary file in that folder and renamed over the old one, so a reader
   (or a build killed at any moment) only ever sees a complete old or a complete new file.

A finding names the output file and the *kind* of value and where it came from (raw file
and row), never the value itself, so the message can be shown and logged safely. When the
value also stands in a partner's cell that is not a personal column (a quote that names
another interviewee, a case study's notes), the finding names that cell too: the partner
corrects it there.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ktreport.core.style import plural_word
from ktreport.guard import cache
from ktreport.guard.extract import file_text
from ktreport.guard.matching import Needle, NeedleIndex, needle_found, needles_for
from ktreport.guard.values import (
    KINDS,
    PersonalValue,
    TypedCell,
    display_path,
    normalise,
    public_names,
    read_personal_values,
    read_typed_cells,
)

# Findings listed in a message at most (the rest are counted).
MAX_LISTED = 20


@dataclass(frozen=True, order=True)
class Leak:
    """A personal value found in an output: where, what kind, and where it came from."""

    file: str
    kind: str
    source: str
    row: int
    typed: str = ""  # the partner's cell that holds the value too ("" when none does)

    def message(self) -> str:
        text = f"{self.file} contains {KINDS[self.kind]} (from {self.source}, row {self.row})"
        return text + (f", typed in {self.typed}" if self.typed else "")


@dataclass
class ScanResult:
    leaks: list[Leak]
    scanned: list[str]  # files read
    skipped: list[str]  # files of a type that holds no text (images, fonts)
    n_values: int  # personal values searched for

    @property
    def clean(self) -> bool:
        return not self.leaks


def scan_text(
    text: str, needles: Sequence[Needle], shown: str, index: NeedleIndex | None = None
) -> list[Leak]:
    """The leaks of one file's text (one per personal value found). ``index``: the same
    needles indexed (built once for many files)."""
    plain = normalise(text)
    index = index or NeedleIndex(needles)
    runs = index.digit_runs(text)
    leaks = []
    for group in index.candidates(text, plain, runs):
        if needle_found(group[0], text, plain, runs):
            leaks.extend(Leak(shown, n.value.kind, n.value.source, n.value.row) for n in group)
    return sorted(set(leaks))


# What the scanning processes share, set before they fork (``scan_files``): for each set
# of values searched, its needles and their index.
_SHARED: list[tuple[list[Needle], NeedleIndex]] = []


def _scan_one(job: tuple[Path, int]) -> list[Leak] | None:
    """The leaks of one file (``None``: a file without text) for the first ``searches`` sets
    of values of ``_SHARED``, its text extracted once, in a scanning process."""
    path, searches = job
    text = file_text(path)
    if text is None:
        return None
    return [
        leak
        for needles, index in _SHARED[:searches]
        for leak in scan_text(text, needles, "", index)
    ]


def _scan_all(jobs: list[tuple[Path, int]], workers: int) -> list[list[Leak] | None]:
    """``_scan_one`` of every job, in order: in ``workers`` forked processes (they share
    the needle indexes without copying them) when there are several, else here."""
    if workers <= 1 or len(jobs) < 2:
        return [_scan_one(job) for job in jobs]
    context = multiprocessing.get_context("fork")
    with context.Pool(min(workers, len(jobs))) as pool:
        # Large files first would balance better, but order of results must be kept:
        # small chunks let the two processes share the work.
        return pool.map(_scan_one, jobs, chunksize=1)


Outcome = list[Leak] | None  # a file's leaks; None: a file without text


def _search_remembered(
    first: dict[tuple[str, int], Path], workers: int, memory: Path | None
) -> dict[tuple[str, int], Outcome]:
    """``_scan_all`` of the files of ``first`` (content key → a file with those bytes),
    except those ``memory`` (``guard.cache``) found clean for the same searches and code;
    the clean ones are remembered there."""
    digest = cache.searches_digest([needles for needles, _ in _SHARED]) if memory else ""
    known = cache.read(memory, digest) if memory else {}
    unknown = [key for key in first if cache.file_key(*key) not in known]
    found = dict(zip(unknown, _scan_all([(first[k], k[1]) for k in unknown], workers), strict=True))
    for key in first.keys() - found.keys():
        found[key] = [] if known[cache.file_key(*key)] == cache.CLEAN else None
    if memory:
        outcomes = {
            cache.file_key(*key): cache.NO_TEXT if outcome is None else cache.CLEAN
            for key, outcome in found.items()
            if not outcome
        }
        cache.write(memory, digest, outcomes)
    return found


def scan_files(
    paths: Iterable[Path],
    values: Sequence[PersonalValue],
    *,
    exempt: set[str] | None = None,
    root: Path | None = None,
    workers: int = 1,
    deliverables: Iterable[Path] = (),
    deliverable_values: Sequence[PersonalValue] = (),
    memory: Path | None = None,
) -> ScanResult:
    """Look for every personal value of ``values`` in every file of ``paths`` and
    ``deliverables``, and for those of ``deliverable_values`` in ``deliverables`` only: each
    file's text is extracted once, files with the same bytes are read once, in ``workers``
    processes (the guard's rule: its threads). ``memory``: the folder where the files found
    clean are remembered (``guard.cache``): a file with the same bytes, searched for the
    same values by the same code, is not read again."""
    searches = [values] + ([deliverable_values] if deliverable_values else [])
    for searched in searches:
        needles = needles_for(searched, exempt or set())
        _SHARED.append((needles, NeedleIndex(needles)))
    published = set(map(Path, deliverables))
    files = [path for path in sorted(set(map(Path, paths)) | published) if path.is_file()]
    keys = [
        (
            hashlib.sha256(path.read_bytes()).hexdigest() + path.suffix.lower(),
            len(searches) if path in published else 1,
        )
        for path in files
    ]
    first: dict[tuple[str, int], Path] = {}
    for path, key in zip(files, keys, strict=True):
        first.setdefault(key, path)
    try:
        found = _search_remembered(first, workers, memory)
    finally:
        _SHARED.clear()
    leaks: list[Leak] = []
    scanned: list[str] = []
    skipped: list[str] = []
    for path, key in zip(files, keys, strict=True):
        shown = display_path(path, root)
        file_leaks = found[key]
        if file_leaks is None:
            skipped.append(shown)
            continue
        scanned.append(shown)
        leaks.extend(Leak(shown, x.kind, x.source, x.row) for x in file_leaks)
    return ScanResult(sorted(set(leaks)), scanned, skipped, len(values))


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
    workers: int = 1,
    memory: Path | None = None,
) -> ScanResult:
    """Every personal value of ``raw_dir`` searched in every file of ``paths`` and of
    ``deliverables``; quotes given without consent in ``deliverables`` only (the partners'
    own validation report and the intermediate files may show them what they typed).
    ``workers``: processes that scan the files side by side; ``memory``: where the files
    found clean are remembered (``scan_files``)."""
    values = read_personal_values(raw_dir, root)
    exempt = public_names(raw_dir, public)
    deliverables = list(deliverables)
    personal = [v for v in values if v.kind != "quote"]
    quotes = [v for v in values if v.kind == "quote"]
    # One pass: the quotes given without consent are searched in the deliverables only.
    everywhere = scan_files(
        paths,
        personal,
        exempt=exempt,
        root=root,
        workers=workers,
        deliverables=deliverables,
        deliverable_values=quotes,
        memory=memory,
    )
    leaks = everywhere.leaks
    if leaks:
        leaks = locate(leaks, values, read_typed_cells(raw_dir, root), exempt)
    return ScanResult(
        leaks,
        everywhere.scanned,
        everywhere.skipped,
        len(values),
    )


def locate(
    leaks: Sequence[Leak],
    values: Sequence[PersonalValue],
    cells: Sequence[TypedCell],
    exempt: set[str] | None = None,
) -> list[Leak]:
    """``leaks`` with the first partner cell of ``cells`` that holds each leaked value (a
    quote without consent: another cell than its own)."""
    leaked = {(leak.kind, leak.source, leak.row) for leak in leaks}
    needles = needles_for(
        [v for v in values if (v.kind, v.source, v.row) in leaked], exempt or set()
    )
    index = NeedleIndex(needles)
    where: dict[tuple[str, str, int], str] = {}
    for cell in sorted(cells):
        plain = normalise(cell.text)
        for group in index.candidates(cell.text, plain):
            for needle in group:
                value = needle.value
                key = (value.kind, value.source, value.row)
                own = (value.source, value.row, "quote") == (cell.source, cell.row, cell.column)
                if key in where or (value.kind == "quote" and own):
                    continue
                if needle_found(needle, cell.text, plain):
                    where[key] = cell.where
    return sorted(replace(x, typed=where.get((x.kind, x.source, x.row), "")) for x in leaks)


def leak_message(leaks: Sequence[Leak], limit: int = MAX_LISTED) -> str:
    """What the build says when personal data would leave: files and kinds, no values."""
    files = sorted({leak.file for leak in leaks})
    lines = [
        f"Personal data found in {len(files)} output {plural_word(len(files), 'file')}; "
        "the report was not published:"
    ]
    lines += [f"  {leak.message()}" for leak in leaks[:limit]]
    if len(leaks) > limit:
        lines.append(f"  … and {len(leaks) - limit} more")
    if any(leak.typed for leak in leaks):
        lines.append(
            "A value typed in a partner's cell must be corrected there: remove it from the "
            "cell named (or write [name], [e-mail], [organisation] or [phone] instead), "
            "check the files with `ktreport validate` and build again."
        )
    if not all(leak.typed for leak in leaks):
        lines.append(
            "Personal columns (name, email, organisation, phone) must never reach a "
            "chapter, figure or table, and quotes are used only with consent: find where "
            "the output takes that text from and remove it."
        )
    return "\n".join(lines)
