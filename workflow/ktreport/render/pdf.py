"""Stage 4b, the PDF (rules render_pdf, render_archival_pdf): the print variant of the
pandoc HTML (``ktreport.render.html``) laid out by WeasyPrint as an A4 PDF.

WeasyPrint may only read files under ``report/`` and ``data:`` URLs (``ReportFetcher``).
Dates come from the commit (provenance), so two renders of one commit give the same bytes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ktreport.core import provenance
from ktreport.core.errors import RenderProblem
from ktreport.render.commands import timing_line, write_atomically
from ktreport.render.html import print_html
from ktreport.render.pdf_tags import retagged, tag_structure

PDF_VARIANT = "pdf/ua-1"
ARCHIVAL_PDF_VARIANT = "pdf/a-3b"


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
    write_atomically(Path(build_dir) / "print.html", html)
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
        # An identifier derived from the content (same content, same identifier): pikepdf
        # gives it to a tagged PDF (tag_structure). WeasyPrint's own hashes every stream,
        # which pydyf then compresses twice: 5-8 % of the report's render.
        pdf_identifier=not retagged(pdf_variant),
        attachments=pdf_attachments or None,
    )
    warnings.append(timing_line("weasyprint", time.perf_counter() - started))
    # What WeasyPrint 70 cannot tag (running heads as artifacts, one Table per table, TH
    # scopes, the contents as TOC): ktreport.render.pdf_tags.
    started = time.perf_counter()
    pdf, tagged = tag_structure(pdf)
    warnings.append(timing_line("pikepdf", time.perf_counter() - started))
    warnings.append(
        f"pdf tags: {tagged.artifacts} artifacts, {tagged.scopes} TH scopes, "
        f"{tagged.merged_tables} continued tables merged, {tagged.toc_lists} TOC lists"
    )
    if fetcher.refused:
        raise RenderProblem(
            "the PDF would need resources from outside report/: " + ", ".join(fetcher.refused)
        )
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_bytes(pdf)
    return warnings
