"""``make bench``, its copy of the project: cloned, given synthetic data, then edited.

Every measurement runs in a temporary copy (a ``git clone`` of HEAD, or of the working
tree's tracked files), never in the user's checkout: its ``data/raw/`` and
``report/output/`` are not touched, and no Snakemake lock is taken there. The edits are
the two a rebuild is timed after: one sentence appended to one chapter template
(prose-only) and one cell of one partner CSV changed (one-partner); and, for the build with
the longest cells the limits allow, every case study's programme name made 9,999
characters of markup long (``lengthen_programmes``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ktreport.core import git
from ktreport.tools.bench_measure import BenchProblem, check_run, run_measured

# Appended to a chapter template for the prose-only rebuild (plain text: no jinja, no
# Markdown syntax, so it cannot break the chapter).
BENCH_SENTENCE = "This sentence was appended by make bench to time a prose-only rebuild."
# The partner table and column changed for the one-partner rebuild: a correction a partner
# typically sends (a programme's length), which changes aggregates, figures and prose.
PARTNER_TABLE = "case_studies"
PARTNER_COLUMN = "duration_hours"
# The longest-cells build: programme names of the longest text a cell may hold (10,000
# characters is refused), made of markup words that every renderer must show as text.
LONG_COLUMN = "programme"
LONG_CHARS = 9_999
LONG_FILLER = " <b>bold</b> **strong** `code` [link](javascript:x) <span style=x>"


# --------------------------------------------------------------------------- the copy
@dataclass(frozen=True)
class Project:
    """A temporary copy of the project to build in, and how to run its tools."""

    path: Path
    python: Path

    @property
    def bin_dir(self) -> Path:
        return self.python.parent

    def tool(self, name: str) -> str:
        candidate = self.bin_dir / name
        if candidate.is_file():
            return str(candidate)
        found = shutil.which(name)
        if found is None:
            raise BenchProblem(
                f"{name} is not installed next to {self.python} nor on PATH: run `make env`."
            )
        return found

    def environment(self) -> dict[str, str]:
        """The copy's own library first on the import path, this environment's tools first
        on PATH (the editable install would otherwise import the user's checkout)."""
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([str(self.bin_dir), env.get("PATH", "")])
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(self.path / "workflow"), env.get("PYTHONPATH", "")) if p
        )
        env.pop("SNAKEMAKE_PROFILE", None)
        # As in a user's shell, Python keeps the bytecode it compiles: without it every
        # Python start compiles Snakemake and its plugins again (seconds, which would hide
        # what the build itself costs).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env

    def make(self, target: str) -> list[str]:
        """``make TARGET`` of the copy with this environment (its ``VENV``), the environment
        taken as installed (``-o``: make reinstalls nothing in it)."""
        venv = self.bin_dir.parent
        return ["make", "--no-print-directory", f"VENV={venv}", "-o", f"{venv}/.installed", target]


def _git(root: Path, *args: str) -> str:
    result = git.run(root, *args)
    if result.returncode != 0:
        raise BenchProblem(f"git {' '.join(args)} failed in {root}: {result.stderr.strip()}")
    return result.stdout


def copy_project(
    root: Path, target: Path, *, working_tree: bool = False, untracked: bool = False
) -> Path:
    """Clone the project at ``root`` (a git checkout) into ``target``.

    The clone holds HEAD's tracked files; with ``working_tree`` the tracked files changed or
    deleted in the checkout are copied over. Untracked files are not (build outputs, caches
    and local data stay out), unless ``untracked``: then the untracked files git does not
    ignore come too (new modules not yet added, for ``make same-outputs``)."""
    root, target = Path(root), Path(target)
    if not (root / ".git").exists():
        raise BenchProblem(f"{root} is not a git checkout: make bench copies it with git clone.")
    _git(root, "rev-parse", "--verify", "HEAD")
    target.parent.mkdir(parents=True, exist_ok=True)
    _git(target.parent, "clone", "--quiet", "--no-hardlinks", str(root.resolve()), str(target))
    if working_tree:
        changed = _git(root, "diff", "--name-only", "-z", "HEAD").split("\0")
        if untracked:
            others = _git(root, "ls-files", "--others", "--exclude-standard", "-z")
            changed += others.split("\0")
        for name in sorted(n for n in changed if n):
            source, copy = root / name, target / name
            if source.is_file():
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)
            elif copy.exists():
                copy.unlink()
    return target


def use_synthetic_data(project: Project, scale: int, seed: int = 1) -> None:
    """Replace the copy's partner files by ``ktreport synth --scale N`` (the copy only).

    The partner folders are emptied first; the top-level files stay (synth rewrites
    partners.csv and README.md, and copies the taxonomy from the copy's own data/raw/)."""
    raw = project.path / "data" / "raw"
    for child in sorted(raw.iterdir()):
        if child.is_dir():
            shutil.rmtree(child)
    run = run_measured(
        [
            str(project.python),
            "-m",
            "ktreport.cli",
            "synth",
            "--scale",
            str(scale),
            "--seed",
            str(seed),
            "--out",
            "data/raw",
            "--force",
        ],
        cwd=project.path,
        env=project.environment(),
    )
    check_run(run, f"ktreport synth --scale {scale}", project.path)


# --------------------------------------------------------------------------- edits
def append_sentence(chapters_dir: Path, sentence: str = BENCH_SENTENCE) -> Path:
    """Append one paragraph to one chapter template (the second in reading order, so the
    executive summary stays as it is); returns the template changed."""
    templates = sorted(Path(chapters_dir).glob("*.md.j2"))
    if not templates:
        raise BenchProblem(f"{chapters_dir}: no chapter template (*.md.j2) to change.")
    template = templates[1] if len(templates) > 1 else templates[0]
    data = template.read_bytes()
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    ending = b"" if data.endswith(newline) else newline
    template.write_bytes(data + ending + newline + sentence.encode("utf-8") + newline)
    return template


def _header_name(cell: str) -> str:
    """A header cell as a contract name: "Duration hours" → "duration_hours"."""
    return re.sub(r"[\s-]+", "_", cell.strip().lstrip("\ufeff").casefold())


def _csv_layout(text: str, column: str) -> tuple[str, list[list[str]]]:
    """The delimiter under which the header has ``column``, and the parsed rows."""
    for delimiter in (",", ";", "\t", "|"):
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        if rows and column in [_header_name(cell) for cell in rows[0]]:
            return delimiter, rows
    raise BenchProblem(f"no column '{column}' in the header")


def change_partner_cell(
    raw_dir: Path, table: str = PARTNER_TABLE, column: str = PARTNER_COLUMN
) -> tuple[Path, int]:
    """Add 1 to the first whole number in ``column`` of the first CSV of ``table`` (by
    file name) that has one, keeping the file's encoding, delimiter and line ends.

    Returns the file and the spreadsheet row changed (the header is row 1)."""
    files = sorted((Path(raw_dir) / table).glob("*.csv"))
    for path in files:
        data = path.read_bytes()
        bom = data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8-sig")
        try:
            delimiter, rows = _csv_layout(text, column)
        except BenchProblem:
            continue
        index = [_header_name(cell) for cell in rows[0]].index(column)
        for number, row in enumerate(rows[1:], start=2):
            value = row[index].strip() if index < len(row) else ""
            if value.isdigit():
                row[index] = str(int(value) + 1)
                terminator = "\r\n" if "\r\n" in text else "\n"
                buffer = io.StringIO(newline="")
                csv.writer(buffer, delimiter=delimiter, lineterminator=terminator).writerows(rows)
                out = buffer.getvalue()
                if not text.endswith(terminator):
                    out = out.removesuffix(terminator)
                path.write_bytes(out.encode("utf-8-sig" if bom else "utf-8"))
                return path, number
    raise BenchProblem(
        f"{Path(raw_dir) / table}: no CSV file with a whole number in '{column}' to change."
    )


def long_text(start: str, length: int = LONG_CHARS) -> str:
    """``start`` followed by markup words, ``length`` characters in all."""
    repeats = length // len(LONG_FILLER) + 1
    text = (start + LONG_FILLER * repeats)[:length]
    return text[:-1] + "x" if text.endswith(" ") else text  # no trailing space to trim


def lengthen_programmes(raw_dir: Path, length: int = LONG_CHARS) -> int:
    """Every programme name of the case-study files (CSV, xlsx) made ``length`` characters
    long, starting with the name it had; the number of names changed."""
    changed = 0
    for path in sorted((Path(raw_dir) / PARTNER_TABLE).iterdir()):
        suffix = path.suffix.lower()
        if suffix == ".csv":
            changed += _lengthen_csv(path, length)
        elif suffix in (".xlsx", ".xlsm"):
            changed += _lengthen_xlsx(path, length)
    if not changed:
        raise BenchProblem(f"{Path(raw_dir) / PARTNER_TABLE}: no programme name to lengthen.")
    return changed


def _lengthen_csv(path: Path, length: int) -> int:
    data = path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    delimiter, rows = _csv_layout(text, LONG_COLUMN)
    index = [_header_name(cell) for cell in rows[0]].index(LONG_COLUMN)
    changed = 0
    for row in rows[1:]:
        if index < len(row) and row[index].strip():
            row[index] = long_text(row[index].strip(), length)
            changed += 1
    buffer = io.StringIO(newline="")
    terminator = "\r\n" if "\r\n" in text else "\n"
    csv.writer(buffer, delimiter=delimiter, lineterminator=terminator).writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))
    return changed


def _lengthen_xlsx(path: Path, length: int) -> int:
    import openpyxl  # only this edit reads workbooks

    workbook = openpyxl.load_workbook(path)
    changed = 0
    for sheet in workbook.worksheets:
        column = None
        for row in sheet.iter_rows():
            names = [_header_name(str(c.value)) if c.value is not None else "" for c in row]
            if column is None:
                column = names.index(LONG_COLUMN) if LONG_COLUMN in names else None
                continue
            cell = row[column] if column < len(row) else None
            if cell is not None and isinstance(cell.value, str) and cell.value.strip():
                cell.value = long_text(cell.value.strip(), length)
                changed += 1
    workbook.save(path)
    return changed
