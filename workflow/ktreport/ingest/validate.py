"""Stage 1, validating a folder: every partner file of ``data/raw/`` checked, or only some.

What ``ktreport validate`` runs: the per-file checks (``checks``) and the cross-file ones
(``crossfile``) in one process, without the parts the pipeline stores in between. With
paths, only their problems are reported, but they are checked against all the other
files. Nothing here raises for bad input: every problem is a ``Problem`` naming file, row,
column, value and fix.
"""

from __future__ import annotations

from pathlib import Path

from ktreport.catalog import (
    PARTNERS_FILE,
    TAXONOMY_FILE,
    discover_partner_files,
    entry_kind,
    is_partner_file,
)
from ktreport.contract import PARTNER_TABLES
from ktreport.core.beside import beside
from ktreport.core.problems import Problem, sort_problems
from ktreport.ingest.checks import (
    check_partner_file,
    entry_display,
    odd_entry_problem,
    odd_entry_problems,
)
from ktreport.ingest.crossfile import combine
from ktreport.ingest.references import load_references
from ktreport.ingest.results import PartnerFile, ValidationResult, display_path
from ktreport.ingest.schema import load_engines


def table_of(path: Path, raw_dir: Path) -> str | None:
    """The partner table a file belongs to: its folder's name."""
    folder = path.parent.name
    return folder if folder in PARTNER_TABLES else None


def validate_raw(
    raw_dir: Path,
    paths: list[Path] | None = None,
    root: Path | None = None,
    *,
    overlap: bool = False,
) -> ValidationResult:
    """Validate the partner files of ``raw_dir`` (or only ``paths``) and build the tables.

    With ``paths``, only their problems are reported, but they are checked against all
    the other files of ``raw_dir`` (unique ids, ratings of existing interviews); a path
    outside ``raw_dir`` stands in for the file of the same table and partner.
    ``overlap``: check the files in a forked worker while pandas and pandera load here for
    the schema check (``core.beside``; for a command, which has no threads).
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        problem = Problem(
            display_path(raw_dir, root),
            None,
            None,
            "this folder of partner data does not exist",
            "run the command in the project folder, or name the folder with --raw-dir",
        )
        return ValidationResult(problems=[problem], files=[])
    references = load_references(raw_dir / PARTNERS_FILE, raw_dir / TAXONOMY_FILE, root)
    taxonomy = references.taxonomy if references.taxonomy_usable else None
    files = discover_partner_files(raw_dir)
    # Links, folders and special files where partner files should be: errors, never read.
    problems: list[Problem] = odd_entry_problems(raw_dir, root)
    selected: set[str] | None = None
    if paths is not None:
        selected = set()
        for path in map(Path, paths):
            if entry_kind(path) == "folder":
                candidates = sorted(p for p in path.rglob("*") if is_partner_file(p))
                folder = entry_display(path, root)
                selected.update(p.file for p in problems if f"{p.file}/".startswith(f"{folder}/"))
            else:
                candidates = [path]
            for candidate in candidates:
                display = entry_display(candidate, root)
                problem = _select(candidate, display, raw_dir, files)
                if problem is not None:
                    problems.append(problem)
                if problem is not None or candidate.name not in (PARTNERS_FILE, TAXONOMY_FILE):
                    selected.add(display)

    def check_files() -> list[PartnerFile]:
        return [
            check_partner_file(file_paths, table, partner_id, taxonomy, root)
            for (table, partner_id), file_paths in sorted(files.items())
        ]

    parts = beside(check_files, load_engines) if overlap else check_files()
    result = combine(parts, references)
    if selected is None:
        result.problems = sort_problems(result.problems + problems)
    else:
        reference_files = {p.file for p in references.problems}
        result.problems = sort_problems(
            {
                p
                for p in result.problems + problems
                if p.file in selected or p.file in reference_files
            }
        )
        result.files = [f for f in result.files if f.path in selected]
    return result


def _select(candidate: Path, display: str, raw_dir: Path, files: dict) -> Problem | None:
    """Put a path given on the command line in ``files`` (in place of the discovered file of
    its table and partner), or say why it is not read. Nothing is opened here."""
    kind = entry_kind(candidate)
    if kind == "missing":
        return Problem(display, None, None, "there is no such file")
    table = table_of(candidate, raw_dir)
    if table is None:
        if candidate.name in (PARTNERS_FILE, TAXONOMY_FILE):
            return None
        return Problem(
            display,
            None,
            None,
            "the file is not in a folder named after a table",
            "put it in data/raw/case_studies/, data/raw/interviews/ or data/raw/ratings/",
        )
    if kind != "file":  # never opened: reading a named pipe would block for ever
        return odd_entry_problem(display, kind)
    key = (table, candidate.stem)
    if candidate.resolve() not in [p.resolve() for p in files.get(key, [])]:
        files[key] = [candidate]
    return None
