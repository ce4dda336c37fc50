"""Stage 1, the skills taxonomy: read ``skills_taxonomy.csv`` and match what partners write.

A skill matches by its ``skill_id``, its label or one of its synonyms, ignoring case, accents,
spaces and punctuation ("Conflict-resolution", "conflict resolution", "CONFLICT_RESOLUTION").
An unknown skill gets the closest known labels as a suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ktreport.contract import SKILL_CATEGORIES, TAXONOMY_COLUMNS
from ktreport.core.problems import Problem
from ktreport.ingest import suggestions
from ktreport.ingest.readers import read_table
from ktreport.ingest.spelling import fold

TAXONOMY_REQUIRED = ("skill_id", "label", "category")


def skill_key(text: str) -> str:
    """What two spellings of one skill have in common: letters and digits, folded."""
    return fold(text).replace(" ", "")


@dataclass(frozen=True)
class Skill:
    skill_id: str
    label: str
    category: str
    cluster: str
    framework: str
    synonyms: tuple[str, ...] = ()


@dataclass
class Taxonomy:
    skills: dict[str, Skill] = field(default_factory=dict)  # skill_id -> Skill, file order
    _by_key: dict[str, str] = field(default_factory=dict)  # matching key -> skill_id
    # sorted(_by_key), for suggestions; rebuilt after ``add``.
    _sorted_keys: tuple[str, ...] | None = field(default=None, compare=False, repr=False)

    def add(self, skill: Skill) -> list[tuple[str, str]]:
        """Add ``skill``; return the (spelling, other skill_id) pairs that clash."""
        clashes = []
        self.skills[skill.skill_id] = skill
        self._sorted_keys = None
        for text in (skill.skill_id, skill.label, *skill.synonyms):
            key = skill_key(text)
            if not key:
                continue
            owner = self._by_key.setdefault(key, skill.skill_id)
            if owner != skill.skill_id:
                clashes.append((text, owner))
        return clashes

    def match(self, text: str) -> str | None:
        """The skill_id that ``text`` names, or None."""
        return self._by_key.get(skill_key(text))

    def label(self, skill_id: str) -> str:
        return self.skills[skill_id].label

    def suggest(self, text: str, n: int = 2) -> list[str]:
        """Labels of the skills whose spellings are closest to ``text``, best first."""
        if suggestions.is_suspended():  # the problem is only counted (ingest.capped)
            return []
        key = skill_key(text)
        if not key:
            return []
        if self._sorted_keys is None:
            self._sorted_keys = tuple(sorted(self._by_key))
        matches = suggestions.close_matches(key, self._sorted_keys, n * 4, 0.75)
        labels: list[str] = []
        for match in matches:
            label = self.skills[self._by_key[match]].label
            if label not in labels:
                labels.append(label)
        return labels[:n]

    def unknown(self, text: str) -> tuple[str, str]:
        """Message and hint for a skill that is not in the taxonomy."""
        message = f"'{text}' is not in the skills taxonomy"
        close = self.suggest(text)
        if close:
            hint = "did you mean " + " or ".join(f"'{s}'" for s in close) + "?"
        else:
            hint = (
                "use a skill_id, label or synonym of data/raw/skills_taxonomy.csv "
                "(listed in docs/data-dictionary.md), or ask the coordinator to add the skill"
            )
        return message, hint

    def __len__(self) -> int:
        return len(self.skills)


def load_taxonomy(path: Path, display: str) -> tuple[Taxonomy, list[Problem]]:
    """Read the taxonomy file; a row with a problem is left out, the problem returned."""
    table = read_table(path, display, TAXONOMY_COLUMNS, TAXONOMY_REQUIRED)
    problems = list(table.problems)
    taxonomy = Taxonomy()
    if table.header_row is not None:
        for name in TAXONOMY_REQUIRED:
            if name not in table.headers:
                problems.append(
                    Problem(display, table.header_row, name, f"the column '{name}' is missing")
                )
        if any(p.severity == "error" for p in problems):
            return taxonomy, problems
    for row in table.rows:
        cells = row.cells
        skill_id = cells.get("skill_id", "")
        if not skill_id or skill_id != skill_id.lower() or " " in skill_id:
            problems.append(
                Problem(
                    display,
                    row.number,
                    "skill_id",
                    f"'{skill_id}' is not a skill id",
                    "write the id in lower case with '_' between words, e.g. conflict_resolution",
                    value=skill_id,
                )
            )
            continue
        if skill_id in taxonomy.skills:
            problems.append(
                Problem(
                    display,
                    row.number,
                    "skill_id",
                    f"'{skill_id}' appears twice",
                    "keep one row per skill",
                    value=skill_id,
                )
            )
            continue
        if not cells.get("label"):
            problems.append(
                Problem(display, row.number, "label", "the label is missing", "write a label")
            )
            continue
        category = cells.get("category", "")
        if category not in SKILL_CATEGORIES:
            problems.append(
                Problem(
                    display,
                    row.number,
                    "category",
                    f"'{category}' is not one of {', '.join(SKILL_CATEGORIES)}",
                    value=category,
                )
            )
            continue
        synonyms = tuple(s.strip() for s in cells.get("synonyms", "").split(";") if s.strip())
        skill = Skill(
            skill_id=skill_id,
            label=cells["label"],
            category=category,
            cluster=cells.get("cluster", ""),
            framework=cells.get("framework", ""),
            synonyms=synonyms,
        )
        for text, owner in taxonomy.add(skill):
            problems.append(
                Problem(
                    display,
                    row.number,
                    "synonyms",
                    f"'{text}' already names the skill '{owner}'",
                    "a spelling can name one skill only: remove it from one of the two rows",
                    value=text,
                )
            )
    if table.header_row is not None and not taxonomy.skills and not problems:
        problems.append(Problem(display, None, None, "the taxonomy lists no skill"))
    return taxonomy, problems
