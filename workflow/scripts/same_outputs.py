"""Do two revisions build the same report? ``make same-outputs BASE=REV [NEW=REV]``.

A restructure must not change what the pipeline makes. This script clones the project
twice (BASE, and NEW: a revision, or the working tree when NEW is empty), builds the
sample in each clone with this environment, and compares the deliverables (HTML, PDF,
key_figures.json), every CSV of data/processed/ and every figure byte for byte.

The version string and the build date come from git (``git describe``, the commit date),
so they differ between any two commits. To compare only what the code makes, each clone's
HEAD is re-committed with one fixed date and tagged ``same-outputs``: both sides then carry
the same version and date. The commit sha itself (listed in the build annex) still differs:
a text file is compared with each side's sha replaced by a placeholder, and the PDF by its
text (sha replaced), its page count and every page's pixels, except the pages that show
the sha.

Exit 0 when every file is identical, 1 with the list of differing files otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from ktreport.tools.bench_copy import copy_project

ROOT = Path(__file__).resolve().parents[2]
FIXED_DATE = "2026-01-01T00:00:00+00:00"
TAG = "same-outputs"
COMPARED = ("report/output", "data/processed", "report/_build/figures")


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(
            f"{' '.join(args)} failed in {cwd}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )


def clone(revision: str | None, target: Path) -> Path:
    """A clone of the project at ``revision`` (None: HEAD plus the working tree's tracked
    changes), re-committed at FIXED_DATE and tagged TAG."""
    copy_project(ROOT, target, working_tree=revision is None, untracked=revision is None)
    if revision:
        _run(["git", "checkout", "--quiet", "--detach", revision], target)
    _run(["git", "add", "--all"], target)
    env = {
        **os.environ,
        "GIT_COMMITTER_DATE": FIXED_DATE,
        "GIT_AUTHOR_DATE": FIXED_DATE,
        "GIT_AUTHOR_NAME": "same-outputs",
        "GIT_AUTHOR_EMAIL": "same-outputs@localhost",
        "GIT_COMMITTER_NAME": "same-outputs",
        "GIT_COMMITTER_EMAIL": "same-outputs@localhost",
    }
    _run(["git", "commit", "--quiet", "--allow-empty", "-m", TAG], target, env)
    _run(["git", "tag", TAG], target)
    return target


def build(project: Path) -> None:
    """Build the sample in ``project`` with this environment's ktreport, importing the
    library from the clone itself (PYTHONPATH wins over the editable install)."""
    env = {**os.environ, "PYTHONPATH": str(project / "workflow")}
    env.pop("SNAKEMAKE_PROFILE", None)
    ktreport = Path(sys.executable).parent / "ktreport"
    _run([str(ktreport), "build", "--cores", "2"], project, env)


def _head(project: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.strip()


def _pdf_digest(path: Path, sha: str, tmp: Path) -> str:
    """The PDF by meaning: its text (sha replaced) and the pixels of each page that does
    not show the sha (a different sha moves the glyphs of its own line only)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    # Spaces collapsed: the sha's glyphs have their own widths, and -layout pads the lines
    # beside it (the running head's) to keep the columns.
    words = re.sub(r"[ \t]+", " ", text)
    digest = hashlib.sha256(_without_sha(words.encode(), sha))
    out = tmp / "pages"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(out / "p")], check=True)
    for number, page in enumerate(sorted(out.glob("p-*.png"))):
        shows_sha = number < len(pages) and sha[:7] in pages[number]
        digest.update(b"sha page" if shows_sha else page.read_bytes())
    return digest.hexdigest()


def _without_sha(data: bytes, sha: str) -> bytes:
    """``data`` with the commit's sha, full or short (the version reads "draft of TAG
    (1a2b3c4)"), replaced by a placeholder."""
    return data.replace(sha.encode(), b"COMMIT").replace(sha[:7].encode(), b"COMMIT")


def _zip_digest(path: Path, sha: str) -> str:
    """A Word file by its parts (sha replaced in each): the sha is inside compressed XML."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            digest.update(name.encode() + b"\0" + _without_sha(archive.read(name), sha))
    return digest.hexdigest()


# Not compared: the cleaning's cache (``parts``) and the content stamps (``stamps``: each
# raw file's status, its inode and dates, differ between any two clones by design).
SKIPPED = frozenset({"parts", "stamps"})


def digests(project: Path) -> dict[str, str]:
    sha = _head(project)
    found = {}
    for folder in COMPARED:
        for path in sorted((project / folder).rglob("*")):
            if not path.is_file() or SKIPPED & set(path.relative_to(project).parts):
                continue
            rel = path.relative_to(project).as_posix()
            if path.suffix == ".pdf":
                found[rel] = _pdf_digest(path, sha, project.parent)
            elif path.suffix == ".docx":
                found[rel] = _zip_digest(path, sha)
            else:
                found[rel] = hashlib.sha256(_without_sha(path.read_bytes(), sha)).hexdigest()
    return found


def compare(base_revision: str, new_revision: str | None, tmp: Path) -> int:
    sides = {}
    for name, revision in (("base", base_revision), ("new", new_revision)):
        project = clone(revision, tmp / name)
        print(f"building {name} ({revision or 'working tree'}) ...", flush=True)
        build(project)
        sides[name] = digests(project)
    base, new = sides["base"], sides["new"]
    differing = sorted(k for k in base.keys() | new.keys() if base.get(k) != new.get(k))
    for name in differing:
        state = "only in base" if name not in new else "only in new" if name not in base else ""
        print(f"differs: {name} {state}".rstrip())
    print(f"{len(base.keys() & new.keys())} files compared, {len(differing)} differ")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the revision to compare against")
    parser.add_argument("new", nargs="?", default="", help="a revision (default: working tree)")
    parser.add_argument("--keep", action="store_true", help="keep the two built clones")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="ktreport-same-")
    try:
        return compare(args.base, args.new or None, Path(tmp))
    finally:
        if args.keep:
            print(f"the clones stay in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
