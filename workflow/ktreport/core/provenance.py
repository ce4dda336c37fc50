"""Stage 4, provenance: what a version of the report is made of.

Version (``git describe``), build date (the date of the last commit, never the clock),
``SOURCE_DATE_EPOCH``, a fingerprint over all raw data files, the list of those files and
the versions of the tools that render the report. Shown on the title page, in the PDF
metadata and in the "Build information" annex.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from ktreport import catalog, contract
from ktreport.core import git
from ktreport.core.stamps import sha256

RAW_DIR = catalog.RAW
FINGERPRINT_DIGITS = 12
PYTHON_TOOLS = ("snakemake", "pandas", "plotly", "kaleido", "jinja2", "weasyprint")


def version(root: Path, fallback: str = "0.1") -> str:
    """``git describe --tags --dirty --always``; ``fallback`` (config) outside git."""
    return git.describe(root, fallback)


def report_version(root: Path, fallback: str = "0.1", release: bool = False) -> str:
    """The version shown to readers: the tag of a release, ``draft of v0.3 + 4 commits
    (abc1234)`` for a draft (``git.readable_version``)."""
    return git.readable_version(root, fallback, release)


_TAG_FORMAT = "%09".join(
    ("%(refname:short)", "%(creatordate:short)", "%(objecttype)", "%(taggername)", "%(subject)")
)


def release_tags(root: Path) -> list[dict[str, str]]:
    """The release tags (``v*``), oldest first: version, date (YYYY-MM-DD), author (the
    tagger of an annotated tag) and change (its message; "Release" for a lightweight tag,
    whose message would be a commit's)."""
    listed = git.output(
        Path(root), "tag", "--list", "v*", "--sort=creatordate", f"--format={_TAG_FORMAT}"
    )
    tags = []
    for line in (listed or "").splitlines():
        name, date, kind, tagger, subject = (line.split("\t") + [""] * 5)[:5]
        annotated = kind == "tag"
        tags.append(
            {
                "version": name,
                "date": date,
                "author": tagger if annotated else "",
                "change": subject if annotated and subject else "Release",
            }
        )
    return tags


def commit(root: Path) -> str | None:
    return git.output(Path(root), "rev-parse", "HEAD")


def source_date_epoch(root: Path, raw_dir: Path | None = None) -> int:
    """Seconds of the last commit's date.

    Outside git: ``SOURCE_DATE_EPOCH`` from the environment, else the newest modification
    time of the raw files (the closest thing to "when the content last changed").
    """
    committed = git.output(Path(root), "log", "-1", "--format=%ct")
    if committed:
        return int(committed)
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    files = raw_files(Path(root), raw_dir)
    return max((int(p.stat().st_mtime) for p in files), default=0)


def build_date(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def raw_files(root: Path, raw_dir: Path | None = None) -> list[Path]:
    """Every raw input file (hidden files and READMEs excluded), sorted by relative path."""
    return catalog.raw_files(raw_dir or RAW_DIR, Path(root))


def data_fingerprint(root: Path, raw_dir: Path | None = None) -> str:
    """Short SHA-256 over the sorted relative paths and bytes of all raw files: a rename,
    an added or a changed file all change it."""
    digest = hashlib.sha256()
    for path in raw_files(root, raw_dir):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(sha256(path).encode("ascii") + b"\n")
    return digest.hexdigest()[:FINGERPRINT_DIGITS]


def _count_rows(path: Path) -> int | None:
    """Data rows (non-blank, header excluded) of a CSV, .xlsx or .ods file; None if unreadable."""
    try:
        if path.suffix.lower() == ".csv":
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
            rows = [r for r in csv.reader(io.StringIO(text), delimiter=_delimiter(text)) if any(r)]
        elif path.suffix.lower() in (".xlsx", ".ods"):
            from python_calamine import CalamineWorkbook

            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            rows = [r for r in sheet.to_python() if any(str(c).strip() for c in r)]
        else:
            return None
    except Exception:  # a file the validator will complain about: no row count here
        return None
    return max(len(rows) - 1, 0)


def _delimiter(text: str) -> str:
    header = text.splitlines()[0] if text else ""
    return max((",", ";", "\t"), key=header.count)


def _partner_of(relative: Path) -> str:
    """``data/raw/interviews/UNIBO.xlsx`` → ``UNIBO``; reference tables → ``consortium``."""
    parts = relative.parts
    if len(parts) >= 4 and parts[2] in contract.PARTNER_TABLES:
        return relative.stem
    return "consortium"


def raw_file_list(root: Path, raw_dir: Path | None = None) -> list[dict[str, Any]]:
    """One record per raw file: path (relative), table, partner, rows, sha256."""
    records = []
    for path in raw_files(root, raw_dir):
        relative = path.relative_to(root)
        table = relative.parts[2] if len(relative.parts) >= 4 else relative.stem
        records.append(
            {
                "path": relative.as_posix(),
                "table": table,
                "partner": _partner_of(relative),
                "rows": _count_rows(path),
                "sha256": sha256(path),
            }
        )
    return records


def _first_line(command: list[str]) -> str | None:
    if shutil.which(command[0]) is None and not Path(command[0]).is_file():
        return None
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = [line.strip() for line in (result.stdout or "").splitlines() if line.strip()]
    return lines[0] if result.returncode == 0 and lines else None


def pandoc_path() -> str:
    """The pandoc of the pypandoc-binary wheel (the engine the report is built with)."""
    import pypandoc

    return pypandoc.get_pandoc_path()


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def tool_versions(include_quarto: bool | None = None) -> dict[str, str | None]:
    """Versions of the tools that build the report (None: not available here).

    ``include_quarto``: None reports quarto when it is on PATH, False never (the build did
    not use it), True always (an error to the reader if missing: shown as None).
    """
    tools: dict[str, str | None] = {}
    for name in PYTHON_TOOLS:
        try:
            tools[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            tools[name] = None
    pandoc = _first_line([pandoc_path(), "--version"])
    tools["pandoc"] = pandoc.removeprefix("pandoc").strip() if pandoc else None
    if include_quarto or (include_quarto is None and shutil.which("quarto")):
        tools["quarto"] = _first_line(["quarto", "--version"])
    chromium = chromium_path()
    tools["chromium"] = _first_line([chromium, "--version"]) if chromium else None
    return dict(sorted(tools.items()))


def build_info(
    root: Path,
    config: Mapping[str, Any] | None = None,
    *,
    raw_dir: Path | None = None,
    include_quarto: bool | None = None,
) -> dict[str, Any]:
    """Everything the title page, the PDF metadata and the build annex say about a version.

    Keys: version (as readers see it, ``report_version``), describe (``git describe``),
    release (``config["release"]``), commit, release_tags, date (ISO date of the last
    commit), datetime (ISO, UTC), source_date_epoch, data_fingerprint, raw_files, tools.
    No absolute path of the build machine appears in it.
    """
    root = Path(root)
    report = dict((config or {}).get("report", {}))
    release = bool((config or {}).get("release", False))
    fallback = str(report.get("version", "0.1"))
    epoch = source_date_epoch(root, raw_dir)
    when = build_date(epoch)
    return {
        "version": report_version(root, fallback, release),
        "describe": version(root, fallback),
        "release": release,
        "commit": commit(root),
        "release_tags": release_tags(root),
        "date": when.date().isoformat(),
        "date_long": f"{when.day} {when:%B %Y}",
        "datetime": when.isoformat().replace("+00:00", "Z"),
        "source_date_epoch": epoch,
        "data_fingerprint": data_fingerprint(root, raw_dir),
        "raw_files": raw_file_list(root, raw_dir),
        "tools": tool_versions(include_quarto),
    }


def project_build_info(root: Path, raw_dir: Path) -> dict[str, Any]:
    """``build_info`` of the project in ``root``, its fallback version from config.yaml
    (what ``ktreport build-info`` shows)."""
    fallback = "0.1"
    config_path = Path(root) / catalog.CONFIG_FILE
    if config_path.exists():
        import yaml  # only this command reads config.yaml here

        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
        fallback = str(config.get("report", {}).get("version", fallback))
    return build_info(Path(root), {"report": {"version": fallback}}, raw_dir=raw_dir)


def info_text(info: Mapping[str, Any]) -> str:
    """``build_info`` for people: one line per fact, raw file and tool."""
    lines = [
        f"Version           {info['version']}",
        f"Commit            {info['commit'] or 'not a git checkout'}",
        f"Date              {info['date']}",
        f"Data fingerprint  {info['data_fingerprint']}",
        f"Raw files         {len(info['raw_files'])}",
    ]
    for entry in info["raw_files"]:
        rows = "?" if entry["rows"] is None else entry["rows"]
        lines.append(
            f"  {entry['path']:<45} {entry['partner']:<11} {rows:>5} rows  {entry['sha256'][:12]}"
        )
    lines.append("Tools")
    lines.extend(
        f"  {tool:<11} {version or 'not available'}" for tool, version in info["tools"].items()
    )
    return "\n".join(lines)
