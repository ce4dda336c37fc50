"""Stage 4a, the front matter: what the cover, the imprint page and the HTML footer say
about the deliverable (funding, dissemination level, dates, people, history, draft or
release), from config.yaml (``report``) and the build's provenance.

``front_matter`` gives the pandoc template's variables (``report/templates/report.html``);
they are plain text, Markdown-escaped by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

DISSEMINATION_LEVELS = {
    "PU": "Public",
    "SEN": "Sensitive, limited under the conditions of the grant agreement",
    "R-UE/EU-R": "EU restricted (EU classified information)",
    "C-UE/EU-C": "EU confidential (EU classified information)",
    "S-UE/EU-S": "EU secret (EU classified information)",
}
STATEMENT = "Co-funded by the European Union"
DISCLAIMER = (
    "Funded by the European Union. Views and opinions expressed are however those of the "
    "author(s) only and do not necessarily reflect those of the European Union or the "
    "European Education and Culture Executive Agency (EACEA). Neither the European Union "
    "nor EACEA can be held responsible for them."
)
DRAFT_CHANGE = "Draft for the consortium's review, not for circulation"


def long_date(iso: str) -> str:
    """``2025-06-30`` → ``30 June 2025`` (house style); empty stays empty."""
    if not iso:
        return ""
    day = date.fromisoformat(str(iso))
    return f"{day.day} {day:%B %Y}"


def running_version(version: str, draft: bool) -> str:
    """The running head's version: ``Version v1.0``; a draft's ``DRAFT · v0.3 + 4 commits
    (abc1234)`` (``draft of`` is said by the word DRAFT; a bare commit loses its brackets)."""
    if not draft:
        return f"Version {version}"
    rest = re.sub(r"^draft( of)? ", "", version)
    rest = re.sub(r"^\((\w+)\)", r"\1", rest)
    return f"DRAFT · {rest}"


def _people(entries: Any) -> list[dict[str, str]]:
    return [
        {
            "name": str(entry.get("name", "")),
            "organisation": str(entry.get("organisation", "")),
            "role": str(entry.get("role", "")),
        }
        for entry in entries or []
    ]


def history(report: Mapping[str, Any], build: Mapping[str, Any]) -> list[dict[str, str]]:
    """The document history: the versions of config.yaml, then the release tags not listed
    there, by date; a draft ends with its own line."""
    rows = [
        {
            "version": str(entry.get("version", "")),
            "date": str(entry.get("date", "")),
            "author": str(entry.get("author", "")),
            "change": str(entry.get("change", "")),
        }
        for entry in report.get("history", []) or []
    ]
    listed = {row["version"] for row in rows}
    rows += [dict(tag) for tag in build.get("release_tags", []) if tag["version"] not in listed]
    rows.sort(key=lambda row: row["date"])
    if not build.get("release", False):
        rows.append(
            {
                "version": str(build.get("version", "")),
                "date": str(build.get("date", "")),
                "author": "",
                "change": DRAFT_CHANGE,
            }
        )
    for row in rows:
        row["date-long"] = long_date(row["date"])
    return rows


def front_matter(config: Mapping[str, Any], build: Mapping[str, Any]) -> dict[str, Any]:
    """The template's variables for the cover, the imprint and the footer."""
    report = config.get("report", {})
    funding = report.get("funding", {}) or {}
    level = str(report.get("dissemination_level", "PU"))
    draft = not build.get("release", False)
    version = str(build.get("version", report.get("version", "")))
    return {
        "draft": draft,
        "running-version": running_version(version, draft),
        "funding-statement": funding.get("statement", STATEMENT),
        "funding-programme": funding.get("programme", "Erasmus+"),
        "funding-action": funding.get("action", ""),
        "grant-agreement": funding.get("grant_agreement", ""),
        "disclaimer": " ".join(str(funding.get("disclaimer", DISCLAIMER)).split()),
        "dissemination-level": level,
        "dissemination-label": DISSEMINATION_LEVELS.get(level, level),
        "due-date": long_date(report.get("due_date", "")),
        "submission-date": long_date(report.get("submission_date", "")),
        "contributors": _people(report.get("contributors")),
        "reviewers": _people(report.get("reviewers")),
        "document-history": history(report, build),  # Quarto reserves "history"
    }
