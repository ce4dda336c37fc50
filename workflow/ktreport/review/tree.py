"""Review aid, after the pipeline: a snapshot, one built version of the report read back.

A *snapshot* is a folder laid out like a built project tree (``report/output/key_figures.json``,
``report/_build/chapters/*.qmd``, ``report/_build/figures/``, ``data/raw/``): a project
built in place, or a revision built by ``review.snapshots`` and copied into the cache.
``Snapshot`` reads what the comparison needs from it, by the catalog's paths.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ktreport import catalog, contract
from ktreport.core import provenance
from ktreport.review.changes import DiffError, SideInfo

# The published key figures (the build's own copy in data/processed/ is not kept).
KEY_FIGURES_PATH = catalog.OUTPUT / catalog.KEY_FIGURES_FILE
# Written by ktreport.review.snapshots next to a cached snapshot: which revision it was
# built from.
SNAPSHOT_INFO = "snapshot.json"
# Consortium reference tables in data/raw/ and the column that identifies their rows.
REFERENCE_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    catalog.PARTNERS_FILE: ("partner_id", contract.PARTNERS_COLUMNS),
    catalog.TAXONOMY_FILE: ("skill_id", contract.TAXONOMY_COLUMNS),
}


@dataclass(frozen=True)
class Snapshot:
    """A built project tree (or a copy of its outputs) on disk, under a label for people."""

    root: Path
    label: str

    def info(self) -> SideInfo:
        meta: dict[str, Any] = {}
        if (self.root / SNAPSHOT_INFO).is_file():
            meta |= _read_json_object(self.root / SNAPSHOT_INFO)
        # The build's own provenance: the render context's "build", or a build_info.json.
        if (self.root / catalog.RENDER_CONTEXT).is_file():
            build = _read_json_object(self.root / catalog.RENDER_CONTEXT).get("build")
            meta |= build if isinstance(build, dict) else {}
        if (self.root / catalog.BUILD_INFO).is_file():
            meta |= _read_json_object(self.root / catalog.BUILD_INFO)
        fingerprint = _first(meta, "data_fingerprint", "fingerprint")
        source = "build information" if fingerprint else ""
        if not fingerprint and (self.root / catalog.RAW).is_dir():
            # The same fingerprint the build writes, computed from the snapshot's raw files.
            fingerprint = provenance.data_fingerprint(self.root)
            source = "computed by ktreport diff from data/raw"
        return SideInfo(
            label=self.label,
            version=_first(meta, "version", "git_describe"),
            commit=_first(meta, "commit", "git_commit", "sha"),
            build_date=_first(meta, "build_date", "date", "commit_date"),
            data_fingerprint=fingerprint,
            fingerprint_source=source,
        )

    def key_figures(self) -> dict[str, dict[str, Any]]:
        path = self.root / KEY_FIGURES_PATH
        if not path.is_file():
            return {}
        data = _read_json_object(path)
        # Tolerate a wrapper object ({"key_figures": {...}, "build": {...}}).
        if isinstance(data.get("key_figures"), dict):
            data = data["key_figures"]
        return {
            str(name): (entry if isinstance(entry, dict) else {"value": entry})
            for name, entry in data.items()
        }

    def chapters(self) -> dict[str, str]:
        """The chapters as written by the build (report/_build/chapters/*.qmd), by file name."""
        return _texts(self.root / catalog.CHAPTERS_DIR, "*.qmd")

    def templates(self) -> dict[str, str]:
        """The chapter templates the authors write (report/chapters/*.md.j2), by file name."""
        return _texts(self.root / catalog.CHAPTER_TEMPLATES_DIR, f"*{catalog.CHAPTER_SUFFIX}")

    def figures(self) -> dict[str, dict[str, Any]]:
        """Figure id -> {title, svg (bytes or None), data (canonical JSON text or None)}."""
        folder = self.root / catalog.FIGURES_DIR
        if not folder.is_dir():
            return {}
        titles = _manifest_titles(folder / catalog.FIGURES_MANIFEST_FILE)
        ids = set(titles)
        ids |= {p.stem for p in folder.glob("*.svg")}
        ids |= {p.stem for p in folder.glob("*.json") if p.name != catalog.FIGURES_MANIFEST_FILE}
        figures = {}
        for figure_id in sorted(ids):
            svg = folder / f"{figure_id}.svg"
            data = folder / f"{figure_id}.json"
            figures[figure_id] = {
                "title": titles.get(figure_id, ""),
                "svg": svg.read_bytes() if svg.is_file() else None,
                "data": _canonical_json(data) if data.is_file() else None,
            }
        return figures

    def raw_files(self) -> dict[tuple[str, str], Path]:
        """(table, partner or file name) -> path of every partner and reference file."""
        raw = self.root / catalog.RAW
        files: dict[tuple[str, str], Path] = {}
        if not raw.is_dir():
            return files
        for table in contract.PARTNER_TABLES:
            folder = raw / table
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.suffix.lower() in contract.RAW_EXTENSIONS:
                    key = (table, path.stem)
                    # Two files of one partner (UNIBO.csv and UNIBO.xlsx): keep both apart.
                    files[(table, path.name) if key in files else key] = path
        for name in REFERENCE_TABLES:
            if (raw / name).is_file():
                files[(Path(name).stem, name)] = raw / name
        return files


def _texts(folder: Path, pattern: str) -> dict[str, str]:
    """File name -> text of the files of ``folder`` matching ``pattern``, sorted by name."""
    if not folder.is_dir():
        return {}
    return {
        path.name: path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(folder.glob(pattern))
    }


def _first(meta: dict[str, Any], *names: str) -> str:
    for name in names:
        value = meta.get(name)
        if value not in (None, ""):
            return str(value)
    return ""


def _read_json_object(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DiffError(f"{path}: not readable as JSON ({error}). Rebuild that version.") from None
    return data if isinstance(data, dict) else {}


def _canonical_json(path: Path) -> str:
    try:
        return json.dumps(json.loads(path.read_text(encoding="utf-8")), sort_keys=True)
    except (OSError, ValueError):
        return path.read_bytes().hex()


def _manifest_titles(path: Path) -> dict[str, str]:
    """Figure id -> title from the figures manifest, whatever its outer shape."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if isinstance(data, dict) and isinstance(data.get("figures"), list | dict):
        data = data["figures"]
    entries: list[tuple[str, Any]] = []
    if isinstance(data, dict):
        entries = [(str(k), v) for k, v in data.items()]
    elif isinstance(data, list):
        entries = [(str(e.get("id", "")), e) for e in data if isinstance(e, dict)]
    titles = {}
    for figure_id, entry in entries:
        if not figure_id:
            continue
        title = ""
        if isinstance(entry, dict):
            title = str(entry.get("title") or entry.get("caption") or "")
        titles[figure_id] = title
    return titles
