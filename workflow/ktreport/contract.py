"""Stage 0, the data contract: every partner table, column, type and allowed value, declared once.

The validator (pandera schemas built in ``validate``), the data dictionary
(``docs/data-dictionary.md``) and the partner spreadsheet templates are all generated
from the declarations below, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# The kinds of column the readers and the validator understand.
#   text      free text (trimmed, Unicode-normalised)
#   id        text identifier, unique across all partners for the table's id column
#   enum      one of ``allowed`` (matched ignoring case, spaces, "-" and "_"; ``aliases`` too)
#   multi     ``;``-separated values, each one of ``allowed`` (``aliases`` too)
#   skills    ``;``-separated skills, matched against the skills taxonomy
#   skill     exactly one skill of the taxonomy
#   country   a country name, short/local form or ISO alpha-2/alpha-3 -> ISO alpha-2
#   number    a decimal number (decimal comma accepted) within [minimum, maximum]
#   integer   a whole number within [minimum, maximum]
#   date      ISO, dd/mm/yyyy, dd.mm.yyyy or a spreadsheet date cell
#   boolean   yes/no/y/n/true/false/1/0/x, blank -> ``default``
#   url       an http(s) URL
#   personal  personal data: allowed in raw files, dropped at cleaning, never in any output
Kind = Literal[
    "text",
    "id",
    "enum",
    "multi",
    "skills",
    "skill",
    "country",
    "number",
    "integer",
    "date",
    "boolean",
    "url",
    "personal",
]

YES_VALUES = ("yes", "y", "true", "1", "x")
NO_VALUES = ("no", "n", "false", "0")


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool
    description: str
    allowed: tuple[str, ...] = ()
    # Accepted spellings (already normalised: lower case, single spaces) -> canonical value.
    aliases: dict[str, str] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    # True: the value must be greater than ``minimum`` (a duration of 0 hours is no programme).
    minimum_exclusive: bool = False
    # Value used when the cell is blank (only for optional columns).
    default: str | bool | None = None
    example: str = ""

    @property
    def is_personal(self) -> bool:
        return self.kind == "personal"

    def allowed_text(self) -> str:
        """The allowed values as a partner reads them in a message or a template comment."""
        if self.kind == "boolean":
            return "yes or no"
        if self.allowed:
            return ", ".join(self.allowed)
        if self.kind in ("number", "integer") and self.minimum is not None:
            what = "a whole number" if self.kind == "integer" else "a number"
            if self.maximum is None:
                lower = "greater than" if self.minimum_exclusive else "of at least"
                return f"{what} {lower} {self.minimum:g}"
            lower = "above" if self.minimum_exclusive else "from"
            return f"{what} {lower} {self.minimum:g} to {self.maximum:g}"
        return ""


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    # The column that identifies a row across all partners (None: no single id).
    id_column: str | None
    optional: bool = False

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def personal_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.is_personal)


PROVIDER_TYPES = (
    "university",
    "kt_association",
    "public_agency",
    "private_company",
    "international_organisation",
)
DELIVERY_MODES = ("online", "in_person", "blended")
AUDIENCES = ("kt_professionals", "researchers", "mixed")
RESPONDENT_GROUPS = ("hei_kt_professional", "business_kt_professional", "kt_expert", "other")
GENDERS = ("female", "male", "non_binary", "undisclosed")
TRAINING_FORMATS = (
    "workshops",
    "mentoring",
    "peer_learning",
    "case_studies",
    "role_play",
    "online_courses",
    "job_shadowing",
    "coaching",
)
SKILL_DIMENSIONS = ("possessed", "required", "desirable")
REGIONS = ("Europe", "Americas", "Asia", "Africa", "Oceania")

# Human labels for enumerated values, used in the report, figures and templates.
LABELS: dict[str, str] = {
    "university": "University",
    "kt_association": "KT association",
    "public_agency": "Public agency",
    "private_company": "Private company",
    "international_organisation": "International organisation",
    "online": "Online",
    "in_person": "In person",
    "blended": "Blended",
    "kt_professionals": "KT professionals",
    "researchers": "Researchers",
    "mixed": "Mixed audience",
    "hei_kt_professional": "KT professionals in higher education",
    "business_kt_professional": "KT professionals in business",
    "kt_expert": "KT experts",
    "other": "Other stakeholders",
    "female": "Female",
    "male": "Male",
    "non_binary": "Non-binary",
    "undisclosed": "Undisclosed",
    "workshops": "Workshops",
    "mentoring": "Mentoring",
    "peer_learning": "Peer learning",
    "case_studies": "Case studies",
    "role_play": "Role play",
    "online_courses": "Online courses",
    "job_shadowing": "Job shadowing",
    "coaching": "Coaching",
    "possessed": "Possessed",
    "required": "Required",
    "desirable": "Desirable",
}


def label(value: str) -> str:
    """The human label of an enumerated value (the value itself when it has none)."""
    return LABELS.get(value, value)


CASE_STUDIES = Table(
    name="case_studies",
    description="One row per training programme studied as a case study.",
    id_column="case_id",
    columns=(
        Column(
            "case_id",
            "id",
            True,
            "Identifier of the case study, unique across all partners.",
            example="UNIBO-C01",
        ),
        Column(
            "programme",
            "text",
            True,
            "Name of the training programme.",
            example="Fundamentals of Technology Transfer",
        ),
        Column("provider", "text", True, "Who offers the programme.", example="PraxisAuril"),
        Column(
            "provider_type",
            "enum",
            True,
            "Kind of organisation offering the programme.",
            allowed=PROVIDER_TYPES,
            aliases={
                "uni": "university",
                "higher education institution": "university",
                "hei": "university",
                "association": "kt_association",
                "agency": "public_agency",
                "company": "private_company",
                "private": "private_company",
                "international organization": "international_organisation",
            },
            example="kt_association",
        ),
        Column(
            "country",
            "country",
            True,
            "Country where the programme is based: an English or common local name "
            "('UK', 'Czech Republic', 'Deutschland') or an ISO code; stored as ISO alpha-2.",
            example="GB",
        ),
        Column(
            "delivery_mode",
            "enum",
            True,
            "How the programme is delivered.",
            allowed=DELIVERY_MODES,
            aliases={
                "in person": "in_person",
                "inperson": "in_person",
                "face to face": "in_person",
                "f2f": "in_person",
                "classroom": "in_person",
                "hybrid": "blended",
                "e-learning": "online",
                "elearning": "online",
                "distance": "online",
            },
            example="in_person",
        ),
        Column(
            "duration_hours",
            "number",
            False,
            "Total duration of the programme in hours (decimal comma accepted).",
            minimum=0,
            minimum_exclusive=True,
            example="21",
        ),
        Column(
            "audience",
            "enum",
            True,
            "Who the programme is for.",
            allowed=AUDIENCES,
            aliases={
                "kt professionals": "kt_professionals",
                "kt professional": "kt_professionals",
                "researcher": "researchers",
                "both": "mixed",
            },
            example="kt_professionals",
        ),
        Column(
            "certification",
            "boolean",
            False,
            "Does the programme lead to a certificate or certification?",
            example="yes",
        ),
        Column(
            "skills",
            "skills",
            True,
            "Skills the programme trains, separated by ';' (skill id, label or synonym "
            "from the skills taxonomy).",
            example="negotiation; licensing; IP management",
        ),
        Column(
            "best_practice",
            "boolean",
            False,
            "Was the programme selected as a best practice?",
            default=False,
            example="no",
        ),
        Column("url", "url", False, "Web page of the programme (http or https).", example=""),
        Column("notes", "text", False, "Free notes of the partner.", example=""),
    ),
)

INTERVIEWS = Table(
    name="interviews",
    description="One row per coded in-depth interview with a KT professional or expert.",
    id_column="interview_id",
    columns=(
        Column(
            "interview_id",
            "id",
            True,
            "Identifier of the interview, unique across all partners.",
            example="UNIBO-I01",
        ),
        Column(
            "respondent_group",
            "enum",
            True,
            "Group of the interviewee.",
            allowed=RESPONDENT_GROUPS,
            aliases={
                "hei": "hei_kt_professional",
                "hei kt professional": "hei_kt_professional",
                "university": "hei_kt_professional",
                "business": "business_kt_professional",
                "business kt professional": "business_kt_professional",
                "industry": "business_kt_professional",
                "expert": "kt_expert",
                "kt expert": "kt_expert",
            },
            example="hei_kt_professional",
        ),
        Column(
            "country",
            "country",
            True,
            "Country where the interviewee works (name or ISO code; stored as ISO alpha-2).",
            example="IT",
        ),
        Column(
            "interview_date",
            "date",
            False,
            "Date of the interview: 2023-03-31, 31/03/2023, 31.03.2023 or a date cell.",
            example="2023-03-31",
        ),
        Column(
            "years_experience",
            "integer",
            False,
            "Years of experience in knowledge transfer.",
            minimum=0,
            maximum=60,
            example="8",
        ),
        Column(
            "gender",
            "enum",
            False,
            "Gender of the interviewee.",
            allowed=GENDERS,
            aliases={
                "f": "female",
                "woman": "female",
                "m": "male",
                "man": "male",
                "non binary": "non_binary",
                "nonbinary": "non_binary",
                "prefer not to say": "undisclosed",
            },
            example="female",
        ),
        Column(
            "skills_possessed",
            "skills",
            False,
            "Skills the interviewee says they have, separated by ';'.",
            example="communication; networking",
        ),
        Column(
            "skills_required",
            "skills",
            False,
            "Skills the interviewee says the job requires, separated by ';'.",
            example="negotiation; conflict resolution",
        ),
        Column(
            "skills_desirable",
            "skills",
            False,
            "Skills that training should add, separated by ';'.",
            example="alliance building",
        ),
        Column(
            "preferred_formats",
            "multi",
            False,
            "Preferred training formats, separated by ';'.",
            allowed=TRAINING_FORMATS,
            aliases={
                "workshop": "workshops",
                "peer learning": "peer_learning",
                "case study": "case_studies",
                "case studies": "case_studies",
                "role play": "role_play",
                "roleplay": "role_play",
                "online course": "online_courses",
                "online courses": "online_courses",
                "e-learning": "online_courses",
                "job shadowing": "job_shadowing",
                "shadowing": "job_shadowing",
            },
            example="workshops; mentoring",
        ),
        Column(
            "quote",
            "text",
            False,
            "An illustrative quote from the interview (used only with consent).",
            example="",
        ),
        Column(
            "consent_to_quote",
            "boolean",
            False,
            "Did the interviewee consent to being quoted (anonymously)?",
            default=False,
            example="yes",
        ),
        Column("name", "personal", False, "Interviewee's name (never leaves the raw file)."),
        Column("email", "personal", False, "Interviewee's e-mail (never leaves the raw file)."),
        Column(
            "organisation",
            "personal",
            False,
            "Interviewee's organisation (never leaves the raw file).",
        ),
        Column("phone", "personal", False, "Interviewee's phone (never leaves the raw file)."),
    ),
)

RATINGS = Table(
    name="ratings",
    description="Optional: importance and proficiency ratings of skills, one row per "
    "interview and skill (long format).",
    id_column=None,
    optional=True,
    columns=(
        Column(
            "interview_id",
            "id",
            True,
            "An interview_id of the interviews table.",
            example="UNIBO-I01",
        ),
        Column("skill", "skill", True, "One skill of the taxonomy.", example="negotiation"),
        Column(
            "importance",
            "integer",
            True,
            "How important the skill is for the job, 1 (not at all) to 5 (essential).",
            minimum=1,
            maximum=5,
            example="5",
        ),
        Column(
            "proficiency",
            "integer",
            True,
            "How proficient the interviewee is, 1 (not at all) to 5 (expert).",
            minimum=1,
            maximum=5,
            example="3",
        ),
    ),
)

# Partner tables, in pipeline order; each lives in data/raw/<name>/<partner_id>.<ext>.
PARTNER_TABLES: dict[str, Table] = {t.name: t for t in (CASE_STUDIES, INTERVIEWS, RATINGS)}

# Reference tables maintained by the consortium (one file each in data/raw/).
PARTNERS_COLUMNS = ("partner_id", "name", "country")
TAXONOMY_COLUMNS = ("skill_id", "label", "category", "cluster", "framework", "synonyms")
SKILL_CATEGORIES = ("soft", "hard")

RAW_EXTENSIONS = (".csv", ".xlsx", ".ods")

# The tidy tables that cleaning writes to data/processed/ (one CSV each, UTF-8, "\n",
# rows sorted by the key columns, columns in this order). Everything downstream reads these.
PROCESSED_TABLES: dict[str, tuple[str, ...]] = {
    "partners": ("partner_id", "name", "country"),
    "skills": ("skill_id", "label", "category", "cluster", "framework"),
    "case_studies": (
        "case_id",
        "partner_id",
        "programme",
        "provider",
        "provider_type",
        "country",
        "country_name",
        "region",
        "delivery_mode",
        "duration_hours",
        "duration_class",
        "audience",
        "certification",
        "best_practice",
        "url",
        "notes",
    ),
    "case_study_skills": ("case_id", "skill_id"),
    "interviews": (
        "interview_id",
        "partner_id",
        "respondent_group",
        "country",
        "country_name",
        "region",
        "interview_date",
        "years_experience",
        "gender",
        "has_quote",
        "consent_to_quote",
    ),
    "interview_skills": ("interview_id", "skill_id", "dimension"),
    "preferred_formats": ("interview_id", "format"),
    "ratings": ("interview_id", "skill_id", "importance", "proficiency"),
    "quotes": ("interview_id", "respondent_group", "country", "quote"),
}
# Sort keys of each processed table (deterministic row order).
PROCESSED_KEYS: dict[str, tuple[str, ...]] = {
    "partners": ("partner_id",),
    "skills": ("skill_id",),
    "case_studies": ("case_id",),
    "case_study_skills": ("case_id", "skill_id"),
    "interviews": ("interview_id",),
    "interview_skills": ("interview_id", "dimension", "skill_id"),
    "preferred_formats": ("interview_id", "format"),
    "ratings": ("interview_id", "skill_id"),
    "quotes": ("interview_id",),
}
# Duration classes of programmes (hours, upper bound inclusive) for the sample composition.
DURATION_CLASSES: tuple[tuple[str, float], ...] = (
    ("up to 1 day (≤ 8 h)", 8),
    ("2–5 days (9–40 h)", 40),
    ("1–3 weeks (41–120 h)", 120),
    ("longer (> 120 h)", float("inf")),
)
DURATION_UNKNOWN = "not stated"
