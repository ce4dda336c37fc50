"""Review aid, after the pipeline: the changes written for people and machines.

``write_changes`` writes ``changes.html`` (self-contained: inline CSS, figures as data
URLs, every text escaped), ``changes.pdf`` (WeasyPrint, from the same HTML and its print
CSS; it fetches nothing but data: URLs) and ``changes.json`` (``Changes.as_dict``).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from ktreport import contract
from ktreport.review.changes import Changes, SectionChange
from ktreport.review.keyfigures import is_number
from ktreport.review.rows import WITHHELD_QUOTE

TEMPLATES = Path(__file__).resolve().parent / "templates"


def changes_json(changes: Changes) -> str:
    return json.dumps(changes.as_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


SHARE_UNITS = ("share",)


def _decimals(value: float, sign: str = "") -> str:
    text = f"{value:{sign},.2f}".replace(",", "\u202f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value: Any, unit: str = "") -> str:
    """A key-figure value for people: shares as percentages, at most 2 decimals, no float noise."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if is_number(value) and unit in SHARE_UNITS:
        return f"{value * 100:.1f} %"
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    if isinstance(value, float):
        return _decimals(value)
    return str(value)


def format_delta(delta: float | None, unit: str = "") -> str:
    """A change as a signed number: percentage points for shares."""
    if delta is None:
        return ""
    if unit in SHARE_UNITS:
        return f"{delta * 100:+.1f} pp"
    if isinstance(delta, int):
        return f"{delta:+,d}".replace(",", "\u202f")
    return _decimals(delta, "+")


def _svg_data_url(svg: bytes | None) -> str:
    # As <img src="data:...">: the SVG's own ids cannot collide with the other side's, and
    # a script inside an SVG never runs.
    if svg is None:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


# Relative widths of the columns of a rows table, by contract kind: free text and lists
# get room, enumerated codes enough for "hei_kt_professional", numbers little.
_COLUMN_WEIGHTS = {
    "skills": 3.0,
    "text": 3.0,
    "multi": 2.0,
    "url": 2.0,
    "enum": 1.8,
    "id": 2.0,
    "date": 1.8,
    "country": 1.2,
}


def column_widths(table: str, columns: Sequence[str], leading: Sequence[float] = ()) -> list[str]:
    """Relative widths (CSS percentages) of a rows table: lists and free text get room,
    codes and numbers little. ``leading`` are the weights of columns before ``columns``."""
    spec = contract.PARTNER_TABLES.get(table)
    weights = list(leading)
    for name in columns:
        kind = spec.column(name).kind if spec and name in spec.column_names else "text"
        weights.append(_COLUMN_WEIGHTS.get(kind, 1.0))
    total = sum(weights) or 1.0
    return [f"{100 * w / total:.1f}%" for w in weights]


def _breakable(text: str) -> Any:
    """Escaped text that may wrap after "_", ";" and "/" (long ids and lists in narrow cells)."""
    escaped = str(markupsafe.escape(text))
    return markupsafe.Markup(re.sub(r"([_;/])", r"\1<wbr>", escaped))


def render_html(changes: Changes) -> str:
    """The self-contained tracked-changes page (inline CSS, images as data URLs, all escaped)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["value"] = format_value
    environment.filters["delta"] = format_delta
    environment.filters["svg_url"] = _svg_data_url
    environment.filters["label"] = contract.label
    environment.filters["breakable"] = _breakable
    environment.globals["column_widths"] = column_widths
    by_chapter: dict[str, list[SectionChange]] = {}
    for section in changes.sections:
        by_chapter.setdefault(section.chapter, []).append(section)
    # A chapter is titled by its first heading (its file name when it has none).
    chapters = [
        (name, next((s.heading for s in sections if s.heading), name), sections)
        for name, sections in by_chapter.items()
    ]
    template = environment.get_template("diff.html.j2")
    return template.render(
        changes=changes,
        summary=changes.summary,
        chapters=chapters,
        changed_files=[f for f in changes.files if f.status != "unchanged"],
        unchanged_files=[f for f in changes.files if f.status == "unchanged"],
        personal_columns=sorted(
            {c for t in contract.PARTNER_TABLES.values() for c in t.personal_columns}
        ),
        withheld_quote=WITHHELD_QUOTE,
    )


def _url_fetcher_class() -> type:
    # WeasyPrint is imported only when a PDF is written (``ktreport diff --no-pdf`` stays quick).
    from weasyprint.urls import URLFetcher

    class DataUrlsOnly(URLFetcher):
        """Fetches data: URLs only: the PDF never reads a file or the network."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"changes.pdf fetches no external resource ({url[:60]})")
            return super().fetch(url, headers)

    return DataUrlsOnly


def __getattr__(name: str) -> Any:
    # WeasyPrint is imported only when a PDF is written (``ktreport diff --no-pdf`` stays quick).
    if name == "DataUrlsOnly":
        return _url_fetcher_class()
    raise AttributeError(name)


def write_pdf(html: str, target: Path) -> None:
    """The PDF from the same HTML (its print CSS); nothing is fetched but data: URLs."""
    import weasyprint  # only here: see _url_fetcher_class

    document = weasyprint.HTML(
        string=html, base_url=str(target.parent), url_fetcher=_url_fetcher_class()()
    )
    document.write_pdf(target)


@dataclass(frozen=True)
class Written:
    folder: Path
    html: Path
    pdf: Path | None
    json: Path


def write_changes(changes: Changes, folder: Path, pdf: bool = True) -> Written:
    """``changes.html``, ``changes.pdf`` and ``changes.json`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    html = render_html(changes)
    html_path, json_path, pdf_path = (
        folder / "changes.html",
        folder / "changes.json",
        folder / "changes.pdf",
    )
    html_path.write_text(html, encoding="utf-8", newline="\n")
    json_path.write_text(changes_json(changes), encoding="utf-8", newline="\n")
    if pdf:
        write_pdf(html, pdf_path)
    elif pdf_path.exists():
        pdf_path.unlink()
    return Written(folder, html_path, pdf_path if pdf else None, json_path)
