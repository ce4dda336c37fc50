"""Partner spreadsheet templates, their inputs: the consortium's partners and the skills taxonomy.

Read from ``partners.csv`` and ``skills_taxonomy.csv`` with messages for people (a missing
file or column, an unknown partner id with a suggestion), and where a template may be
written (never into the raw data folder unless the user names the file).
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ktreport.contract import TAXONOMY_COLUMNS
from ktreport.core.errors import KtreportError
from ktreport.ingest.taxonomy import Skill

__all__ = ["Partner", "Skill", "TemplateError", "default_output", "find_partner", "read_partners"]


class TemplateError(KtreportError, ValueError):
    """A template cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class Partner:
    partner_id: str
    name: str
    country: str


# ---------------------------------------------------------------------------- reference data
def read_partners(partners_path: Path) -> list[Partner]:
    """The consortium's partners (``partners.csv``: partner_id, name, country)."""
    rows = _read_csv(partners_path, ("partner_id", "name", "country"))
    return [Partner(r["partner_id"], r["name"], r["country"]) for r in rows if r["partner_id"]]


def read_skills(taxonomy_path: Path) -> list[Skill]:
    """The skills of the taxonomy CSV, in file order (the taxonomy's own grouping)."""
    rows = _read_csv(taxonomy_path, TAXONOMY_COLUMNS)
    return [
        Skill(
            r["skill_id"],
            r["label"],
            r["category"],
            r["cluster"],
            r["framework"],
            tuple(s.strip() for s in r["synonyms"].split(";") if s.strip()),
        )
        for r in rows
        if r["skill_id"]
    ]


def _read_csv(path: Path, columns: Sequence[str]) -> list[dict[str, str]]:
    path = Path(path)
    if not path.is_file():
        raise TemplateError(f"{path}: file not found. Run the command from the project folder.")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            raise TemplateError(
                f"{path}: column(s) {', '.join(missing)} missing in the header row; "
                f"expected {', '.join(columns)}."
            )
        return [{c: (row.get(c) or "").strip() for c in columns} for row in reader]


def find_partner(partner_id: str, partners: Sequence[Partner]) -> Partner:
    """The partner with this id (case does not matter); unknown ids get a suggestion."""
    by_id = {p.partner_id.casefold(): p for p in partners}
    found = by_id.get(partner_id.strip().casefold())
    if found is not None:
        return found
    known = sorted(p.partner_id for p in partners)
    close = difflib.get_close_matches(partner_id.upper(), [k.upper() for k in known], n=1)
    suggestion = ""
    if close:
        suggestion = f"Did you mean {next(k for k in known if k.upper() == close[0])}? "
    raise TemplateError(
        f"Unknown partner id '{partner_id}'. {suggestion}"
        f"Known partner ids: {', '.join(known)} (from partners.csv)."
    )


def default_output(partner_id: str, directory: Path, raw_dir: Path) -> Path:
    """``<PARTNER_ID>_template.xlsx`` in ``directory``, refused inside ``raw_dir``.

    The raw data folder is only ever written when the user names a file there explicitly.
    """
    out = Path(directory) / f"{partner_id}_template.xlsx"
    raw = Path(raw_dir).resolve()
    target = out.resolve()
    if target == raw or raw in target.parents:
        raise TemplateError(
            f"Not writing the template into the raw data folder {raw}: run the command "
            "from another folder, or name the file with --out if you really want it there."
        )
    return out
