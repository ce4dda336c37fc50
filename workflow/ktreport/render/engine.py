"""Stage 4, rendering: the ``.qmd`` chapters → one self-contained HTML file and an A4 PDF.

HTML: pandoc (the binary of the pypandoc-binary wheel) by subprocess, in its ``--sandbox``,
with the report's template (``report/templates/report.html``) and the cross-reference filter
(``report/assets/crossref.lua``); then the stylesheets, the figures (as ``data:`` URIs) and
plotly.js (once, for all figures) are put inside the file, so it opens offline, from disk or
as an e-mail attachment. With ``renderer: quarto`` (or ``auto`` and quarto on PATH) Quarto
renders the same ``.qmd`` files instead.

PDF: the *print* variant of the same pandoc HTML (static SVG figures, no scripts, plus
``report/assets/paged.css``) rendered by WeasyPrint, which may only read files under
``report/`` and ``data:`` URLs (``ReportFetcher``). Dates come from the commit
(provenance), so two renders of one commit give the same bytes.
"""

from __future__ import annotations

import base64
import html as html_lib
import json
import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ktreport.chapters.text import CHAPTER_SUFFIX, TABLE_LINE, md
from ktreport.core import provenance

TEMPLATE = Path("templates") / "report.html"
CROSSREF_FILTER = Path("assets") / "crossref.lua"
BASE_CSS = Path("assets") / "report.css"
SCREEN_CSS = Path("assets") / "screen.css"
PAGED_CSS = Path("assets") / "paged.css"
QUARTO_PROJECT = Path("_quarto.yml")
CSS_MARKER = "/*ktreport:css*/"
SCRIPTS_MARKER = "<!--ktreport:scripts-->"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
RENDERERS = ("auto", "pandoc", "quarto")
PDF_VARIANT = "pdf/ua-1"
ARCHIVAL_PDF_VARIANT = "pdf/a-3b"

log = logging.getLogger(__name__)


class RenderProblem(Exception):
    """The report cannot be rendered; the message says why and what to do."""


# --------------------------------------------------------------------------- engines
def choose_renderer(setting: str, which: Callable[[str], str | None] = shutil.which) -> str:
    """``auto`` → quarto when it is on PATH, else pandoc; ``quarto`` must be installed."""
    if setting not in RENDERERS:
        raise RenderProblem(
            f"config.yaml: renderer is '{setting}'; use one of {', '.join(RENDERERS)}"
        )
    if setting == "auto":
        return "quarto" if which("quarto") else "pandoc"
    if setting == "quarto" and not which("quarto"):
        raise RenderProblem(
            "config.yaml asks for renderer: quarto, but the quarto command is not installed. "
            "Install Quarto (https://quarto.org/docs/download/) or set renderer: auto."
        )
    return setting


def _write_atomically(path: Path, content: str) -> None:
    """Write via a temporary file and a rename: two rules rendering at once (the PDF and
    the archival PDF) never see each other's half-written file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(content, encoding="utf-8")
    os.replace(temporary, path)


def timing_line(engine: str, seconds: float) -> str:
    """How long an engine ran, as the rule logs record it (``make bench`` reads these)."""
    return f"time {engine} {seconds:.3f} s"


def _run(command: Sequence[str], cwd: Path, what: str) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(
            list(command), cwd=cwd, capture_output=True, text=True, check=False, timeout=900
        )
    except OSError as exc:
        raise RenderProblem(f"{what} could not be started: {exc}") from None
    except subprocess.TimeoutExpired:
        raise RenderProblem(f"{what} did not finish within 15 minutes") from None
    if result.returncode != 0:
        raise RenderProblem(f"{what} failed: {_engine_message(result.stderr)}")
    return result


def _engine_message(stderr: str) -> str:
    """The useful line(s) of an engine's error output (no Lua stack traceback)."""
    lines = []
    for line in stderr.splitlines():
        if line.strip().startswith("stack traceback") or line.startswith("\t"):
            break
        if line.strip() and not line.startswith("Error running filter"):
            lines.append(line.strip())
    return " ".join(lines) or stderr.strip() or "no message"


# --------------------------------------------------------------------------- metadata
def document_metadata(context: Mapping[str, Any], variant: str) -> dict[str, Any]:
    """The template's variables from the render context's config and build information.

    Values are Markdown-escaped: pandoc reads metadata as Markdown, and a partner or
    project name must show exactly as written.
    """
    config = context.get("config", {})
    report = config.get("report", {})
    build = context.get("build", {})
    title = report.get("title", "Knowledge Transfer Skills Investigation Report")
    meta: dict[str, Any] = {
        "title": title,
        "pagetitle": title,
        "subtitle": report.get("subtitle", ""),
        "subject": report.get("subtitle") or title,
        "project": report.get("project", ""),
        "deliverable": report.get("deliverable", ""),
        "work-package": report.get("work_package", ""),
        "author": list(report.get("authors", [])),
        "consortium": list(report.get("consortium", [])),
        "keywords": list(report.get("keywords", [])),
        "lang": report.get("language", "en-GB"),
        "version": build.get("version", report.get("version", "")),
        "date": build.get("date", ""),
        "date-long": build.get("date_long", build.get("date", "")),
        "created": build.get("datetime", ""),
        "fingerprint": build.get("data_fingerprint", ""),
        "pandoc-version": build.get("tools", {}).get("pandoc") or "",
        "variant": variant,
    }
    escaped = {
        key: [md(v) for v in value] if isinstance(value, list) else md(value)
        for key, value in meta.items()
    }
    escaped["sample-data"] = bool(config.get("sample_data", False))
    return escaped


# --------------------------------------------------------------------------- pandoc
def pandoc_html(
    chapters: Sequence[Path],
    *,
    context: Mapping[str, Any],
    report_dir: Path,
    build_dir: Path,
    variant: str,
) -> tuple[str, list[str]]:
    """Run pandoc over the chapters (in order) → (HTML with markers, pandoc's warnings)."""
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    metadata_file = build_dir / f"pandoc-metadata-{variant}.json"
    _write_atomically(
        metadata_file,
        json.dumps(document_metadata(context, variant), indent=1, sort_keys=True) + "\n",
    )
    # Chapters are given relative to the build directory: no machine path in messages.
    inputs = [_relative_to(Path(c), build_dir) for c in chapters]
    command = [
        provenance.pandoc_path(),
        "--sandbox",  # readers and writers touch only the files named here
        "--from=markdown",
        "--to=html5",
        "--standalone",
        f"--template={(Path(report_dir) / TEMPLATE).resolve()}",
        f"--lua-filter={(Path(report_dir) / CROSSREF_FILTER).resolve()}",
        f"--metadata-file={metadata_file.resolve()}",
        "--toc",
        "--toc-depth=2",
        "--section-divs",
        "--wrap=none",
        # A pipe table wider than a line gets the relative widths of its dash counts,
        # which text.table() computes from the content (text.TABLE_LINE).
        f"--columns={TABLE_LINE}",
        *inputs,
    ]
    started = time.perf_counter()
    result = _run(command, build_dir, "pandoc")
    _check_math(result.stderr, chapters)
    warnings = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    return result.stdout, [*warnings, timing_line("pandoc", time.perf_counter() - started)]


_UNTYPESET_MATH = re.compile(
    r"\[WARNING\] Could not convert TeX math (.*?), rendering as TeX", re.DOTALL
)


def _check_math(stderr: str, chapters: Sequence[Path]) -> None:
    """Formulas pandoc cannot typeset without LaTeX would show as raw TeX to the reader:
    stop, naming the chapter and the formula, and say what works."""
    for formula in _UNTYPESET_MATH.findall(stderr):
        where = next(
            (
                f"report/chapters/{Path(c).stem}{CHAPTER_SUFFIX}"
                for c in chapters
                if formula in Path(c).read_text(encoding="utf-8")
            ),
            "a chapter",
        )
        raise RenderProblem(
            f"{where}: the formula ${formula}$ cannot be typeset without LaTeX, so "
            "readers would see raw TeX. Write it with letters, sub- and superscripts, \\bar, "
            "\\times and Greek letters only, e.g. $\\mathrm{MWDS} = \\bar{D} \\times "
            "\\bar{I}$, and say the rest in words."
        )


def _relative_to(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


# --------------------------------------------------------------------------- assembly
_IMG = re.compile(r"<img\b([^>]*?)\s*/?>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')


def _data_uri(path: Path) -> str:
    mime = {
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".gif": "image/gif",
    }.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element (no "</script>", no HTML comment)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _plotly_figure(json_path: Path) -> dict[str, Any]:
    figure = json.loads(json_path.read_text(encoding="utf-8"))
    layout = dict(figure.get("layout", {}))
    # The static export has a fixed width; on screen the figure follows its container.
    layout.pop("width", None)
    layout["autosize"] = True
    return {"data": figure.get("data", []), "layout": layout}


def _resolve_local(src: str, build_dir: Path) -> Path:
    if urlsplit(src).scheme or src.startswith("//"):
        raise RenderProblem(
            f"the report refers to the external resource {src}; "
            "only files of the build (figures) can be shown"
        )
    path = (build_dir / unquote(src)).resolve()
    if not path.is_relative_to(build_dir.resolve()):
        raise RenderProblem(f"the image {src} is outside the report's build directory")
    if not path.is_file():
        raise RenderProblem(
            f"the image {src} does not exist in {build_dir.name}/ "
            "(was the figure exported? run the whole pipeline: snakemake --cores all)"
        )
    return path


def _embed_images(html: str, *, build_dir: Path, interactive: bool) -> tuple[str, int]:
    """Every local <img> becomes a data: URI; with ``interactive``, figures with a plotly
    JSON next to their SVG become a plotly div with the SVG as <noscript> fallback."""
    plots = 0

    def replace(match: re.Match) -> str:
        nonlocal plots
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        src = html_lib.unescape(attributes.get("src", ""))
        if src.startswith("data:"):
            return match.group(0)
        path = _resolve_local(src, build_dir)
        alt = attributes.get("alt", "")
        image = f'<img src="{_data_uri(path)}" alt="{alt}" />'
        json_path = path.with_suffix(".json")
        if not (interactive and path.suffix == ".svg" and json_path.is_file()):
            return image
        plots += 1
        plot_id = f"{path.stem}-plot"
        return (
            f'<div class="plotly-figure" id="{plot_id}" role="img" aria-label="{alt}"></div>'
            f"<noscript>{image}</noscript>"
            f'<script type="application/json" class="plotly-data" data-target="{plot_id}">'
            f"{_script_json(_plotly_figure(json_path))}</script>"
        )

    return _IMG.sub(replace, html), plots


def plotly_js() -> str:
    """plotly.min.js of the installed plotly package (the same version as the figures)."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return path.read_text(encoding="utf-8").replace("</script", "<\\/script")


_PLOTS_INIT = """
(function () {
  var config = %s;
  document.querySelectorAll("script.plotly-data").forEach(function (data) {
    var figure = JSON.parse(data.textContent);
    var target = document.getElementById(data.dataset.target);
    Plotly.newPlot(target, figure.data, figure.layout, config);
  });
})();
"""


def assemble(
    html: str, *, variant: str, report_dir: Path, build_dir: Path, with_plotly: bool = True
) -> str:
    """Put the stylesheets, the figures and (interactive variant) plotly.js inside the HTML."""
    layer = PAGED_CSS if variant == "print" else SCREEN_CSS
    sheets = [Path(report_dir) / BASE_CSS, Path(report_dir) / layer]
    css = "\n".join(sheet.read_text(encoding="utf-8").strip() for sheet in sheets)
    if CSS_MARKER not in html or SCRIPTS_MARKER not in html:
        raise RenderProblem(
            f"the template {TEMPLATE} lacks the markers {CSS_MARKER} and {SCRIPTS_MARKER}"
        )
    html = html.replace(CSS_MARKER, css, 1)
    html, plots = _embed_images(
        html, build_dir=Path(build_dir), interactive=variant == "interactive"
    )
    scripts = ""
    if variant == "interactive" and plots and with_plotly:
        scripts = (
            f"<script>{plotly_js()}</script>\n"
            f"<script>{_PLOTS_INIT % _script_json(PLOTLY_CONFIG)}</script>"
        )
    return html.replace(SCRIPTS_MARKER, scripts, 1)


# Elements and CSS that load a resource (a hyperlink <a href> loads nothing).
_RESOURCE_ATTRIBUTE = re.compile(
    r"<(script|link|img|source|iframe|embed|video|audio|track|object|input|image|use)\b"
    r"[^>]*?\b(src|href|data|poster|srcset|xlink:href)\s*=\s*[\"']?([^\"'\s>]+)",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]+)|@import\s+[\"']([^\"']+)", re.IGNORECASE)


_SCRIPT_BODY = re.compile(r"(<script\b[^>]*>).*?(</script>)", re.IGNORECASE | re.DOTALL)


def external_resources(html: str) -> list[str]:
    """Every resource the page's markup or CSS would load from outside itself (should be
    none). Script bodies are not read: plotly.js mentions URLs it never loads here."""
    html = _SCRIPT_BODY.sub(r"\1\2", html)
    found = []
    for _, _, url in _RESOURCE_ATTRIBUTE.findall(html):
        if not url.startswith(("data:", "#")):
            found.append(url)
    for url, imported in _CSS_URL.findall(html):
        target = url or imported
        if not target.startswith(("data:", "#")):
            found.append(target)
    return sorted(set(found))


# --------------------------------------------------------------------------- HTML
def interactive_html(
    chapters: Sequence[Path], *, context: Mapping[str, Any], report_dir: Path, build_dir: Path
) -> tuple[str, list[str]]:
    html, warnings = pandoc_html(
        chapters, context=context, report_dir=report_dir, build_dir=build_dir, variant="interactive"
    )
    return assemble(html, variant="interactive", report_dir=report_dir, build_dir=build_dir), (
        warnings
    )


def print_html(
    chapters: Sequence[Path], *, context: Mapping[str, Any], report_dir: Path, build_dir: Path
) -> tuple[str, list[str]]:
    """The print variant: static figures, no scripts, the paged-media layer."""
    html, warnings = pandoc_html(
        chapters, context=context, report_dir=report_dir, build_dir=build_dir, variant="print"
    )
    return assemble(html, variant="print", report_dir=report_dir, build_dir=build_dir), warnings


def render_html(
    chapters: Sequence[Path],
    out: Path,
    *,
    context: Mapping[str, Any],
    report_dir: Path,
    build_dir: Path,
    renderer: str = "pandoc",
) -> list[str]:
    """Write the self-contained HTML report; returns lines for the log (the engine's
    warnings and its run time, ``time pandoc 0.312 s``)."""
    if renderer == "quarto":
        html, warnings = quarto_html(
            chapters, context=context, report_dir=report_dir, build_dir=build_dir
        )
    else:
        html, warnings = interactive_html(
            chapters, context=context, report_dir=report_dir, build_dir=build_dir
        )
    external = external_resources(html)
    if external:
        raise RenderProblem(
            "the HTML would load resources from outside the file: " + ", ".join(external)
        )
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(html, encoding="utf-8")
    return warnings


# --------------------------------------------------------------------------- quarto
def quarto_document(chapters: Sequence[Path], build_dir: Path) -> str:
    """``index.qmd``: the chapters included in order (the front matter is in _quarto.yml)."""
    lines = ["---", "format: html", "---", ""]
    for chapter in chapters:
        lines += [f"{{{{< include {_relative_to(Path(chapter), build_dir)} >}}}}", ""]
    return "\n".join(lines)


def quarto_html(
    chapters: Sequence[Path], *, context: Mapping[str, Any], report_dir: Path, build_dir: Path
) -> tuple[str, list[str]]:
    """Render with Quarto: ``report/_quarto.yml`` + the title metadata → one HTML file.

    Quarto numbers and cross-references natively and embeds resources itself; the figures
    are the static SVGs (plotly figures are interactive only on the pandoc path).
    """
    build_dir = Path(build_dir)
    shutil.copyfile(Path(report_dir) / QUARTO_PROJECT, build_dir / "_quarto.yml")
    report = context.get("config", {}).get("report", {})
    build = context.get("build", {})
    # Quarto reads these as YAML values (JSON is YAML), not through the Markdown escaping.
    front: dict[str, Any] = {
        "title": report.get("title", ""),
        "subtitle": report.get("subtitle", ""),
        "author": list(report.get("authors", [])),
        "date": build.get("date", ""),
        "lang": report.get("language", "en-GB"),
        "keywords": list(report.get("keywords", [])),
        "version": build.get("version", ""),
    }
    if context.get("config", {}).get("sample_data"):
        notice = build_dir / "sample-notice.html"
        notice.write_text(
            '<p class="sample-banner" role="note"><strong>Sample data.</strong> Built from the '
            "project's sample data: every number, table and figure illustrates the method and "
            "is not a result of the study.</p>\n",
            encoding="utf-8",
        )
        front["include-before-body"] = [notice.name]
    (build_dir / "_metadata.yml").write_text(
        json.dumps(front, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (build_dir / "index.qmd").write_text(quarto_document(chapters, build_dir), encoding="utf-8")
    started = time.perf_counter()
    result = _run(["quarto", "render", "index.qmd", "--to", "html"], build_dir, "quarto")
    output = build_dir / "quarto" / "index.html"
    if not output.is_file():
        raise RenderProblem(f"quarto finished but wrote no {output.relative_to(build_dir)}")
    warnings = [line.strip() for line in result.stderr.splitlines() if "WARN" in line]
    warnings.append(timing_line("quarto", time.perf_counter() - started))
    return output.read_text(encoding="utf-8"), warnings


# --------------------------------------------------------------------------- PDF
# WeasyPrint is imported only where a PDF is made: importing it takes 1.5-2 s, which every
# process importing this module (write_chapters, render_html) would otherwise pay.
def _report_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class ReportFetcher(URLFetcher):
        """WeasyPrint may read ``data:`` URLs and files under the report's own tree, nothing
        else: no network, no file elsewhere on the machine. Refused URLs are remembered."""

        def __init__(self, allowed_root: Path, **kwargs: Any):
            super().__init__(allowed_protocols=("file", "data"), **kwargs)
            self.allowed_root = Path(allowed_root).resolve()
            self.refused: list[str] = []

        def allows(self, url: str) -> bool:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return True
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                return False
            return Path(unquote(parts.path)).resolve().is_relative_to(self.allowed_root)

        def fetch(self, url: str, headers: Mapping[str, str] | None = None):
            if not self.allows(url):
                self.refused.append(url)
                raise ValueError(f"ktreport refuses to fetch {url}: only files under report/")
            return super().fetch(url, headers)

    ReportFetcher.__module__ = __name__
    return ReportFetcher


def _report_fetcher() -> type:
    """The class ``ReportFetcher``, made once (WeasyPrint imported then)."""
    if "ReportFetcher" not in globals():
        globals()["ReportFetcher"] = _report_fetcher_class()
    return globals()["ReportFetcher"]


def __getattr__(name: str) -> Any:
    """``render.ReportFetcher`` works as a plain attribute, made on first use."""
    if name == "ReportFetcher":
        return _report_fetcher()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _attachment_date(build: Mapping[str, Any]) -> datetime:
    return provenance.build_date(int(build.get("source_date_epoch", 0)))


def render_pdf(
    chapters: Sequence[Path],
    out: Path,
    *,
    context: Mapping[str, Any],
    report_dir: Path,
    build_dir: Path,
    pdf_variant: str = PDF_VARIANT,
    attachments: Iterable[tuple[Path, str]] = (),
) -> list[str]:
    """Write the PDF (tagged PDF/UA-1 by default); returns lines for the log (pandoc's
    warnings, the run times of pandoc and WeasyPrint).

    ``attachments``: (file, name in the PDF) pairs embedded with the commit's date (for the
    archival PDF/A-3b variant). The print HTML is kept in ``build_dir/print.html``.
    """
    from weasyprint import HTML, Attachment

    report_dir = Path(report_dir)
    html, warnings = print_html(
        chapters, context=context, report_dir=report_dir, build_dir=build_dir
    )
    _write_atomically(Path(build_dir) / "print.html", html)
    fetcher = _report_fetcher()(report_dir)
    started = time.perf_counter()
    document = HTML(
        string=html,
        base_url=(report_dir / "assets").resolve().as_uri() + "/",
        url_fetcher=fetcher,
    )
    when = _attachment_date(context.get("build", {}))
    pdf_attachments = [
        Attachment(
            filename=str(path),
            name=name,
            description=name,
            created=when,
            modified=when,
            relationship="Data",
        )
        for path, name in attachments
    ]
    pdf = document.write_pdf(
        pdf_variant=pdf_variant,
        pdf_identifier=True,  # derived from the content: same content, same identifier
        attachments=pdf_attachments or None,
    )
    warnings.append(timing_line("weasyprint", time.perf_counter() - started))
    if fetcher.refused:
        raise RenderProblem(
            "the PDF would need resources from outside report/: " + ", ".join(fetcher.refused)
        )
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_bytes(pdf)
    return warnings
