"""Briefs are published with the report: all files checked first, a country that no longer
has a brief loses its published one, and a brief deleted from report/output/ is published
again by the next build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ktreport.catalog import BRIEF_OUTPUT, BRIEF_STAGING, GUARD_MARKER, OUTPUT, STAGING
from ktreport.guard import GuardProblem, publish_groups, remove_unlisted
from ktreport.run.build import publish_pending, published_files

PAGE = "<!DOCTYPE html><html><body>brief</body></html>\n"


def _staged(tmp_path: Path) -> Path:
    for folder, name in (
        (STAGING, "KT_Skills_Investigation_Report.html"),
        (BRIEF_STAGING, "KT_Skills_Brief_PL.html"),
    ):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / name).write_text(PAGE, encoding="utf-8")
    (tmp_path / GUARD_MARKER).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / GUARD_MARKER).write_text("ok\n", encoding="utf-8")
    return tmp_path


def test_a_brief_missing_from_the_output_is_published_again(tmp_path):
    root = _staged(tmp_path)
    (root / OUTPUT).mkdir(parents=True)
    shutil.copy(root / STAGING / "KT_Skills_Investigation_Report.html", root / OUTPUT)
    assert publish_pending(root)  # the brief was never published
    (root / BRIEF_OUTPUT).mkdir(parents=True)
    shutil.copy(root / BRIEF_STAGING / "KT_Skills_Brief_PL.html", root / BRIEF_OUTPUT)
    assert not publish_pending(root)
    assert published_files(root) == (
        OUTPUT / "KT_Skills_Investigation_Report.html",
        BRIEF_OUTPUT / "KT_Skills_Brief_PL.html",
    )


def test_nothing_is_published_when_one_brief_is_incomplete(tmp_path):
    root = _staged(tmp_path)
    broken = root / BRIEF_STAGING / "KT_Skills_Brief_FI.html"
    broken.write_text("<html><body>cut", encoding="utf-8")
    report = [root / STAGING / "KT_Skills_Investigation_Report.html"]
    with pytest.raises(GuardProblem, match="KT_Skills_Brief_FI.html: it does not end"):
        publish_groups([(report, root / OUTPUT), ([broken], root / BRIEF_OUTPUT)])
    assert not (root / OUTPUT).exists()


def test_a_brief_no_longer_built_is_removed_from_the_output(tmp_path):
    out = tmp_path / "briefs"
    out.mkdir()
    for name in ("KT_Skills_Brief_PL.pdf", "KT_Skills_Brief_MT.pdf", "notes.txt"):
        (out / name).write_text("x", encoding="utf-8")
    removed = remove_unlisted(out, "KT_Skills_Brief_*", [out / "KT_Skills_Brief_PL.pdf"])
    assert removed == [out / "KT_Skills_Brief_MT.pdf"]
    assert sorted(p.name for p in out.iterdir()) == ["KT_Skills_Brief_PL.pdf", "notes.txt"]
