"""Offline (issue 6 §4): the build opens no network connection. The whole build runs with
networking cut (``unshare -n``: a new network namespace without any interface up), and each
engine is confined: WeasyPrint to data: URLs and files under report/, pandoc to its
--sandbox, plotly.js embedded from the installed package, fonts from report/assets/."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from project_builds import HTML, PDF, built, can_unshare

from conftest import ROOT
from ktreport import render

NO_UNSHARE = (
    "cannot cut the network here: `unshare -n true` fails (it needs root or unprivileged "
    "user namespaces); the engines' own restrictions are still tested below"
)


@pytest.mark.e2e
def test_the_whole_build_succeeds_with_the_network_cut(tmp_path_factory):
    if not can_unshare():
        pytest.skip(NO_UNSHARE)
    build = built("sample", tmp_path_factory)
    assert build.offline, "the session's sample build did not run inside unshare -n"
    assert build.ok, build.explain()
    assert (build.tree / HTML).read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert (build.tree / PDF).read_bytes().startswith(b"%PDF-")


def test_inside_unshare_no_connection_can_be_opened():
    """The namespace the build runs in really has no network (else the test above proves
    nothing)."""
    if not can_unshare():
        pytest.skip(NO_UNSHARE)
    probe = (
        "import socket\n"
        "for address in [('1.1.1.1', 443), ('127.0.0.1', 9)]:\n"
        "    try:\n"
        "        socket.create_connection(address, timeout=3)\n"
        "    except OSError as error:\n"
        "        print('refused', error.errno)\n"
        "    else:\n"
        "        print('connected')\n"
    )
    result = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n").count("connected") == 0
    assert result.stdout.count("refused") == 2


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("data:image/png;base64,iVBORw0KGgo=", True),
        ("https://fonts.googleapis.com/css?family=Roboto", False),
        ("http://evil.example/x.png", False),
        ("ftp://evil.example/x.png", False),
        ("file://evil.example/etc/passwd", False),
        ("file:///etc/passwd", False),
    ],
)
def test_weasyprint_may_read_only_data_urls_and_files_of_the_report(url, allowed):
    fetcher = render.ReportFetcher(ROOT / "report")
    assert fetcher.allows(url) is allowed


def test_weasyprint_may_read_a_file_of_the_report():
    font = next((ROOT / "report" / "assets" / "fonts").glob("*.ttf"))
    assert render.ReportFetcher(ROOT / "report").allows(font.as_uri())


def test_pandoc_runs_in_its_sandbox(tmp_path, monkeypatch):
    seen: list[list[str]] = []

    def fake_run(command, cwd, what):
        seen.append(list(command))
        return subprocess.CompletedProcess(command, 0, "<html></html>", "")

    monkeypatch.setattr(render.pandoc, "run_engine", fake_run)
    chapter = tmp_path / "01.qmd"
    chapter.write_text("# Title\n", encoding="utf-8")
    render.pandoc_html(
        [chapter], context={}, report_dir=ROOT / "report", build_dir=tmp_path, variant="print"
    )
    assert seen and "--sandbox" in seen[0]


def test_plotly_js_is_embedded_from_the_installed_package():
    import plotly

    code = render.plotly_js()
    packaged = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert packaged.is_file() and len(code) > 1_000_000
    assert code.startswith(packaged.read_text(encoding="utf-8")[:1000])


def test_fonts_and_stylesheets_refer_only_to_files_of_the_report():
    assets = ROOT / "report" / "assets"
    sheets = sorted(assets.glob("*.css"))
    assert sheets
    for sheet in sheets:
        css = sheet.read_text(encoding="utf-8")
        for target in re.findall(r"url\(\s*[\"']?([^\"')]+)", css):
            assert not re.match(r"^[a-z]+:", target) or target.startswith("data:"), target
            if not target.startswith(("data:", "#")):
                assert (sheet.parent / target).resolve().is_file(), f"{sheet.name}: {target}"
        assert "@import" not in css
    template = (ROOT / "report" / "templates" / "report.html").read_text(encoding="utf-8")
    assert render.external_resources(template) == []
