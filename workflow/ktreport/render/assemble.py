"""Stage 4b, the self-contained page: the stylesheets, the figures (as ``data:`` URIs) and
plotly.js (once, for all figures) put inside pandoc's HTML, so it opens offline, from disk
or as an e-mail attachment; and the check that nothing is loaded from outside.
"""

from __future__ import annotations

import base64
import html as html_lib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ktreport.core.errors import RenderProblem
from ktreport.render.charts import (
    PLOTLY_CONFIG,
    chart_html,
    interactive_scripts,
    manifest,
    source_descriptions,
    table_frames,
)

__all__ = ["PLOTLY_CONFIG", "assemble", "external_resources", "plotly_js"]

TEMPLATE = Path("templates") / "report.html"
BASE_CSS = Path("assets") / "report.css"
SCREEN_CSS = Path("assets") / "screen.css"
PAGED_CSS = Path("assets") / "paged.css"
CSS_MARKER = "/*ktreport:css*/"
SCRIPTS_MARKER = "<!--ktreport:scripts-->"

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
    figures = manifest(build_dir / "figures") if interactive else {}

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
        entry = figures.get(path.stem, {})
        return chart_html(image=image, alt=alt, json_path=json_path, entry=entry)

    return _IMG.sub(replace, html), plots


def plotly_js() -> str:
    """plotly.min.js of the installed plotly package (the same version as the figures)."""
    # Imported here only: plotly costs every process importing the renderer (the PDF, the
    # chapters) its start-up time, and only the interactive HTML needs it.
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return path.read_text(encoding="utf-8").replace("</script", "<\\/script")


# A table's column headers say so (``scope``): screen readers and the PDF's tags use it.
_THEAD = re.compile(r"<thead>.*?</thead>", re.DOTALL)


def _header_scopes(html: str) -> str:
    return _THEAD.sub(
        lambda m: re.sub(r"<th(?=[\s>])(?![^>]*\bscope=)", '<th scope="col"', m.group(0)), html
    )


# pandoc writes a column's alignment into each of its cells (style="text-align: right;").
# WeasyPrint shares one computed style among elements that match the same rules, never
# among elements with a style attribute: as a class, the report's 1,300 cells need a few
# dozen styles, not 1,300 (15 % of its WeasyPrint render). For the same reason a cell that
# holds one unbreakable value (``[12]{.nowrap}``, ``chapters.layout``) is nowrap itself.
_CELL = re.compile(r"<(td|th)((?:\s[^>]*)?)>")
_ALIGNMENT = re.compile(r'\sstyle="text-align: (left|right|center);"')
_CLASS = re.compile(r'\sclass="([^"]*)"')
_NOWRAP_CELL = re.compile(
    r'<(td|th)((?:\s[^>]*)?)><span class="nowrap">([^<]*(?:<(?!/?span\b)[^<]*)*)</span></\1>'
)


def _with_class(attributes: str, name: str) -> str:
    if match := _CLASS.search(attributes):
        names = f"{match.group(1)} {name}".strip()
        return attributes[: match.start()] + f' class="{names}"' + attributes[match.end() :]
    return f'{attributes} class="{name}"'


def _cell_classes(html: str) -> str:
    """Cells' alignment (``align-left|right|center``) and a whole-cell ``nowrap`` as the
    cell's classes instead of a style attribute and a span."""

    def aligned(match: re.Match) -> str:
        tag, attributes = match.group(1), match.group(2)
        alignment = _ALIGNMENT.search(attributes)
        if alignment is None:
            return match.group(0)
        rest = attributes[: alignment.start()] + attributes[alignment.end() :]
        return f"<{tag}{_with_class(rest, 'align-' + alignment.group(1))}>"

    def unwrapped(match: re.Match) -> str:
        tag, attributes, content = match.groups()
        return f"<{tag}{_with_class(attributes, 'nowrap')}>{content}</{tag}>"

    return _NOWRAP_CELL.sub(unwrapped, _CELL.sub(aligned, html))


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
    html = _cell_classes(_header_scopes(html)).replace(CSS_MARKER, css, 1)
    interactive = variant == "interactive"
    if interactive:
        html = source_descriptions(table_frames(html))
    html, plots = _embed_images(html, build_dir=Path(build_dir), interactive=interactive)
    scripts = ""
    if interactive and plots and with_plotly:
        scripts = interactive_scripts(Path(report_dir), plotly_js())
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
