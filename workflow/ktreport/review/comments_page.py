"""Outside the DAG: ``ktreport comments``'s outputs, ``comments.html`` (the page the
report lead works through, chapter by chapter, line by line) and ``comments.json``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ktreport.catalog import (
    CHAPTER_TEMPLATES_DIR,
    COMMENTS_HTML_FILE,
    COMMENTS_JSON_FILE,
    KEY_FIGURES,
    OUTPUT,
    REPORT_DOCX,
)
from ktreport.review.comments import Remark, ReviewProblem, place, read_remarks

STYLE = """
body { font-family: "Liberation Sans", Arial, sans-serif; color: #1d2433; margin: 2rem auto;
  max-width: 62rem; padding: 0 1rem; line-height: 1.45; }
h1 { color: #003399; font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { color: #003399; font-size: 1.15rem; border-bottom: 1px solid #c9d1e0; margin-top: 2rem; }
.summary { color: #5a6478; }
.remark { border: 1px solid #c9d1e0; border-left: 4px solid #003399; border-radius: 4px;
  padding: 0.6rem 0.9rem; margin: 0.8rem 0; }
.remark.insertion { border-left-color: #1a7f37; } .remark.deletion { border-left-color: #a4161a; }
.remark.unplaced { border-left-color: #9a6700; background: #fff8e1; }
.head { display: flex; gap: 1rem; flex-wrap: wrap; font-size: 0.9rem; color: #5a6478; }
.where { font-family: "Liberation Mono", monospace; font-weight: 700; color: #1d2433; }
.kind { text-transform: uppercase; font-size: 0.75rem; letter-spacing: 0.05em; font-weight: 700; }
blockquote { margin: 0.4rem 0; padding: 0.2rem 0.8rem; border-left: 3px solid #c9d1e0;
  color: #5a6478; font-style: italic; }
.comment { margin: 0.3rem 0; white-space: pre-wrap; }
.suggestion { font-family: "Liberation Mono", monospace; font-size: 0.9rem;
  background: #e8edf7; padding: 0.1rem 0.4rem; border-radius: 3px; }
.figure { font-size: 0.85rem; color: #003399; }
"""


@dataclass(frozen=True)
class CommentsRun:
    """What ``ktreport comments`` found and wrote."""

    remarks: list[Remark]
    html: Path
    json: Path

    @property
    def unplaced(self) -> list[Remark]:
        return [r for r in self.remarks if r.chapter is None]

    def summary_line(self) -> str:
        kinds = {
            k: sum(r.kind == k for r in self.remarks) for k in ("comment", "insertion", "deletion")
        }
        return (
            f"{kinds['comment']} comments, {kinds['insertion']} insertions, "
            f"{kinds['deletion']} deletions; {len(self.remarks) - len(self.unplaced)} placed at "
            f"their chapter line, {len(self.unplaced)} not placed."
        )


def _remark_html(remark: Remark) -> str:
    e = html.escape
    classes = f"remark {remark.kind}" + (" unplaced" if remark.chapter is None else "")
    head = (
        f'<div class="head"><span class="where">{e(remark.where)}</span>'
        f'<span class="kind">{e(remark.kind)}</span>'
        f"<span>{e(remark.author or 'unknown reviewer')}</span>"
        f"<span>{e(remark.date[:16].replace('T', ' '))}</span>"
        + (f"<span>placed by {e(remark.placed)}</span>" if remark.placed == "text" else "")
        + "</div>"
    )
    quoted = remark.quoted if remark.kind == "comment" else remark.paragraph
    parts = [head]
    if quoted.strip():
        parts.append(f"<blockquote>{e(quoted.strip())}</blockquote>")
    if remark.kind == "comment":
        parts.append(f'<p class="comment">{e(remark.text)}</p>')
    else:
        parts.append(
            f'<p>Suggested edit: <span class="suggestion">{e(remark.suggestion)}</span></p>'
        )
    if remark.key_figure:
        parts.append(
            f'<p class="figure">On the key figure <code>kf.{e(remark.key_figure)}</code></p>'
        )
    return f'<div class="{classes}">' + "".join(parts) + "</div>"


def comments_html(remarks: Sequence[Remark], reviewed: str) -> str:
    """The page: one section per chapter (in order), remarks by line, the unplaced last."""
    chapters = sorted({r.chapter for r in remarks if r.chapter})
    body = [
        f'<h1>Review comments</h1><p class="summary">From {html.escape(reviewed)}: '
        f"{len(remarks)} remarks; each names its chapter template and line.</p>"
    ]
    for chapter in chapters:
        body.append(f"<h2>report/chapters/{html.escape(chapter)}</h2>")
        ordered = sorted((r for r in remarks if r.chapter == chapter), key=lambda r: r.line or 0)
        body.extend(_remark_html(r) for r in ordered)
    unplaced = [r for r in remarks if r.chapter is None]
    if unplaced:
        body.append("<h2>Not placed (no bookmark, and no paragraph of the report like it)</h2>")
        body.extend(_remark_html(r) for r in unplaced)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Review comments</title>"
        f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>\n"
    )


def _key_figure_names(path: Path) -> list[str]:
    try:
        return list(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return []


def collect_comments(
    reviewed: Path,
    root: Path,
    *,
    out: Path | None = None,
    reference: Path | None = None,
) -> CommentsRun:
    """Read ``reviewed``, place every remark, write comments.html and comments.json into
    ``out`` (default: beside the reviewed file). ``reference`` is the unreviewed copy, for
    placing by text (default: the published review copy)."""
    reviewed, root = Path(reviewed), Path(root)
    if not reviewed.is_file():
        raise ReviewProblem(f"{reviewed} does not exist")
    remarks, _ = read_remarks(reviewed)
    if reference is None:
        published = root / OUTPUT / REPORT_DOCX.name
        reference = published if published.is_file() else root / REPORT_DOCX
    reference_paragraphs = read_remarks(reference)[1] if Path(reference).is_file() else []
    place(
        remarks,
        root / CHAPTER_TEMPLATES_DIR,
        reference_paragraphs,
        _key_figure_names(root / KEY_FIGURES),
    )
    out = Path(out) if out else reviewed.parent
    out.mkdir(parents=True, exist_ok=True)
    html_path, json_path = out / COMMENTS_HTML_FILE, out / COMMENTS_JSON_FILE
    html_path.write_text(comments_html(remarks, reviewed.name), encoding="utf-8")
    json_path.write_text(
        json.dumps([r.as_json() for r in remarks], indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return CommentsRun(remarks, html_path, json_path)
