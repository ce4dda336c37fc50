"""The catalog: every artifact of the pipeline, its path and its name, declared once.

Stages meet only through the files named here. The Snakemake rules (``workflow/rules/``),
the build command, the review diff, the benchmark and the synthetic data all read their
paths from this module. Standard library only (and the stdlib-only contract), so that
Snakemake can import it at every parse for free.

Paths are relative to the project folder (the Snakemake working directory).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections import defaultdict
from pathlib import Path

from ktreport.contract import PARTNER_TABLES, PROCESSED_TABLES

# ----------------------------------------------------------------------------- folders
RAW = Path("data/raw")
PROCESSED = Path("data/processed")
REPORT_DIR = Path("report")
BUILD = REPORT_DIR / "_build"
OUTPUT = REPORT_DIR / "output"
LOGS = Path("logs")
LIBRARY = Path("workflow/ktreport")
CONFIG_FILE = Path("config.yaml")
CONFIG_SCHEMA = Path("workflow/schemas/config.schema.yaml")
# Snakemake workflow profiles (`ktreport build --profile slurm`).
PROFILES = Path("profiles")

# ----------------------------------------------------------------------------- stage 0: raw
PARTNERS_FILE = "partners.csv"
TAXONOMY_FILE = "skills_taxonomy.csv"
PARTNERS_CSV = RAW / PARTNERS_FILE
TAXONOMY_CSV = RAW / TAXONOMY_FILE
# Partner files, by extension; the order is the preference when one partner has several
# files for one table.
CSV_EXTENSIONS = (".csv",)
SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
SUPPORTED_EXTENSIONS = CSV_EXTENSIONS + SPREADSHEET_EXTENSIONS
EXTENSION_ORDER = {ext: i for i, ext in enumerate(SUPPORTED_EXTENSIONS)}
# Hidden files, notes named README* and the lock files Office leaves while a workbook is open.
IGNORED_PREFIXES = (".", "~$", "readme")

# ----------------------------------------------------------------------------- stage 1: ingest
PARTS = PROCESSED / "parts"
# One content stamp per raw file (ktreport.core.stamps): the rules depend on these, not on
# the raw files' dates.
STAMPS = PROCESSED / "stamps"
PROBLEMS_FILE = "problems.csv"
PROBLEMS_CSV = PROCESSED / PROBLEMS_FILE
PROCESSED_CSVS = [PROCESSED / f"{name}.csv" for name in PROCESSED_TABLES]

# ----------------------------------------------------------------------------- stage 2: aggregate
# Aggregate tables, in the order a reader meets them; the rule lists its outputs from here,
# so a new table needs no change in the workflow.
AGGREGATE_NAMES: tuple[str, ...] = (
    "interviews_composition",
    "interviews_by_group_country",
    "interviews_by_country",
    "interview_sample_table",
    "case_studies_composition",
    "case_studies_by_country",
    "case_studies_by_region_provider",
    "case_studies_by_mode_duration",
    "case_study_list",
    "training_offer_by_skill",
    "training_offer_by_category",
    "training_offer_by_cluster",
    "interview_skills_overall",
    "interview_skills_by_group",
    "interview_skills_by_category",
    "skill_gap_overall",
    "skill_gap_by_group",
    "supply_demand",
    "ratings_by_skill",
    "formats_overall",
    "formats_by_group",
    "quotes",
    "codebook",
)
AGGREGATES = PROCESSED / "aggregates"
AGGREGATE_CSVS = [AGGREGATES / f"{name}.csv" for name in AGGREGATE_NAMES]
KEY_FIGURES_FILE = "key_figures.json"
KEY_FIGURES = PROCESSED / KEY_FIGURES_FILE

# ----------------------------------------------------------------------------- stage 3: figures
# The figures in the order they appear in the report.
FIGURE_IDS: tuple[str, ...] = (
    "fig-interview-sample",
    "fig-case-studies-region-provider",
    "fig-delivery-duration",
    "fig-training-offer",
    "fig-skill-dimensions",
    "fig-skills-group-heatmap",
    "fig-gap-dumbbell",
    "fig-supply-demand",
    "fig-borich",
    "fig-formats",
)
FIGURES_DIR = BUILD / "figures"
FIGURES_MANIFEST_FILE = "figures.json"
FIGURES_MANIFEST = FIGURES_DIR / FIGURES_MANIFEST_FILE
FIGURE_SVGS = [FIGURES_DIR / f"{figure_id}.svg" for figure_id in FIGURE_IDS]
FIGURE_JSONS = [FIGURES_DIR / f"{figure_id}.json" for figure_id in FIGURE_IDS]
# Kaleido's images by content (ktreport.figures.cache): a figure whose data did not change
# is not drawn again. Not a rule's output, so Snakemake never deletes it before a job.
FIGURE_CACHE = BUILD / "figure_cache"

# --------------------------------------------------------------------- stage 4: text, render
CHAPTER_TEMPLATES_DIR = REPORT_DIR / "chapters"
CHAPTER_SUFFIX = ".md.j2"
CHAPTERS_DIR = BUILD / "chapters"
# Each prose block's template line (ktreport.chapters.sources), for the review copy.
CHAPTER_SOURCES_FILE = "source_lines.json"
CHAPTER_SOURCES = CHAPTERS_DIR / CHAPTER_SOURCES_FILE
RENDER_CONTEXT = BUILD / "render_context.json"
BUILD_INFO = BUILD / "build_info.json"
REPORT_NAME = "KT_Skills_Investigation_Report"
# Jobs write the deliverables to STAGING; the guard checks them for personal data and only
# then copies them to OUTPUT by rename. Nothing in OUTPUT is a job's output, so Snakemake
# never deletes the published report, and a failed build leaves it intact.
STAGING = BUILD / "output"
REPORT_HTML = STAGING / f"{REPORT_NAME}.html"
REPORT_PDF = STAGING / f"{REPORT_NAME}.pdf"
REPORT_PDFA = STAGING / f"{REPORT_NAME}_archival.pdf"
KEY_FIGURES_OUT = STAGING / KEY_FIGURES_FILE
# The Word review copy (config review_docx): chapters with source bookmarks and PNG
# figures in DOCX_DIR; ``ktreport comments`` reads a reviewed copy back.
REPORT_DOCX = STAGING / f"{REPORT_NAME}_review.docx"
DOCX_DIR = BUILD / "docx"
FIGURE_PNGS = [DOCX_DIR / "figures" / f"{figure_id}.png" for figure_id in FIGURE_IDS]
COMMENTS_HTML_FILE = "comments.html"
COMMENTS_JSON_FILE = "comments.json"
# How the report looks: the pandoc template, stylesheets, Lua filter, fonts, pandoc's
# options (defaults files), Quarto project.
LAYOUT_DIRS = (REPORT_DIR / "templates", REPORT_DIR / "assets", REPORT_DIR / "pandoc")
QUARTO_PROJECT = REPORT_DIR / "_quarto.yml"

# ----------------------------------------------------------------------------- briefs
# One short brief per country (or partner, config ``briefs``) with at least ``min_cell``
# interviewees. The rule slice_briefs (a checkpoint: the briefs are known only from the
# data) writes units.json, sample.json and one slice per brief, each slice only when its
# content changed; each brief's jobs read only its own slice and sample.json.
BRIEF_DATA = PROCESSED / "briefs"
BRIEF_UNITS_FILE = "units.json"
BRIEF_SAMPLE_FILE = "sample.json"
BRIEF_SLICES_DIR = "slices"
BRIEF_UNITS = BRIEF_DATA / BRIEF_UNITS_FILE
BRIEF_SAMPLE = BRIEF_DATA / BRIEF_SAMPLE_FILE
BRIEF_SLICES = BRIEF_DATA / BRIEF_SLICES_DIR
BRIEF_TEMPLATES_DIR = REPORT_DIR / "briefs"
BRIEF_FIGURE_IDS: tuple[str, ...] = ("fig-brief-required", "fig-brief-gaps")
# Per brief: report/_build/briefs/<id>/ holds its chapters/, figures/ and render context,
# laid out like the report's build folder, so the report's renderer makes the brief.
BRIEF_BUILD = BUILD / "briefs"
# The briefs' figures as kaleido drew them (figures.cache), beside the report's.
BRIEF_FIGURE_CACHE = BUILD / "brief_figure_cache"
BRIEF_NAME = "KT_Skills_Brief"
BRIEF_STAGING = STAGING / "briefs"
BRIEF_OUTPUT = OUTPUT / "briefs"


def brief_file(brief: str, suffix: str) -> Path:
    """A brief's staged deliverable: ``report/_build/output/briefs/KT_Skills_Brief_IT.pdf``."""
    return BRIEF_STAGING / f"{BRIEF_NAME}_{brief}{suffix}"


# ----------------------------------------------------------------------------- stage 5: guard
GUARD_RULE = "check_personal_data"
GUARD_MARKER = LOGS / "check_personal_data.ok"
# Where the guard looks for personal values besides the staged deliverables.
GUARD_SCANNED = (PROCESSED, BUILD, OUTPUT, LOGS)
# The files the guard found clean, by content (``guard.cache``): not read again unchanged.
GUARD_CACHE = BUILD / "guard_cache"

# ----------------------------------------------------------------------------- outside the DAG
BUILD_LOCK = Path(".snakemake/ktreport-build.lock")
# What ``ktreport build`` last checked with no error (``run.checked``): not checked again
# while it is unchanged.
CHECKED_RECORD = Path(".snakemake/ktreport-checked.json")
# What the last build that succeeded read and wrote (``run.uptodate``): while it is all
# unchanged, ``ktreport build`` says the report is up to date without starting Snakemake.
BUILT_RECORD = Path(".snakemake/ktreport-built.json")
# ``ktreport preview``: its own chapters and page, never report/output/.
PREVIEW_DIR = REPORT_DIR / "_preview"
PREVIEW_HTML = PREVIEW_DIR / "index.html"
# What the preview watches: the chapters, how the report looks, the config, the data.
PREVIEW_WATCHED = (CHAPTER_TEMPLATES_DIR, *LAYOUT_DIRS, CONFIG_FILE, RAW)
BUILD_LOG = LOGS / "ktreport-build.log"
VALIDATE_LOG = LOGS / "ktreport-validate.log"
CACHE = Path(".cache/ktreport")
DIFF_DIR = OUTPUT / "diff"
VALIDATION_REPORT = OUTPUT / "validation_report.html"
# What a review snapshot keeps of a built tree (everything the diff reads, and the outputs).
SNAPSHOT_PATHS = (OUTPUT, BUILD, CHAPTER_TEMPLATES_DIR, RAW, PROCESSED)

# The library's subpackages, in import order (a stage imports only earlier ones).
STAGE_PACKAGES = ("ingest", "aggregate", "figures", "chapters", "render", "guard")


# ----------------------------------------------------------------------------- helpers
def _ignored(name: str) -> bool:
    return name.lower().startswith(IGNORED_PREFIXES)


def entry_kind(path: Path) -> str:
    """What is at ``path``, not following a link: "file", "link", "folder", "pipe", "socket",
    "device", "missing" or "other"."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "missing"
    for test, kind in (
        (stat.S_ISREG, "file"),
        (stat.S_ISLNK, "link"),
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "pipe"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "device"),
        (stat.S_ISBLK, "device"),
    ):
        if test(mode):
            return kind
    return "other"


def is_partner_file(path: Path) -> bool:
    """A file a partner handed in: a regular file (not a link, a folder or a special file),
    not hidden, not a note named README*, not an Office lock."""
    return not _ignored(path.name) and entry_kind(path) == "file"


def discover_partner_files(raw_dir: Path = RAW) -> dict[tuple[str, str], list[Path]]:
    """(table, partner_id) -> the files of ``raw_dir/<table>/`` with that stem, sorted.

    Every file counts (an unreadable type is reported, not skipped), except hidden files,
    notes named README* and the lock files Office leaves while a workbook is open. What is
    no regular file is not a partner file: ``odd_partner_entries`` lists it, to report it.
    """
    found: dict[tuple[str, str], list[Path]] = defaultdict(list)
    for table in PARTNER_TABLES:
        folder = Path(raw_dir) / table
        if entry_kind(folder) != "folder":
            continue
        for path in sorted(folder.iterdir()):
            if is_partner_file(path):
                found[(table, path.stem)].append(path)
    return {
        key: sorted(paths, key=lambda p: (EXTENSION_ORDER.get(p.suffix.lower(), 99), p.name))
        for key, paths in sorted(found.items())
    }


def odd_partner_entries(raw_dir: Path = RAW) -> list[tuple[Path, str]]:
    """(path, kind) of what stands where a partner file (or a table's folder) should be but is
    no regular file (folder): a link (dangling or not: partner files are real files inside
    ``data/raw/``), a folder, a named pipe, a socket, a device. Nothing is opened or followed.

    Hidden entries, notes named README* and Office locks are left out, as in discovery.
    """
    odd: list[tuple[Path, str]] = []
    for table in PARTNER_TABLES:
        folder = Path(raw_dir) / table
        kind = entry_kind(folder)
        if kind == "missing":
            continue
        if kind != "folder":
            odd.append((folder, kind))
            continue
        for path in sorted(folder.iterdir()):
            if not _ignored(path.name) and (kind := entry_kind(path)) not in ("file", "missing"):
                odd.append((path, kind))
    return odd


def chapter_templates(chapters_dir: Path = CHAPTER_TEMPLATES_DIR) -> list[Path]:
    """The chapter templates in reading order (by file name: ``01-…``, ``02-…``)."""
    return sorted(Path(chapters_dir).glob(f"*{CHAPTER_SUFFIX}"))


def chapter_output_name(template: Path) -> str:
    """The name of a written chapter: ``01-intro.md.j2`` -> ``01-intro.qmd``."""
    return Path(template).name.removesuffix(CHAPTER_SUFFIX) + ".qmd"


def report_layout(report_dir: Path = REPORT_DIR) -> list[Path]:
    """Every file of how the report looks (templates, assets, pandoc's defaults files, the
    Quarto project and its filters)."""
    report_dir = Path(report_dir)
    return sorted(
        [
            report_dir / QUARTO_PROJECT.name,
            *(report_dir / "templates").rglob("*.*"),
            *(report_dir / "assets").rglob("*.*"),
            *(report_dir / "pandoc").rglob("*.*"),
            *(report_dir / "quarto").rglob("*.*"),
        ]
    )


def library_files(*packages: str, library: Path | None = None) -> list[Path]:
    """The library files a rule runs: its stages' subpackages, plus ``core/``, the catalog
    and the contract, which every stage uses. A rule lists them as input, so a changed
    library module re-runs exactly the steps that use it (Snakemake itself only notices
    a change in the rule's own script).

    By default the library is the one that runs (this file's folder): relative to the
    working directory when it lies inside it, else absolute.
    """
    if library is None:
        library = Path(__file__).resolve().parent
        with contextlib.suppress(ValueError):
            library = library.relative_to(Path.cwd().resolve())
    files = [library / "contract.py", library / "catalog.py", library / "__init__.py"]
    for package in ("core", *packages):
        files.extend(sorted((library / package).glob("*.py")))
    return sorted(set(files))


def raw_files(raw_dir: Path = RAW, root: Path = Path(".")) -> list[Path]:
    """Every raw input file (hidden files and READMEs excluded), sorted by relative path:
    what the data fingerprint covers and what has a content stamp."""
    base = Path(root) / raw_dir
    if not base.is_dir():
        return []
    files = [
        p
        for p in base.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(base).parts)
        and not p.name.lower().startswith("readme")
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())
