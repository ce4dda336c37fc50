"""Stage 1, one table's partner files -> one bundle of parts, re-cleaning only what changed.

The pipeline step ``clean_table`` runs once per table (case studies, interviews, ratings),
not once per file: one Python start for the table instead of one per partner file (at 100
times the sample's size, 140 processes cost more than their work). It keeps the part of
each partner's file(s) in a cache, ``data/processed/parts/cache/<table>/<key>.json``, keyed
by the sha256 of what the part is made of: the file's name and bytes, the taxonomy's bytes
and the source of the library that checks it. A one-partner change re-cleans that partner's
file alone; the others are read back from the cache. Entries no file uses any more (a file
removed or changed) are deleted, so the cache holds exactly the current parts.

The bundle (``data/processed/parts/<table>.json``) is the JSON list of the table's parts in
partner order, each exactly the part the per-file step wrote (``parts.part_to_json``): the
tables combined from it are the same bytes. A part here has no preview (the cells as the
partner typed them, for the validation page of ``ktreport validate``, which reads the files
itself): at 100x the sample the previews were three fifths of the parts, written, read
back and searched by the guard twice (cache and bundle) at every cold build. Standard
library only (no pandas).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ktreport.catalog import library_files
from ktreport.core.stamps import sha256
from ktreport.ingest.checks import check_partner_file
from ktreport.ingest.parts import part_from_data, part_to_json
from ktreport.ingest.results import PartnerFile, display_path
from ktreport.ingest.taxonomy import load_taxonomy

# Bump when the part's format changes: every cached part is then cleaned again.
FORMAT = "ktreport-part 2"


@dataclass(frozen=True)
class TableParts:
    """What ``clean_table`` did: the table's files, how many it cleaned, and its log."""

    table: str
    n_partners: int
    cleaned: tuple[str, ...]  # the files cleaned (display paths); the others came from the cache
    log: str


def library_digest(library: Path | None = None) -> str:
    """The source of the code that cleans a file, as one sha256."""
    if library is None:
        library = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for file in library_files("ingest", library=library):
        digest.update(f"{file.relative_to(library).as_posix()}\0".encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def group_by_partner(paths: Sequence[Path]) -> dict[str, list[Path]]:
    """Partner id (the file's stem) -> its files, in the order given (discovery's)."""
    groups: dict[str, list[Path]] = {}
    for path in map(Path, paths):
        groups.setdefault(path.stem, []).append(path)
    return groups


def _key(table: str, partner: str, shown: list[str], paths: list[Path], context: str) -> str:
    """The cache key of one partner's part; a file that cannot be read has no key (it is
    cleaned every time, and its problem says why)."""
    try:
        contents = [sha256(path) for path in paths]
    except OSError:
        return ""
    text = json.dumps([FORMAT, table, partner, shown, contents, context])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, path)


def clean_table(
    raw_paths: Sequence[Path],
    table: str,
    taxonomy_path: Path,
    bundle_path: Path,
    cache_dir: Path,
    root: Path | None = None,
) -> TableParts:
    """Every partner file of ``table`` -> the bundle at ``bundle_path``; only the files
    whose key is not in ``cache_dir`` are read and checked."""
    taxonomy_shown = display_path(Path(taxonomy_path), root)
    context = f"{sha256(Path(taxonomy_path))} {library_digest()}"
    taxonomy = None
    texts, used, cleaned, lines = [], set(), [], []
    groups = group_by_partner(raw_paths)
    for partner, paths in sorted(groups.items()):
        shown = [display_path(path, root) for path in paths]
        key = _key(table, partner, shown, paths, context)
        cached = Path(cache_dir) / f"{key}.json"
        if key and cached.is_file():
            text = cached.read_text(encoding="utf-8")
        else:
            if taxonomy is None:  # the taxonomy's own problems are combine_parts' to report
                taxonomy, _ = load_taxonomy(Path(taxonomy_path), taxonomy_shown)
            part = check_partner_file(list(paths), table, partner, taxonomy, root)
            text = part_to_json(part, with_preview=False)
            if key:
                _write(cached, text)
            report = part.report
            cleaned.append(report.path)
            lines.append(
                f"{report.path}: {report.n_rows} rows, {report.n_errors} errors, "
                f"{report.n_warnings} warnings"
            )
        used.add(f"{key}.json")
        texts.append(text.rstrip("\n"))
    for stale in sorted(Path(cache_dir).glob("*.json")) if Path(cache_dir).is_dir() else []:
        if stale.name not in used:
            stale.unlink()
    _write(Path(bundle_path), "[\n" + ",\n".join(texts) + "\n]\n" if texts else "[]\n")
    summary = (
        f"{table}: {len(groups)} partners, {len(cleaned)} cleaned, "
        f"{len(groups) - len(cleaned)} from the cache"
    )
    return TableParts(table, len(groups), tuple(cleaned), "\n".join([summary, *lines]) + "\n")


def read_bundle(path: Path) -> list[PartnerFile]:
    """The parts of one table's bundle, in partner order."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [part_from_data(item) for item in data]
