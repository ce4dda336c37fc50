"""``ktreport preview`` in a real browser: an edit of a chapter shows in the open page by
itself, a template error shows over the page naming FILE:LINE and goes when fixed, Ctrl-C
stops the preview, and report/output/ is never written.

Runs on a copy of the session's sample build (``--no-update``: the data steps are done),
with Debian's headless Chromium driven over the DevTools protocol (``chromium_cdp``).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from chromium_cdp import CHROMIUM, Chromium, wait_for
from project_builds import built, copy_tree, file_digests

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
]
CHAPTER = "report/chapters/01-introduction.md.j2"
SENTENCE = "This sentence was added while the preview was open."
OVERLAY = "(document.getElementById('ktreport-preview-error') || {}).textContent || ''"


def _default_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Preview:
    """``ktreport preview --port 0`` in ``tree``; its lines are collected as they come."""

    def __init__(self, tree: Path):
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from ktreport.cli import main; main()", "preview"]
            + ["--port", "0", "--no-update"],
            cwd=tree,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # faulthandler: on SIGABRT every thread's stack goes to the lines (see stop()).
            env={**os.environ, "PYTHONFAULTHANDLER": "1"},
            # Ctrl-C as in a terminal: a test run started in the background (`make test &`)
            # ignores SIGINT, and its children would inherit that and never stop.
            preexec_fn=_default_interrupt,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def stop(self) -> int:
        """Ctrl-C, and the exit code. A preview that does not stop within a minute fails
        the test with the stacks of its threads, which show where it hangs."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)
            self.process.wait(timeout=30)
            pytest.fail("ktreport preview did not stop on Ctrl-C:\n" + "\n".join(self.lines[-80:]))

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def url(self) -> str:
        def found():
            return next(
                (
                    m.group(0)
                    for m in map(re.compile(r"http://127\.0\.0\.1:\d+/").search, self.lines)
                    if m
                ),
                None,
            )

        return wait_for(found, 60)

    def updates(self) -> int:
        return sum(line.startswith("Updated in") for line in self.lines)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    sample = built("sample", tmp_path_factory)
    assert sample.ok, sample.explain()
    return copy_tree(sample.tree, tmp_path_factory.mktemp("preview") / "project")


def test_an_edit_shows_in_the_open_page_and_an_error_shows_over_it(tree, tmp_path):
    published = file_digests(tree / "report/output")
    preview = Preview(tree)
    browser = Chromium(tmp_path / "chromium")
    try:
        url = preview.url()
        assert url.startswith("http://127.0.0.1:")  # bound to the loopback address only
        wait_for(lambda: preview.updates() >= 1, 180)
        browser.open(url)
        wait_for(
            lambda: browser.evaluate(
                "document.body && document.body.innerText.includes('Introduction')"
            ),
            60,
        )
        assert not browser.evaluate(f"document.body.innerText.includes({SENTENCE!r})")

        chapter = tree / CHAPTER
        original = chapter.read_text(encoding="utf-8")
        chapter.write_text(original + f"\n{SENTENCE}\n", encoding="utf-8")
        wait_for(lambda: browser.evaluate(f"document.body.innerText.includes({SENTENCE!r})"), 120)

        broken_line = len(original.splitlines()) + 3  # after a blank line and the sentence
        chapter.write_text(
            original + f"\n{SENTENCE}\n{{{{ kf.no_such_figure }}}}\n", encoding="utf-8"
        )
        message = wait_for(lambda: browser.evaluate(OVERLAY), 120)
        assert f"{CHAPTER}:{broken_line}" in message and "no_such_figure" in message
        assert browser.evaluate(
            f"document.body.innerText.includes({SENTENCE!r})"
        )  # the last good page stays

        chapter.write_text(original, encoding="utf-8")
        wait_for(
            lambda: not browser.evaluate(f"document.body.innerText.includes({SENTENCE!r})"), 120
        )
        assert browser.evaluate(OVERLAY) == ""
    finally:
        browser.close()
        code = preview.stop()
    assert code == 130 and "Preview stopped." in preview.lines
    assert file_digests(tree / "report/output") == published
    assert (tree / "report/_preview/index.html").is_file()
    assert b"ktreport-preview" not in (tree / "report/_preview/index.html").read_bytes()
