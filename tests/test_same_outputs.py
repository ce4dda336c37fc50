"""`make same-outputs`: two revisions' builds compared by what the code makes, not by the
commit's sha (full or short), the content stamps' file status or the zip's compression."""

from __future__ import annotations

import importlib.util
import subprocess
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location(
    "same_outputs", ROOT / "workflow" / "scripts" / "same_outputs.py"
)
same_outputs = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(same_outputs)


def _project(tmp_path: Path, name: str, version_line: str, stamp: str) -> tuple[Path, str]:
    """A git repository with a built-looking tree whose files name its own commit."""
    project = tmp_path / name
    (project / "report" / "output").mkdir(parents=True)
    (project / "data" / "processed" / "stamps").mkdir(parents=True)
    (project / "report" / "_build" / "figures").mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            name,
        ],
        cwd=project,
        check=True,
    )
    sha = same_outputs._head(project)
    text = version_line.format(full=sha, short=sha[:7])
    (project / "report" / "output" / "report.html").write_text(text, encoding="utf-8")
    with zipfile.ZipFile(project / "report" / "output" / "review.docx", "w") as archive:
        archive.writestr("word/document.xml", f"<w:t>{text}</w:t>")
    (project / "data" / "processed" / "stamps" / "a.csv.sha256").write_text(stamp)
    return project, sha


def test_builds_that_differ_only_by_their_commit_and_file_status_are_the_same(tmp_path):
    line = "version draft of same-outputs ({short}); commit {full}"
    base, _ = _project(tmp_path, "base", line, "stat 1 2 3")
    new, _ = _project(tmp_path, "new", line, "stat 4 5 6")
    found = same_outputs.digests(base)
    assert found == same_outputs.digests(new)
    assert set(found) == {"report/output/report.html", "report/output/review.docx"}


def test_a_real_difference_in_the_text_or_the_word_copy_is_found(tmp_path):
    base, _ = _project(tmp_path, "base", "40 of 60 ({short})", "stat 1")
    new, _ = _project(tmp_path, "new", "41 of 60 ({short})", "stat 1")
    old, changed = same_outputs.digests(base), same_outputs.digests(new)
    assert old["report/output/report.html"] != changed["report/output/report.html"]
    assert old["report/output/review.docx"] != changed["report/output/review.docx"]


def _pdf(path: Path, head: str, line: str) -> Path:
    from weasyprint import HTML

    page = f"<p>{head}</p><pre>{line}</pre>"
    HTML(string=page).write_pdf(path)
    return path


def test_a_pdf_is_compared_by_its_words_not_by_the_spaces_beside_the_sha(tmp_path):
    """The sha's glyph widths move the padding pdftotext -layout puts beside the running
    head's line; the same words are the same PDF, another word is not."""
    sha = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"
    head = f"draft ({sha[:7]})"
    one = _pdf(tmp_path / "one.pdf", head, "Partner      UH")
    two = _pdf(tmp_path / "two.pdf", head, "Partner  UH")
    other = _pdf(tmp_path / "other.pdf", head, "Partner  UJ")
    digest = same_outputs._pdf_digest(one, sha, tmp_path)
    assert digest == same_outputs._pdf_digest(two, sha, tmp_path)
    assert digest != same_outputs._pdf_digest(other, sha, tmp_path)
