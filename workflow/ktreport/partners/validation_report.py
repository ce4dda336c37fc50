"""The validation report for partners: one self-contained HTML page, readable without a terminal.

It takes the validator's result (``validate.ValidationResult``: ``.problems``, ``.files``
with ``FileReport(path, table, partner_id, n_rows, problems, preview)``, ``.ok``) and shows
a summary per partner, then per file the problems (row, column, value as typed, what is
wrong, how to fix) and how the pipeline understood each row ("Czech Republic → CZ",
"negociation → ?"), cells with a problem highlighted.

The page has inline CSS only (no script, font, image or link to fetch), escapes everything
that comes from a partner file (jinja2 autoescape) and shows no personal data: personal
columns are left out of the preview and their values are hidden in problems. The same
result gives the same bytes (no clock time; sorted partners, files and problems).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ktreport import __version__
from ktreport.partners.validation_page import TEMPLATE
from ktreport.partners.validation_views import count, page_view


def write_html(result: Any, path: Path, *, fingerprint: str | None = None) -> None:
    """Write the validation report of ``result`` to ``path`` (UTF-8, ``\\n`` line ends)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(render_html(result, fingerprint=fingerprint))


def render_html(result: Any, *, fingerprint: str | None = None) -> str:
    """The validation report as one HTML page (a string).

    ``fingerprint`` (default: ``result.fingerprint`` when present) identifies the data
    checked, so partners can tell two reports of different data apart.
    """
    if fingerprint is None:
        fingerprint = getattr(result, "fingerprint", None)
    page = page_view(result)
    return TEMPLATE.render(page=page, fingerprint=fingerprint, version=__version__, plural=count)
