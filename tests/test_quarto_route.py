"""The Quarto route (``renderer: quarto``): what ktreport hands to Quarto, how Quarto's
errors stop the render, and (where a real Quarto is installed) that the fixture report
rendered by Quarto means the same as rendered by pandoc."""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from quarto_tool import path_with, require_quarto
from report_meaning import report_meaning
from test_render import REPORT_DIR, prepare

from ktreport import render
from ktreport.chapters.layout import TABLE_LINE

ROOT = Path(__file__).resolve().parents[1]
# A well-formed page for the assembly: the template's two markers.
PAGE = (
    "<html><head><style>/*ktreport:css*/</style></head>"
    "<body>rendered<!--ktreport:scripts--></body></html>"
)


def fake_quarto(folder: Path, *, stderr: str = "", exit_code: int = 0, page: str = PAGE) -> Path:
    """A ``quarto`` executable that records its arguments and environment, writes ``page``
    as Quarto's output, prints ``stderr`` and exits with ``exit_code``."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "quarto"
    script.write_text(
        f"#!{sys.executable}\n"
        + textwrap.dedent(
            f"""
            import json, os, sys
            from pathlib import Path
            Path({str(folder / "call.json")!r}).write_text(json.dumps(
                {{"argv": sys.argv[1:], "cwd": os.getcwd(),
                  "QUARTO_PANDOC": os.environ.get("QUARTO_PANDOC")}}))
            Path("quarto").mkdir(exist_ok=True)
            Path("quarto/index.html").write_text({page!r})
            sys.stderr.write({stderr!r})
            sys.exit({exit_code})
            """
        ),
        encoding="utf-8",
    )
    script.chmod(0o755)
    return folder


def render_with_quarto(tmp_path: Path, out: Path | None = None) -> list[str]:
    chapters, context = prepare(tmp_path / "_build")
    return render.render_html(
        chapters,
        out or tmp_path / "q.html",
        context=context,
        report_dir=REPORT_DIR,
        build_dir=tmp_path / "_build",
        renderer="quarto",
    )


def test_the_quarto_project_is_staged_next_to_the_chapters(tmp_path, monkeypatch):
    bin_dir = fake_quarto(tmp_path / "bin")
    monkeypatch.setenv("PATH", path_with(bin_dir))
    monkeypatch.delenv("QUARTO_PANDOC", raising=False)
    log = render_with_quarto(tmp_path)
    build_dir = tmp_path / "_build"
    call = json.loads((bin_dir / "call.json").read_text())
    assert call["argv"] == ["render", "index.qmd", "--to", "html", f"--columns={TABLE_LINE}"]
    assert Path(call["cwd"]) == build_dir
    # Quarto keeps its own pandoc: ktreport never points it at pypandoc's.
    assert call["QUARTO_PANDOC"] is None
    index = (build_dir / "index.qmd").read_text()
    assert index.count("{{< include chapters/") == 4
    project = render.quarto.yaml.safe_load((build_dir / "_quarto.yml").read_text())
    # The filters and the template are the report folder's, found from the build folder.
    paths = [f["path"] for f in project["filters"]] + [project["format"]["html"]["template"]]
    assert [(build_dir / p).resolve() for p in paths] == [
        REPORT_DIR / "quarto" / "table-ids.lua",
        REPORT_DIR / "assets" / "crossref.lua",
        REPORT_DIR / "quarto" / "freeze-floats.lua",
        REPORT_DIR / "quarto" / "metadata.lua",
        REPORT_DIR / "templates" / "report.html",
    ]
    metadata = json.loads((build_dir / project["metadata-files"][0]).read_text())
    assert metadata["ktreport-project"] == "KT SoftSkills"
    assert metadata["ktreport-date"] == "2024\\-05\\-02"
    assert metadata["ktreport-variant"] == "interactive"
    assert not {"project", "date", "variant"} & set(metadata)
    assert "rendered" in (tmp_path / "q.html").read_text()
    assert log[-1].startswith("time quarto ")


def test_an_error_line_fails_the_render_even_when_quarto_exits_0(tmp_path, monkeypatch):
    stderr = (
        "\x1b[31mERROR (/x/jog.lua:173) Don't know how to traverse TableBody\n\x1b[39m" * 3
        + "WARNING: something minor\nOutput created: quarto/index.html\n"
    )
    monkeypatch.setenv("PATH", path_with(fake_quarto(tmp_path / "bin", stderr=stderr)))
    out = tmp_path / "q.html"
    with pytest.raises(render.RenderProblem) as raised:
        render_with_quarto(tmp_path, out)
    message = str(raised.value)
    assert message.startswith("quarto reported an error: ERROR (/x/jog.lua:173) Don't know")
    assert "\x1b" not in message and message.count("TableBody") == 1
    assert "and 2 more ERROR lines" in message
    assert not out.exists()


def test_warnings_go_to_the_log(tmp_path, monkeypatch):
    stderr = (
        "WARNING (/x/a.lua:1) a minor thing\n[WARNING] Duplicate identifier 'x'\nOutput created\n"
    )
    monkeypatch.setenv("PATH", path_with(fake_quarto(tmp_path / "bin", stderr=stderr)))
    log = render_with_quarto(tmp_path)
    assert log[:2] == ["WARNING (/x/a.lua:1) a minor thing", "[WARNING] Duplicate identifier 'x'"]


def test_a_failing_quarto_says_why_without_its_stack_trace(tmp_path, monkeypatch):
    stderr = (
        "\x1b[31mERROR: YAMLValidationError: Field project must be an object\n"
        "Stack trace:\n    at readAndValidateYamlFromFile (file:///q/validated-yaml.ts:51:11)\n"
    )
    bin_dir = fake_quarto(tmp_path / "bin", stderr=stderr, exit_code=1)
    monkeypatch.setenv("PATH", path_with(bin_dir))
    with pytest.raises(render.RenderProblem) as raised:
        render_with_quarto(tmp_path)
    assert str(raised.value) == (
        "quarto failed: ERROR: YAMLValidationError: Field project must be an object"
    )


def _rule_script():
    spec = importlib.util.spec_from_file_location(
        "render_html_script", ROOT / "workflow" / "scripts" / "render_html.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_render_html_step_fails_with_quartos_error(tmp_path, monkeypatch, capsys):
    """The rule render_html with ``renderer: quarto``: Quarto's ERROR line is the step's
    one-line message (what ``ktreport build`` shows) and in its log; no HTML is written."""
    stderr = "ERROR (crossref.lua) cross-reference @tbl-x names no figure, table or section\n"
    monkeypatch.setenv("PATH", path_with(fake_quarto(tmp_path / "bin", stderr=stderr)))
    chapters, _ = prepare(tmp_path / "_build")
    out = tmp_path / "output" / "report.html"
    smk = SimpleNamespace(
        rule="render_html",
        log=[str(tmp_path / "render_html.log")],
        input=SimpleNamespace(
            chapters=[str(c) for c in chapters],
            context=str(tmp_path / "_build" / "render_context.json"),
        ),
        output=[str(out)],
        params=SimpleNamespace(
            renderer="quarto", report_dir=str(REPORT_DIR), build_dir=str(tmp_path / "_build")
        ),
    )
    assert _rule_script().main(smk) == 1
    said = capsys.readouterr().err
    assert (
        "render_html: quarto reported an error: ERROR (crossref.lua) cross-reference @tbl-x" in said
    )
    assert "@tbl-x" in (tmp_path / "render_html.log").read_text()
    assert not out.exists()


def test_quarto_renders_the_fixture_as_pandoc_does(tmp_path, monkeypatch):
    """The real Quarto: the same headings, numbers, captions, ids, links, key figures,
    charts and front matter as the pandoc route, self-contained; and the same bytes when
    rendered again (no random ids)."""
    monkeypatch.setenv("PATH", path_with(require_quarto()))
    monkeypatch.delenv("QUARTO_PANDOC", raising=False)
    chapters, context = prepare(tmp_path / "_build")
    pages = {}
    for renderer in ("pandoc", "quarto", "quarto-again"):
        out = tmp_path / f"{renderer}.html"
        render.render_html(
            chapters,
            out,
            context=context,
            report_dir=REPORT_DIR,
            build_dir=tmp_path / "_build",
            renderer=renderer.removesuffix("-again"),
        )
        pages[renderer] = out.read_text(encoding="utf-8")
    assert pages["quarto-again"] == pages["quarto"]
    assert render.external_resources(pages["quarto"]) == []
    pandoc, quarto = (report_meaning(pages[r]) for r in ("pandoc", "quarto"))
    assert ("h1", "Annex A Build information") in quarto.headings
    assert quarto.figure_captions[0].startswith("Figure 1:")
    assert quarto.charts and quarto.plotly_js == 1
    assert quarto.key_figures and quarto.consortium
    assert vars(quarto) == vars(pandoc)


def test_a_quarto_project_without_the_template_says_what_is_missing(tmp_path):
    report_dir = tmp_path / "report"
    report_dir.mkdir()
    (report_dir / "_quarto.yml").write_text("project:\n  type: default\nformat:\n  html: {}\n")
    with pytest.raises(render.RenderProblem, match=r"report/_quarto.yml: no 'filters'"):
        render.quarto.quarto_project(report_dir, tmp_path / "_build")
