"""Draft and release builds: the readable draft version, the authors' notes found in the
chapter templates (FILE:LINE), the release checks (clean tree, at a tag, no open note) and
`ktreport build --release`, refusing with each open note named, or building the release:
no authors' note, no "DRAFT", no commit hash, the tag as the version."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from project_builds import HTML, PDF, copy_project, ktreport

from ktreport.chapters.notes import notes_in, open_notes
from ktreport.core import git as core_git
from ktreport.run.release import ReleaseProblem, check_release, release_problems

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ROOT = Path(__file__).resolve().parents[1]
NOTE_LINE = re.compile(r"report/chapters/(\d\d-[\w-]+\.md\.j2):(\d+): (.+)")


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_AUTHOR_DATE": "2025-06-30T10:00:00+00:00",
        "GIT_COMMITTER_DATE": "2025-06-30T10:00:00+00:00",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


def commit_all(root: Path, message: str = "work") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "report" / "chapters").mkdir(parents=True)
    (root / "report" / "chapters" / "01-intro.md.j2").write_text("# Intro\n\nText.\n")
    git(root, "init", "-q")
    commit_all(root, "first")
    return root


def short_head(root: Path) -> str:
    return git(root, "rev-parse", "--short", "HEAD")


def test_a_draft_before_any_tag_names_its_commit(repo):
    assert core_git.readable_version(repo) == f"draft ({short_head(repo)})"


def test_a_draft_after_a_tag_says_how_many_commits_after_it(repo):
    git(repo, "tag", "v0.3")
    assert core_git.readable_version(repo) == f"draft of v0.3 ({short_head(repo)})"
    for n in range(4):
        commit_all(repo, f"change {n}")
    assert core_git.readable_version(repo) == f"draft of v0.3 + 4 commits ({short_head(repo)})"
    (repo / "report" / "chapters" / "01-intro.md.j2").write_text("# Intro\n\nChanged.\n")
    assert core_git.readable_version(repo).endswith(", with uncommitted changes")


def test_a_release_is_its_tag_and_needs_one(repo):
    with pytest.raises(ValueError, match="tag"):
        core_git.readable_version(repo, release=True)
    git(repo, "tag", "-a", "v1.0", "-m", "Submitted to the agency")
    assert core_git.readable_version(repo, release=True) == "v1.0"


def test_outside_git_a_draft_names_the_configured_version(tmp_path):
    assert core_git.readable_version(tmp_path, "0.7") == "draft of 0.7"


def test_notes_are_found_in_blocks_and_marked_paragraphs():
    text = (
        "# Title\n\nProse.\n\n"  # lines 1-4
        "::: {.authors-note}\n**Authors: refine.** Add the grant number.\n:::\n\n"  # 5-8
        "More prose.\n\n**Authors: refine.** Cite the\nframework.\n\nEnd.\n"  # 9-14
    )
    assert notes_in(text) == [(5, "Add the grant number."), (11, "Cite the framework.")]


def test_the_sample_chapters_notes_are_listed_with_file_and_line():
    notes = open_notes(ROOT / "report" / "chapters")
    assert len(notes) >= 8
    for note in notes:
        name, line, text = NOTE_LINE.fullmatch(note).groups()
        source = (ROOT / "report" / "chapters" / name).read_text(encoding="utf-8").splitlines()
        assert "authors-note" in source[int(line) - 1] or "Authors: refine" in source[int(line) - 1]
        assert text and "Authors: refine" not in text


def test_a_release_needs_a_clean_tree_at_a_tag_and_no_open_note(repo):
    chapter = repo / "report" / "chapters" / "01-intro.md.j2"
    chapter.write_text("# Intro\n\n::: {.authors-note}\n**Authors: refine.** Add it.\n:::\n")
    tag, problems = release_problems(repo)
    assert tag is None
    assert len(problems) == 3
    assert "uncommitted change" in problems[0] and "no tag" in problems[1]
    assert "report/chapters/01-intro.md.j2:3: Add it." in problems[2]
    chapter.write_text("# Intro\n\nDone.\n")
    commit_all(repo, "notes closed")
    git(repo, "tag", "v1.0")
    assert check_release(repo) == "v1.0"


def test_check_release_lists_every_problem_in_one_error(repo):
    (repo / "new.txt").write_text("x")
    with pytest.raises(ReleaseProblem) as caught:
        check_release(repo)
    message = str(caught.value)
    assert "uncommitted" in message and "no tag" in message and "Nothing was built" in message


def make_project_repo(target: Path, *, close_notes: bool) -> Path:
    tree = copy_project(target)
    if close_notes:
        for template in sorted((tree / "report" / "chapters").glob("*.md.j2")):
            template.write_text(without_notes(template.read_text(encoding="utf-8")))
    git(tree, "init", "-q")
    commit_all(tree, "the deliverable")
    git(tree, "tag", "-a", "v1.0", "-m", "Submitted to the agency")
    return tree


def without_notes(text: str) -> str:
    """The template with its authors' notes (blocks) removed, as authors close them."""
    return re.sub(r"^::: \{\.authors-note\}\n.*?^:::\n", "", text, flags=re.DOTALL | re.M)


def test_ktreport_build_release_refuses_while_notes_are_open_naming_each(tmp_path):
    tree = make_project_repo(tmp_path / "project", close_notes=False)
    result = ktreport(tree, "build", "--release", "--cores", "1")
    assert result.returncode == 1, result.stderr
    listed = [m.group(0) for m in NOTE_LINE.finditer(result.stderr)]
    assert listed == open_notes(tree / "report" / "chapters")
    assert not (tree / "report" / "output").exists()  # nothing was built


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    tree = make_project_repo(tmp_path_factory.mktemp("release") / "project", close_notes=True)
    assert open_notes(tree / "report" / "chapters") == []
    result = ktreport(tree, "build", "--release", "--cores", "2")
    assert result.returncode == 0, result.stderr[-4000:]
    return tree


@pytest.mark.e2e
def test_a_release_at_a_tag_shows_no_note_no_draft_and_no_commit_hash(release):
    import pypdfium2 as pdfium

    head = git(release, "rev-parse", "HEAD")
    document = pdfium.PdfDocument(str(release / PDF))
    pdf_text = "\n".join(page.get_textpage().get_text_range() for page in document)
    html = (release / HTML).read_text(encoding="utf-8")
    # What the HTML shows: the stylesheet's comments and plotly.js are not shown.
    html = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.DOTALL)
    for shown in (pdf_text, html):
        assert "authors: refine" not in shown.lower()
        assert "DRAFT" not in shown and "draft of" not in shown
        assert head[:7] not in shown  # no commit hash, short or long
        assert "v1.0" in shown
    assert "Version v1.0" in pdf_text  # the running head
