"""Stage 1, the reference tables: ``partners.csv`` and ``skills_taxonomy.csv``, read once.

Every partner file is checked against them (partner ids, countries, skills); their own
problems are reported once, with the run's other problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ktreport.contract import PARTNERS_COLUMNS
from ktreport.core.problems import Problem
from ktreport.ingest import countries
from ktreport.ingest.readers import read_table
from ktreport.ingest.results import display_path
from ktreport.ingest.taxonomy import Taxonomy, load_taxonomy


@dataclass
class References:
    """The consortium's reference tables: partners and the skills taxonomy."""

    partners: dict[str, dict[str, str]]  # partner_id -> {"name": ..., "country": alpha-2}
    taxonomy: Taxonomy
    problems: list[Problem]

    @property
    def taxonomy_usable(self) -> bool:
        return len(self.taxonomy) > 0


def load_references(
    partners_path: Path, taxonomy_path: Path, root: Path | None = None
) -> References:
    """Read ``partners.csv`` and ``skills_taxonomy.csv``; their problems come along."""
    taxonomy, problems = load_taxonomy(taxonomy_path, display_path(taxonomy_path, root))
    partners, partner_problems = load_partners(partners_path, root)
    return References(partners=partners, taxonomy=taxonomy, problems=problems + partner_problems)


def load_partners(
    path: Path, root: Path | None = None
) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    display = display_path(path, root)
    table = read_table(path, display, PARTNERS_COLUMNS, PARTNERS_COLUMNS)
    problems = list(table.problems)
    partners: dict[str, dict[str, str]] = {}
    if table.header_row is not None:
        for name in PARTNERS_COLUMNS:
            if name not in table.headers:
                problems.append(
                    Problem(display, table.header_row, name, f"the column '{name}' is missing")
                )
    for row in table.rows:
        partner_id = row.cells.get("partner_id", "")
        if not partner_id:
            problems.append(Problem(display, row.number, "partner_id", "the partner_id is empty"))
            continue
        if partner_id in partners:
            problems.append(
                Problem(display, row.number, "partner_id", f"'{partner_id}' appears twice")
            )
            continue
        country_text = row.cells.get("country", "")
        country = countries.lookup(country_text) if country_text else None
        if country is None:
            problems.append(
                Problem(
                    display,
                    row.number,
                    "country",
                    f"'{country_text}' is not a country name or ISO code",
                    value=country_text,
                )
            )
        partners[partner_id] = {
            "name": row.cells.get("name", ""),
            "country": country.alpha_2 if country else "",
        }
    return partners, problems
