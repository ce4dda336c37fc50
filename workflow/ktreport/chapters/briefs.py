"""Stage 4a, the briefs' text: a brief's templates (``report/briefs/*.md.j2``) filled from its
slice and the whole sample's (``aggregate.briefs``), in the chapters' one environment.

The templates see what the chapters see (filters, ``figure()``, ``kf``), where ``kf`` holds
the brief's own key figures and ``sample`` the whole sample's; both are protected already,
and a suppressed figure prints as "fewer than 5" (``value`` is then none). Besides:
``unit`` (kind, id, name, n_interviews), ``programmes``, ``briefs`` and ``too_small`` (the
units with and without a brief), ``min_cell``.

The render context is the report's with the brief's title, no deliverable number of its
own and a data fingerprint over the brief's own data, so the report's renderer makes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ktreport.aggregate.disclosure import fewer_than
from ktreport.chapters.context import dump_context
from ktreport.chapters.keyfigures import KeyFigure, NamedMapping
from ktreport.chapters.write import write_chapters
from ktreport.contract import RESPONDENT_GROUPS, label
from ktreport.figures.briefs import skill_rows, top_rows

__all__ = ["brief_context", "dump_context", "write_brief"]


@dataclass(frozen=True, eq=False)
class SuppressedFigure(KeyFigure):
    """A key figure withheld by small-cell protection: prints as "fewer than 5"."""

    min_cell: int = 5

    def formatted(self) -> str:
        return fewer_than(self.min_cell)

    def tooltip(self) -> str:
        return (
            f"{self.name} — {self.definition} (withheld: {fewer_than(self.min_cell)} respondents)"
        )


def figures_of(records: Mapping[str, Mapping[str, Any]], min_cell: int) -> dict[str, KeyFigure]:
    """Protected key-figure records -> what templates print."""
    out: dict[str, KeyFigure] = {}
    for name, record in sorted(records.items()):
        fields = {
            "name": name,
            "value": record.get("value"),
            "definition": str(record.get("definition") or ""),
            "n": record.get("n"),
            "denominator": record.get("denominator"),
            "unit": str(record.get("unit") or ""),
        }
        if record.get("suppressed"):
            out[name] = SuppressedFigure(**fields, min_cell=int(min_cell))
        else:
            out[name] = KeyFigure(**fields)
    return out


def fingerprint(*texts: str) -> str:
    """The first 12 hex digits of the SHA-256 over a brief's data files' texts."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()[:12]


def brief_title(unit: Mapping[str, Any]) -> str:
    kind = "Country brief" if unit["kind"] == "countries" else "Partner brief"
    return f"{kind}: {unit['name']}"


def brief_config(config: Mapping[str, Any], unit: Mapping[str, Any]) -> dict[str, Any]:
    """The report's config with the brief's title and subtitle."""
    report = dict(config.get("report", {}))
    deliverable = report.get("deliverable", "")
    source = report.get("title", "the report")
    article = "" if source.lower().startswith("the ") else "the "
    report["subtitle"] = (
        f"Skills of knowledge-transfer professionals: a brief accompanying {article}{source}"
        + (f", deliverable {deliverable}" if deliverable else "")
    )
    report["title"] = brief_title(unit)
    report["deliverable"] = ""
    return {**dict(config), "report": report}


def _present(figure: KeyFigure) -> bool:
    """A count that is positive, or withheld (then it is not zero either)."""
    return figure.value is None or figure.value > 0


def _count_of_share(count: KeyFigure, share: KeyFigure) -> KeyFigure:
    """A group's count is its share's n: withheld when the share is."""
    if isinstance(share, SuppressedFigure) and not isinstance(count, SuppressedFigure):
        fields = {k: getattr(count, k) for k in ("name", "definition", "n", "denominator", "unit")}
        return SuppressedFigure(**{**fields, "value": None}, min_cell=share.min_cell)
    return count


def group_rows(kf: Mapping[str, KeyFigure], sample: Mapping[str, KeyFigure]) -> list[dict]:
    """The respondent groups with interviewees: id, label, number and share, in the brief
    and in the whole sample (key figures)."""
    return [
        {
            "id": group,
            "group": label(group),
            "unit": _count_of_share(kf[f"n_group_{group}"], kf[f"share_group_{group}"]),
            "share": kf[f"share_group_{group}"],
            "sample": _count_of_share(sample[f"n_group_{group}"], sample[f"share_group_{group}"]),
            "sample_share": sample[f"share_group_{group}"],
        }
        for group in RESPONDENT_GROUPS
        if f"n_group_{group}" in kf and _present(kf[f"n_group_{group}"])
    ]


def brief_context(
    *,
    unit_path: Path,
    sample_path: Path,
    config: Mapping[str, Any],
    build: Mapping[str, Any],
    figures_manifest: Path,
) -> dict[str, Any]:
    """What a brief's templates see (see the module's text)."""
    unit_text = Path(unit_path).read_text(encoding="utf-8")
    sample_text = Path(sample_path).read_text(encoding="utf-8")
    own, sample = json.loads(unit_text), json.loads(sample_text)
    min_cell = int(own["min_cell"])
    manifest = json.loads(Path(figures_manifest).read_text(encoding="utf-8"))
    skills = {skill_id: s["label"] for skill_id, s in sample["skills"].items()}
    kf = figures_of(own["key_figures"], min_cell)
    sample_kf = figures_of(sample["key_figures"], min_cell)
    required = top_rows(skill_rows(own, sample, "required"))
    for row in required:
        row["above"] = row["sample"] is not None and row["unit"] > row["sample"]
    return {
        "brief": True,
        "unit": dict(own["unit"]),
        "kf": kf,
        "group_rows": group_rows(kf, sample_kf),
        "required_rows": required,
        "gap_rows": top_rows(skill_rows(own, sample, "gap")),
        "sample": NamedMapping("sample", sample_kf),
        "programmes": list(own["programmes"]),
        "briefs": list(sample["briefs"]),
        "too_small": list(sample["too_small"]),
        "min_cell": min_cell,
        "fewer_than": fewer_than(min_cell),
        "figures": {entry["id"]: dict(entry) for entry in manifest},
        "skills": skills,
        "tables": {},
        "data": {},
        "config": brief_config(config, own["unit"]),
        "build": {**dict(build), "data_fingerprint": fingerprint(unit_text, sample_text)},
    }


def write_brief(
    templates_dir: Path, context: Mapping[str, Any], out_dir: Path, shown_dir: str
) -> list[Path]:
    """The brief's ``.qmd`` chapters, one per template (errors name template and line)."""
    return write_chapters(Path(templates_dir), context, Path(out_dir), shown_dir=shown_dir)
