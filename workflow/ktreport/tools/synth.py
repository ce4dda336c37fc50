"""Outside the pipeline, its inputs: the curated SAMPLE data of ``data/raw/`` and synthetic sets.

``write_sample`` writes the sample the project ships: 30 case studies of real public KT
training programmes (values that are not public are plausible guesses) and 60 coded
interviews (24 KT professionals in higher education, 18 in business, 12 KT experts, 6 others)
with skill ratings for 30 of them, spread over the six partners in the file formats partners
really use, with the imperfections the contract accepts. The skill mentions tell the story the
report tells: training offers hard skills, interviewees require soft ones. Every personal value
is obviously fake.

``write_synthetic`` writes a dataset ``scale`` times that size over more partners and countries,
for performance tests. Both are deterministic: the same arguments give the same bytes (seeded
``random.Random``, spreadsheets with fixed document and zip-entry dates).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import re
import shutil
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ktreport.contract import (
    CASE_STUDIES,
    INTERVIEWS,
    PARTNER_TABLES,
    RATINGS,
    RAW_EXTENSIONS,
    RESPONDENT_GROUPS,
    TRAINING_FORMATS,
    Table,
)

PROJECT_RAW = Path(__file__).resolve().parents[3] / "data" / "raw"
SAMPLE_LABEL = "KT SoftSkills SAMPLE DATA"
SYNTHETIC_LABEL = "KT SoftSkills SYNTHETIC DATA"
SAMPLE_SEED = 2023
# Workbook properties and zip entries carry this date, so that files do not change by the day.
FIXED_DATETIME = dt.datetime(2023, 1, 1, 0, 0, 0)
# The interviews took place in the first half of 2023.
FIRST_INTERVIEW_DAY = dt.date(2023, 2, 1)
LAST_INTERVIEW_DAY = dt.date(2023, 6, 30)

HEI, BUSINESS, EXPERT, OTHER = RESPONDENT_GROUPS
# Interviewees per group in the sample (the published composition of the study).
GROUP_SIZES = {HEI: 24, BUSINESS: 18, EXPERT: 12, OTHER: 6}


# --------------------------------------------------------------------------- partner files


@dataclass(frozen=True)
class FileStyle:
    """How one partner keeps its files: format, spellings and habits."""

    ext: str  # .csv, .xlsx or .ods
    tables: tuple[str, ...]  # the partner tables this partner keeps
    delimiter: str = ","
    bom: bool = False
    crlf: bool = False
    decimal_comma: bool = False
    spaced_headers: bool = False  # "Case ID" rather than "case_id"
    personal_first: bool = False  # contact columns on the left
    # strftime format of dates typed as text; None: real date cells (spreadsheets only).
    date_format: str | None = "%Y-%m-%d"
    # Spreadsheets: every n-th row has its date and years typed as text (0: never).
    text_cells_every: int = 0
    yes: str = "yes"
    no: str = "no"
    # Optional yes/no columns that default to no (best_practice, consent) are left blank.
    blank_no: bool = False
    skill_separator: str = "; "
    omit: frozenset[str] = frozenset()  # optional columns the partner's files do not have
    spellings: dict[str, str] = field(default_factory=dict)  # enum value -> partner's word


SAMPLE_STYLES: dict[str, FileStyle] = {
    "UNIBO": FileStyle(
        ".xlsx",
        ("case_studies", "interviews", "ratings"),
        date_format=None,
        yes="Y",
        no="N",
        personal_first=True,
        spellings={"female": "F", "male": "M"},
    ),
    "UJ": FileStyle(
        ".csv",
        ("case_studies", "interviews"),
        delimiter=";",
        decimal_comma=True,
        date_format="%d/%m/%Y",
        yes="TRUE",
        no="FALSE",
        skill_separator=";",
        omit=frozenset({"url", "notes", "phone"}),
    ),
    "UH": FileStyle(".csv", ("case_studies", "interviews", "ratings"), bom=True),
    "SOPU": FileStyle(
        ".ods",
        ("interviews", "ratings"),
        date_format="%d.%m.%Y",
        skill_separator=" ; ",
        spellings={
            HEI: "HEI KT professional",
            BUSINESS: "Business KT professional",
            EXPERT: "KT expert",
            OTHER: "Other",
            "female": "Female",
            "male": "Male",
            "undisclosed": "prefer not to say",
        },
    ),
    "NETVAL": FileStyle(
        ".xlsx",
        ("case_studies", "interviews"),
        spaced_headers=True,
        date_format=None,
        text_cells_every=4,
        yes="x",
        blank_no=True,
    ),
    "ASTP": FileStyle(
        ".csv",
        ("case_studies", "interviews"),
        crlf=True,
        yes="Y",
        no="n",
        blank_no=True,
        omit=frozenset({"organisation", "phone"}),
    ),
}
SAMPLE_PARTNERS = tuple(SAMPLE_STYLES)
PARTNER_COUNTRIES = {
    "UNIBO": "IT",
    "UJ": "PL",
    "UH": "FI",
    "SOPU": "FI",
    "NETVAL": "IT",
    "ASTP": "NL",
}

# Spellings partners use for countries (all resolve to the ISO code on the left).
COUNTRY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "AT": ("Austria", "AT"),
    "AU": ("Australia", "AU"),
    "BE": ("Belgium", "BE"),
    "BG": ("Bulgaria", "BG"),
    "BR": ("Brazil", "BR"),
    "CA": ("Canada", "CA"),
    "CH": ("Switzerland", "CH"),
    "CL": ("Chile", "CL"),
    "CN": ("China", "CN"),
    "CZ": ("Czech Republic", "Czechia", "CZ"),
    "DE": ("Germany", "Deutschland", "DE"),
    "DK": ("Denmark", "DK"),
    "EE": ("Estonia", "EE"),
    "ES": ("Spain", "ES"),
    "FI": ("Finland", "FI"),
    "FR": ("France", "FR"),
    "GB": ("UK", "United Kingdom", "GB"),
    "GR": ("Greece", "GR"),
    "HR": ("Croatia", "HR"),
    "HU": ("Hungary", "HU"),
    "IE": ("Ireland", "IE"),
    "IL": ("Israel", "IL"),
    "IN": ("India", "IN"),
    "IT": ("Italy", "IT", "ITA"),
    "JP": ("Japan", "JP"),
    "KE": ("Kenya", "KE"),
    "LT": ("Lithuania", "LT"),
    "LU": ("Luxembourg", "LU"),
    "LV": ("Latvia", "LV"),
    "MX": ("Mexico", "MX"),
    "NL": ("Netherlands", "NL"),
    "NO": ("Norway", "NOR"),
    "NZ": ("New Zealand", "NZ"),
    "PL": ("Poland", "PL"),
    "PT": ("Portugal", "PT"),
    "RO": ("Romania", "RO"),
    "SE": ("Sweden", "SE"),
    "SG": ("Singapore", "SG"),
    "SI": ("Slovenia", "SI"),
    "SK": ("Slovakia", "SK"),
    "US": ("United States", "USA", "US"),
    "ZA": ("South Africa", "ZA"),
}

# --------------------------------------------------------------------------- case studies


@dataclass(frozen=True)
class Programme:
    """A KT training programme as a partner recorded it (spellings as the partner typed them)."""

    partner: str
    programme: str
    provider: str
    provider_type: str
    country: str
    delivery_mode: str
    hours: float | None
    audience: str
    certification: bool | None
    best_practice: bool
    skills: str  # skill ids separated by spaces
    url: str = ""
    notes: str = ""


# Real public programmes; hours, certification and skills are plausible where not public.
# fmt: off
PROGRAMMES: tuple[Programme, ...] = (
    Programme("NETVAL", "Netval Summer School", "Netval", "kt_association", "ITA", "In-person",
              32, "kt_professionals", True, True,
              "ip_management licensing contracts valuation spinoff_creation communication "
              "negotiation networking",
              "https://www.netval.it", "Residential school for staff of Italian university "
              "KT offices."),
    Programme("NETVAL", "Netval Winter School", "Netval", "kt_association", "Italy",
              "face to face", 24, "kt_professionals", True, False,
              "ip_management contracts regulation impact_measurement portfolio_management "
              "communication",
              "https://www.netval.it", "Advanced topics; hours estimated."),
    Programme("NETVAL", "Fundamentals of Technology Transfer", "PraxisAuril", "kt_association",
              "UK", "in person", 24, "KT professionals", True, True,
              "ip_management licensing contracts spinoff_creation valuation market_analysis "
              "communication negotiation portfolio_management",
              "https://www.praxisauril.org.uk", "Three-day residential course; counts towards "
              "RTTP registration."),
    Programme("NETVAL", "RedTransfer training days", "RedTransfer", "kt_association", "Spain",
              "in_person", 12, "kt_professionals", False, False,
              "ip_management licensing contracts market_analysis communication networking",
              "https://www.redtransfer.org"),
    Programme("NETVAL", "University diploma in intellectual property", "CEIPI, University of "
              "Strasbourg", "university", "France", "blended", 150, "mixed", True, False,
              "ip_management patent_search licensing contracts regulation valuation",
              "https://www.ceipi.edu"),
    Programme("NETVAL", "TTO Circle staff exchange and training", "European Commission Joint "
              "Research Centre", "public_agency", "BE", "Blended", 40, "kt_professionals",
              False, False,
              "ip_management impact_measurement networking alliance_building "
              "stakeholder_engagement communication",
              "", "Network of the technology transfer offices of large public research "
              "organisations."),
    Programme("NETVAL", "PROFNIT professional master's in IP and technology transfer for "
              "innovation", "FORTEC national network of universities", "university", "Brazil",
              "blended", 720, "kt_professionals", True, True,
              "ip_management patent_search licensing contracts valuation market_analysis "
              "business_models spinoff_creation regulation project_management",
              "", "Professional master's degree taught by a national network of universities."),
    Programme("ASTP", "Technology Licensing course", "ASTP", "kt_association", "NL", "in person",
              21, "kt_professionals", False, True,
              "licensing negotiation contracts valuation ip_management communication",
              "https://www.astp4kt.eu", "Licensing negotiation role play on the last day."),
    Programme("ASTP", "AUTM Licensing Course", "AUTM", "kt_association", "USA", "in person", 16,
              "kt_professionals", False, False,
              "licensing contracts valuation negotiation ip_management",
              "https://autm.net"),
    Programme("ASTP", "Certified Licensing Professional (CLP) certification",
              "Licensing Executives Society (LES)", "kt_association", "United States",
              "blended", 40, "kt_professionals", True, True,
              "licensing ip_management valuation contracts negotiation due_diligence "
              "market_analysis",
              "https://www.licensingcertification.org", "Exam-based certification; "
              "preparation hours estimated."),
    Programme("ASTP", "Knowledge Transfer Partnerships: associate development", "Innovate UK",
              "public_agency", "UK", "blended", 80, "researchers", True, False,
              "project_management communication business_models market_analysis teamwork "
              "leadership",
              "https://www.ktp-uk.org"),
    Programme("ASTP", "KTI practitioner training", "Knowledge Transfer Ireland",
              "public_agency", "Ireland", "in person", 7.5, "kt_professionals", False, False,
              "contracts licensing ip_management spinoff_creation communication "
              "stakeholder_engagement",
              "https://www.knowledgetransferireland.com"),
    Programme("ASTP", "ICURe: Innovation to Commercialisation of University Research",
              "Innovate UK", "public_agency", "GB", "blended", 120, "researchers", False, False,
              "market_analysis business_models spinoff_creation financing communication "
              "networking opportunity_spotting",
              "", "Three months of market validation for early-career researchers; hours "
              "estimated."),
    Programme("ASTP", "UNITT annual training sessions", "University Network for Innovation and "
              "Technology Transfer (UNITT)", "kt_association", "Japan", "in person", 10,
              "kt_professionals", False, False,
              "ip_management licensing contracts networking communication"),
    Programme("UNIBO", "Successful Technology Licensing (STL)", "WIPO",
              "international_organisation", "Switzerland", "in_person", 35, "mixed", True, True,
              "licensing negotiation contracts valuation ip_management market_analysis",
              "https://www.wipo.int"),
    Programme("UNIBO", "WIPO Academy distance learning: IP management", "WIPO Academy",
              "international organization", "CH", "online", 55, "mixed", True, False,
              "ip_management patent_search licensing valuation portfolio_management",
              "https://www.wipo.int/academy/en/"),
    Programme("UNIBO", "KT2A: Knowledge Transfer to Africa", "European Patent Office (EPO)",
              "international_organisation", "Kenya", "blended", 32, "kt_professionals", False,
              False,
              "ip_management licensing contracts spinoff_creation stakeholder_engagement "
              "communication",
              "", "Delivered with African partner universities; country of the pilot site "
              "assumed."),
    Programme("UNIBO", "Technology transfer training", "Southern African Research and "
              "Innovation Management Association (SARIMA)", "kt_association", "South Africa",
              "in_person", 16, "kt_professionals", True, False,
              "ip_management licensing contracts market_analysis communication regulation",
              "https://www.sarima.co.za"),
    Programme("UNIBO", "Master in Intellectual Property", "Africa University with ARIPO and "
              "WIPO", "University", "ZW", "blended", 600, "mixed", True, False,
              "ip_management patent_search licensing contracts regulation valuation",
              "https://www.aripo.org"),
    Programme("UNIBO", "Technology Transfer Academy for the Americas", "CIBNOR",
              "public_agency", "Mexico", "blended", 40, "kt_professionals", True, False,
              "ip_management licensing valuation market_analysis business_models negotiation "
              "networking"),
    Programme("UJ", "Technology transfer training for researchers", "Jagiellonian University, "
              "CITTRU", "university", "Poland", "in person", 16, "researchers", False, False,
              "ip_management spinoff_creation business_models communication contracts"),
    Programme("UJ", "Technology transfer professional course", "Transfera.cz",
              "kt_association", "Czech Republic", "blended", 37.5, "kt_professionals", True,
              False,
              "ip_management licensing contracts valuation communication negotiation"),
    Programme("UJ", "Technology transfer and innovation management seminar", "Steinbeis",
              "private_company", "Deutschland", "in person", 7.5, "mixed", False, False,
              "market_analysis business_models project_management communication financing"),
    Programme("UJ", "EIT HEI Initiative: innovation capacity building", "EIT",
              "public_agency", "HU", "online", 45, "mixed", True, False,
              "spinoff_creation business_models opportunity_spotting creativity leadership "
              "financing alliance_building"),
    Programme("UJ", "IP training webinars", "European IP Helpdesk", "public_agency",
              "Luxembourg", "online", 6, "mixed", False, False,
              "ip_management contracts patent_search regulation"),
    Programme("UH", "Research-to-business training", "Helsinki Innovation Services",
              "university", "Finland", "blended", 12, "researchers", False, False,
              "ip_management spinoff_creation business_models communication market_analysis",
              "", "Offered to researchers of the University of Helsinki."),
    Programme("UH", "Negotiation and Leadership", "Program on Negotiation at Harvard Law "
              "School", "university", "US", "in person", 24, "mixed", True, True,
              "negotiation conflict_resolution influencing empathy communication leadership",
              "https://www.pon.harvard.edu", "General negotiation programme attended by KT "
              "staff; one of the few that trains conflict resolution."),
    Programme("UH", "China-ASEAN technology manager training course", "China-ASEAN Technology "
              "Transfer Center", "public_agency", "China", "in person", 80, "kt_professionals",
              True, False,
              "ip_management licensing contracts market_analysis networking regulation"),
    Programme("UH", "KCA professional development courses", "Knowledge Commercialisation "
              "Australasia (KCA)", "kt_association", "Australia", "blended", 14,
              "kt_professionals", False, False,
              "ip_management licensing valuation spinoff_creation communication "
              "stakeholder_engagement",
              "https://www.kca.asn.au"),
    Programme("UH", "IP management courses", "IPOS International", "public_agency",
              "Singapore", "blended", 18, "mixed", True, False,
              "ip_management patent_search valuation licensing portfolio_management"),
)
# fmt: on


# --------------------------------------------------------------------------- interviews

# Interviewees per partner and group (HEI, business, expert, other): 24, 18, 12, 6 in all.
# fmt: off
SAMPLE_INTERVIEW_PLAN: dict[str, tuple[int, int, int, int]] = {
    "UNIBO":  (5, 3, 3, 1),
    "UJ":     (5, 3, 1, 1),
    "UH":     (4, 3, 2, 1),
    "SOPU":   (3, 4, 2, 1),
    "NETVAL": (4, 2, 2, 1),
    "ASTP":   (3, 3, 2, 1),
}
# Where each partner's interviewees work, as the partner typed it.
SAMPLE_INTERVIEW_COUNTRIES: dict[str, tuple[str, ...]] = {
    "UNIBO":  ("Italy",) * 6 + ("IT", "IT", "ITA", "Spain", "France", "Deutschland"),
    "UJ":     ("Poland",) * 5 + ("PL", "PL", "Czech Republic", "SK", "Lithuania"),
    "UH":     ("Finland",) * 6 + ("FI", "Sweden", "Estonia", "USA"),
    "SOPU":   ("Finland",) * 7 + ("FI", "FI", "Norway"),
    "NETVAL": ("Italy",) * 5 + ("ITA", "ITA", "UK", "Brazil"),
    "ASTP":   ("Netherlands", "NL", "Belgium", "UK", "Deutschland", "Austria", "Ireland",
               "Portugal", "Denmark"),
}

# Interviewees per group (HEI, business, expert, other) who name each skill, per dimension.
# The story: interviewees possess domain knowledge, IP management and communication; they
# require negotiation most and soft skills far more often than training offers them; training
# should add conflict resolution, alliance building, influencing, resilience and negotiation.
POSSESSED: dict[str, tuple[int, int, int, int]] = {
    "domain_knowledge":       (18, 12, 10, 4),
    "communication":          (15, 12,  8, 4),
    "ip_management":          (19,  8,  9, 2),
    "networking":             ( 8,  9,  6, 3),
    "contracts":              (12,  5,  5, 1),
    "licensing":              ( 9,  7,  6, 0),
    "project_management":     ( 9,  6,  3, 3),
    "teamwork":               ( 7,  5,  3, 2),
    "market_analysis":        ( 2,  9,  3, 1),
    "negotiation":            ( 4,  6,  4, 1),
    "critical_thinking":      ( 5,  3,  4, 2),
    "patent_search":          ( 8,  2,  3, 0),
    "business_models":        ( 2,  6,  2, 1),
    "digital_skills":         ( 4,  3,  1, 2),
    "valuation":              ( 3,  4,  3, 0),
    "portfolio_management":   ( 6,  1,  2, 0),
    "regulation":             ( 3,  1,  2, 3),
    "stakeholder_engagement": ( 3,  2,  2, 2),
    "spinoff_creation":       ( 3,  3,  2, 0),
    "influencing":            ( 1,  2,  1, 1),
    "conflict_resolution":    ( 1,  2,  1, 0),
    "alliance_building":      ( 1,  2,  1, 0),
}
REQUIRED: dict[str, tuple[int, int, int, int]] = {
    "negotiation":            (15, 14,  8, 3),
    "communication":          (14, 10,  7, 4),
    "stakeholder_engagement": (12,  8,  7, 4),
    "conflict_resolution":    (13,  9,  6, 2),
    "ip_management":          (16,  6,  6, 1),
    "alliance_building":      (10, 10,  6, 2),
    "networking":             (11, 10,  5, 2),
    "influencing":            (10,  8,  6, 2),
    "licensing":              (12,  8,  5, 0),
    "contracts":              (14,  5,  4, 1),
    "market_analysis":        ( 4, 12,  4, 1),
    "project_management":     ( 8,  5,  3, 2),
    "valuation":              ( 5,  8,  4, 0),
    "business_models":        ( 3,  8,  3, 1),
    "empathy":                ( 6,  4,  3, 2),
    "spinoff_creation":       ( 6,  5,  3, 0),
    "teamwork":               ( 6,  4,  2, 2),
    "domain_knowledge":       ( 6,  4,  3, 1),
    "strategic_thinking":     ( 3,  4,  4, 2),
    "resilience":             ( 5,  3,  3, 1),
    "flexibility":            ( 4,  4,  2, 1),
    "financing":              ( 2,  6,  2, 1),
    "regulation":             ( 3,  2,  2, 3),
    "critical_thinking":      ( 4,  3,  2, 1),
    "due_diligence":          ( 2,  5,  2, 0),
    "portfolio_management":   ( 6,  1,  2, 0),
    "impact_measurement":     ( 3,  1,  2, 3),
    "leadership":             ( 3,  3,  2, 1),
    "digital_skills":         ( 2,  2,  1, 1),
    "patent_search":          ( 3,  1,  1, 0),
    "ethical_thinking":       ( 2,  1,  1, 1),
}
DESIRABLE: dict[str, tuple[int, int, int, int]] = {
    "conflict_resolution":    (13,  9,  6, 3),
    "alliance_building":      (11,  9,  5, 2),
    "influencing":            (10,  8,  4, 2),
    "resilience":             ( 9,  6,  4, 2),
    "negotiation":            ( 8,  8,  3, 1),
    "stakeholder_engagement": ( 6,  4,  3, 2),
    "empathy":                ( 5,  3,  2, 1),
    "valuation":              ( 4,  5,  2, 0),
    "market_analysis":        ( 2,  6,  2, 0),
    "flexibility":            ( 4,  3,  2, 1),
    "leadership":             ( 3,  3,  2, 1),
    "self_regulation":        ( 3,  2,  2, 1),
    "impact_measurement":     ( 3,  1,  2, 2),
    "growth_mindset":         ( 3,  2,  1, 1),
    "financing":              ( 2,  4,  1, 0),
    "digital_skills":         ( 3,  2,  1, 1),
    "strategic_thinking":     ( 2,  2,  2, 1),
    "business_models":        ( 2,  3,  1, 0),
    "creativity":             ( 2,  2,  1, 1),
    "opportunity_spotting":   ( 2,  3,  1, 0),
}
# Interviewees (of 60) who prefer each training format.
PREFERRED_FORMATS: dict[str, int] = {
    "workshops": 38, "mentoring": 34, "peer_learning": 22, "role_play": 20,
    "case_studies": 18, "coaching": 12, "online_courses": 11, "job_shadowing": 8,
}
# Who asks for soft skills prefers practice: role play and peer learning go to them first.
SOFT_GAP_SKILLS = ("conflict_resolution", "alliance_building", "influencing", "negotiation")
PRACTICE_FORMATS = ("role_play", "peer_learning")

# Years of experience in KT by group (lowest, highest).
YEARS_EXPERIENCE = {HEI: (2, 24), BUSINESS: (3, 28), EXPERT: (10, 35), OTHER: (4, 22)}
GENDER_WEIGHTS = {"female": 52, "male": 42, "non_binary": 2, "undisclosed": 4}
# Organisations of interviewees: obviously fake.
FAKE_ORGANISATIONS = {
    HEI: ("Example University of Somewhere", "Sample Polytechnic of Nowhere"),
    BUSINESS: ("Example Technology Ventures Ltd", "Sample Licensing Company"),
    EXPERT: ("Example Innovation Consultancy", "Sample KT Experts Network"),
    OTHER: ("Example Ministry of Innovation", "Sample Regional Development Agency"),
}

# Quotes by group; "{name}" and "{organisation}" are the interviewee's own (fake) data, which
# the pipeline must redact. The flag says whether the interviewee consented to be quoted.
QUOTES: dict[str, tuple[tuple[str, bool], ...]] = {
    HEI: (
        ("Half of my week is spent between a professor who wants to publish and a company that "
         "wants exclusivity. Nobody trained me to mediate that.", True),
        ("I learnt licensing on a course, but I learnt negotiation by losing my first three "
         "deals.", False),
        ("The legal part I can look up. Building trust with a research group that has been "
         "burnt before is the hard part.", True),
        ("Our courses are full of patent law. What I needed in my first year was someone to "
         "show me how to handle an angry inventor.", True),
        ("We are judged on patents and licences, yet the real work is keeping alliances alive "
         "for years.", False),
        ("We practise contracts, never the conversation before the contract. Role play would "
         "help.", True),
        ("When a spin-off founder and the head of department disagree, I am the one in the "
         "middle, with no method, only instinct.", True),
        ("I have a PhD in chemistry; the science is never the problem, the people are.", False),
        ("Resilience is not a soft word in this job. Deals fall apart every month and you must "
         "be back at the table the next morning.", True),
        ("At {organisation} I was the only one who could talk to both the lab and the legal "
         "office, so every conflict landed on my desk.", True),
    ),
    BUSINESS: (
        ("In industry you are paid to close. Market analysis and negotiation are the two things "
         "I would put in every course.", True),
        ("Universities send us lawyers when we need partners. The best TTO people I know are "
         "alliance builders.", True),
        ("A good licence is twenty per cent valuation and eighty per cent relationship.", False),
        ("My colleagues joke that '{name}' means 'the one who reads the term sheet twice'. "
         "Knowing when to push and when to let go came much later.", True),
        ("I would pay for a course that teaches how to influence a board, not how to fill in an "
         "invention disclosure.", True),
        ("We lose more deals to misunderstandings than to price.", False),
        ("Mentoring from a senior business developer taught me more than any certificate.",
         True),
    ),
    EXPERT: (
        ("The market for KT training is saturated with IP courses. The gap is in conflict "
         "resolution and partnership building.", True),
        ("Peer learning between offices works: people copy what they have seen working in a "
         "real negotiation.", False),
        ("Certification made the profession visible, but the competences it certifies are "
         "mostly technical.", True),
        ("In twenty years I have seen more partnerships fail over trust than over intellectual "
         "property.", False),
        ("Stakeholder engagement should be taught like a craft, with practice, feedback and "
         "coaching.", True),
    ),
    OTHER: (
        ("From the ministry's point of view, KT offices must become brokers of ecosystems, not "
         "guardians of patents.", True),
        ("Policy makers rarely see the negotiation work behind one licence agreement.", False),
        ("Regional agencies need KT staff who can bring companies, universities and funders "
         "around one table.", True),
    ),
}

# --------------------------------------------------------------------------- ratings

# Partners whose sample has ratings, and how many of their interviewees rated skills.
SAMPLE_RATERS = {"UNIBO": 10, "UH": 10, "SOPU": 10}
SKILLS_RATED_EACH = 10
# Skills on the rating sheet: mean importance and mean proficiency (1-5) before adjustments.
RATED_SKILLS: dict[str, tuple[float, float]] = {
    "negotiation":            (4.5, 2.4),
    "conflict_resolution":    (4.2, 2.2),
    "alliance_building":      (4.1, 2.3),
    "influencing":            (3.9, 2.5),
    "stakeholder_engagement": (4.1, 3.0),
    "resilience":             (3.7, 2.8),
    "communication":          (4.5, 3.9),
    "networking":             (4.2, 3.5),
    "ip_management":          (4.3, 3.8),
    "licensing":              (4.0, 3.2),
    "contracts":              (3.8, 3.4),
    "valuation":              (3.7, 2.8),
    "market_analysis":        (3.5, 2.8),
    "domain_knowledge":       (3.6, 4.2),
}
# fmt: on


# --------------------------------------------------------------------------- records


@dataclass
class Interview:
    """One interview before it is written in a partner's style (canonical values)."""

    partner: str
    interview_id: str
    number: int  # 1.. across all partners: numbers the fake personal data
    group: str
    country: str  # as the partner typed it
    date: dt.date | None
    years: int | None
    gender: str | None
    possessed: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    desirable: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    quote: str = ""
    consent: bool | None = None
    name: str = ""
    email: str = ""
    organisation: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Rating:
    partner: str
    interview_id: str
    skill: str
    importance: int
    proficiency: int


@dataclass(frozen=True)
class Dataset:
    """Everything one writer writes, before formatting."""

    case_studies: dict[str, list[tuple[str, Programme]]]  # partner -> (case_id, programme)
    interviews: dict[str, list[Interview]]
    ratings: dict[str, list[Rating]]
    styles: dict[str, FileStyle]
    label: str


# --------------------------------------------------------------------------- public API


def write_sample(raw_dir: Path) -> None:
    """Write the curated SAMPLE data into ``raw_dir`` (the project ships its output).

    Writes ``case_studies/``, ``interviews/`` and ``ratings/`` (replacing the partner files
    there) and, when ``raw_dir`` is not the project's ``data/raw``, copies ``partners.csv``,
    ``skills_taxonomy.csv`` and ``README.md`` from it, so that ``raw_dir`` is a complete raw-data
    folder. Same call, same bytes.
    """
    raw_dir = Path(raw_dir)
    rng = random.Random(SAMPLE_SEED)
    interviews = _sample_interviews(rng)
    dataset = Dataset(
        case_studies=_sample_case_studies(),
        interviews=interviews,
        ratings=_ratings(interviews, SAMPLE_RATERS, rng),
        styles=SAMPLE_STYLES,
        label=SAMPLE_LABEL,
    )
    _write_dataset(raw_dir, dataset, rng)
    for name in ("partners.csv", "skills_taxonomy.csv", "README.md"):
        _copy_reference(PROJECT_RAW / name, raw_dir / name)


def write_synthetic(raw_dir: Path, scale: int, seed: int = 1, partners: int | None = None) -> None:
    """Write a synthetic dataset ``scale`` times the sample's size into ``raw_dir``.

    ``scale`` x 30 case studies, x 60 interviews (the sample's group split) and x ~300 ratings,
    spread over ``partners`` partners (default ``6 * ceil(sqrt(scale))``: the six consortium
    partners plus synthetic ones P01, P02, ...) from many countries, in the six partners' file
    styles. Writes ``partners.csv``, the taxonomy and a README too. Deterministic for a seed.
    """
    if scale < 1:
        raise ValueError(f"scale must be 1 or more, not {scale}")
    raw_dir = Path(raw_dir)
    n_partners = partners if partners is not None else 6 * math.ceil(math.sqrt(scale))
    if n_partners < len(SAMPLE_PARTNERS):
        raise ValueError(f"partners must be {len(SAMPLE_PARTNERS)} or more, not {n_partners}")
    rng = random.Random(seed)
    partner_rows = _synthetic_partners(n_partners)
    styles = {pid: _synthetic_style(pid, i) for i, (pid, _, _) in enumerate(partner_rows)}
    countries = {pid: country for pid, _, country in partner_rows}
    interviews = _synthetic_interviews(rng, scale, styles, countries)
    raters = _synthetic_raters(interviews, styles, 30 * scale)
    dataset = Dataset(
        case_studies=_synthetic_case_studies(rng, scale, styles),
        interviews=interviews,
        ratings=_ratings(interviews, raters, rng),
        styles=styles,
        label=f"{SYNTHETIC_LABEL} (scale {scale}, seed {seed})",
    )
    _write_dataset(raw_dir, dataset, rng)
    _write_csv_rows(raw_dir / "partners.csv", ("partner_id", "name", "country"), partner_rows)
    _copy_reference(PROJECT_RAW / "skills_taxonomy.csv", raw_dir / "skills_taxonomy.csv")
    (raw_dir / "README.md").write_text(
        SYNTHETIC_README.format(
            scale=scale,
            seed=seed,
            partners=n_partners,
            case_studies=30 * scale,
            interviews=60 * scale,
        ),
        encoding="utf-8",
    )


SYNTHETIC_README = """\
# SYNTHETIC data (generated, not real)

Written by `ktreport synth --scale {scale} --seed {seed}` for performance tests:
{case_studies} case studies and {interviews} interviews over {partners} partners, {scale} times the
size of the project's sample data (`data/raw/`), in the same layout and file formats. Programmes
are variants of the sample's; every personal value is fake. Do not use it for anything else.
"""


# --------------------------------------------------------------------------- sample data


def _sample_case_studies() -> dict[str, list[tuple[str, Programme]]]:
    cases: dict[str, list[tuple[str, Programme]]] = {}
    for programme in PROGRAMMES:
        rows = cases.setdefault(programme.partner, [])
        rows.append((f"{programme.partner}-C{len(rows) + 1:02d}", programme))
    return cases


def _sample_interviews(rng: random.Random) -> dict[str, list[Interview]]:
    interviews: dict[str, list[Interview]] = {}
    number = 0
    for partner in SAMPLE_PARTNERS:
        plan = SAMPLE_INTERVIEW_PLAN[partner]
        groups = [g for g, n in zip(RESPONDENT_GROUPS, plan, strict=True) for _ in range(n)]
        rng.shuffle(groups)
        countries = list(SAMPLE_INTERVIEW_COUNTRIES[partner])
        rng.shuffle(countries)
        rows = []
        for index, (group, country) in enumerate(zip(groups, countries, strict=True), 1):
            number += 1
            rows.append(_new_interview(rng, partner, f"{partner}-I{index:02d}", number, group))
            rows[-1].country = country
        interviews[partner] = rows
    everyone = [iv for rows in interviews.values() for iv in rows]
    _assign_skills(everyone, rng, scale=1)
    _assign_formats(everyone, rng, scale=1)
    _assign_quotes(everyone, rng, scale=1)
    return interviews


def _new_interview(
    rng: random.Random, partner: str, interview_id: str, number: int, group: str
) -> Interview:
    low, high = YEARS_EXPERIENCE[group]
    span = (LAST_INTERVIEW_DAY - FIRST_INTERVIEW_DAY).days
    day = FIRST_INTERVIEW_DAY + dt.timedelta(days=rng.randint(0, span))
    if day.weekday() >= 5:  # interviews happen on working days
        day -= dt.timedelta(days=day.weekday() - 4)
    person = f"{number:02d}" if number < 100 else f"{number}"
    genders = list(GENDER_WEIGHTS)
    return Interview(
        partner=partner,
        interview_id=interview_id,
        number=number,
        group=group,
        country="",
        date=None if rng.random() < 0.1 else day,
        years=None if rng.random() < 0.05 else rng.randint(low, high),
        gender=None
        if rng.random() < 0.05
        else rng.choices(genders, weights=[GENDER_WEIGHTS[g] for g in genders])[0],
        name=f"Sample Person {person}",
        email=f"sample.person{person}@example.org",
        organisation=rng.choice(FAKE_ORGANISATIONS[group]),
        phone=f"+00 000 {number:04d}",
    )


def _allocate(
    rng: random.Random,
    members: Sequence[Interview],
    count: int,
    load: dict[str, int],
    prefer: Callable[[Interview], bool] = lambda iv: False,
    avoid: Callable[[Interview], bool] = lambda iv: False,
    capacity: dict[str, float] | None = None,
) -> list[Interview]:
    """``count`` of ``members``: the least loaded first (load relative to the member's
    ``capacity``; preferred ones as if one less loaded), avoided ones last, ties broken at
    random; the chosen ones' load goes up by one."""

    def rank(iv: Interview) -> tuple[bool, float, float]:
        relative = (load[iv.interview_id] - prefer(iv)) / (capacity or {}).get(iv.interview_id, 1)
        return (avoid(iv), relative, rng.random())

    ranked = sorted(members, key=rank)
    chosen = ranked[: min(count, len(ranked))]
    for iv in chosen:
        load[iv.interview_id] += 1
    return chosen


def _by_group(interviews: Sequence[Interview]) -> dict[str, list[Interview]]:
    return {g: [iv for iv in interviews if iv.group == g] for g in RESPONDENT_GROUPS}


def _assign_skills(interviews: Sequence[Interview], rng: random.Random, scale: int) -> None:
    """Give each skill to exactly scale x its count of interviewees per group and dimension,
    spreading mentions over interviewees as talkative as each was (a random capacity);
    desirable skills go to those who require but lack them first."""
    groups = _by_group(interviews)
    capacity = {iv.interview_id: rng.uniform(0.6, 1.4) for iv in interviews}
    for dimension, counts in (
        ("possessed", POSSESSED),
        ("required", REQUIRED),
        ("desirable", DESIRABLE),
    ):
        load = {iv.interview_id: 0 for iv in interviews}
        for skill, per_group in counts.items():
            for group, count in zip(RESPONDENT_GROUPS, per_group, strict=True):
                chosen = _allocate(
                    rng,
                    groups[group],
                    count * scale,
                    load,
                    prefer=lambda iv, s=skill: s in iv.required,
                    avoid=lambda iv, s=skill, d=dimension: d == "desirable" and s in iv.possessed,
                    capacity=capacity,
                )
                for iv in chosen:
                    getattr(iv, dimension).append(skill)
    for iv in interviews:
        for skills in (iv.possessed, iv.required, iv.desirable):
            rng.shuffle(skills)


def _assign_formats(interviews: Sequence[Interview], rng: random.Random, scale: int) -> None:
    load = {iv.interview_id: 0 for iv in interviews}
    for training_format, count in PREFERRED_FORMATS.items():
        practice = training_format in PRACTICE_FORMATS
        chosen = _allocate(
            rng,
            interviews,
            count * scale,
            load,
            prefer=lambda iv, p=practice: p and any(s in iv.desirable for s in SOFT_GAP_SKILLS),
        )
        for iv in chosen:
            iv.formats.append(training_format)
    for iv in interviews:
        iv.formats.sort(key=TRAINING_FORMATS.index)


def _assign_quotes(interviews: Sequence[Interview], rng: random.Random, scale: int) -> None:
    """Each group's quotes go to interviewees of that group (scale times each)."""
    for group, members in _by_group(interviews).items():
        quotes = QUOTES[group] * scale
        for iv, (quote, consent) in zip(
            rng.sample(members, min(len(quotes), len(members))), quotes, strict=False
        ):
            iv.quote = quote.format(name=iv.name, organisation=iv.organisation)
            iv.consent = consent


def _ratings(
    interviews: dict[str, list[Interview]], raters: dict[str, int], rng: random.Random
) -> dict[str, list[Rating]]:
    """The first ``raters[partner]`` interviewees of a partner rate ~10 skills each, 1-5.

    A skill the interviewee requires is more important to them, one they possess they master
    better, one they want training in they master less.
    """
    ratings: dict[str, list[Rating]] = {}
    for partner, n_raters in raters.items():
        rows = []
        for iv in interviews[partner][:n_raters]:
            for skill in rng.sample(list(RATED_SKILLS), SKILLS_RATED_EACH):
                mean_importance, mean_proficiency = RATED_SKILLS[skill]
                importance = mean_importance + 0.4 * (skill in iv.required) - 0.2
                proficiency = (
                    mean_proficiency + 0.5 * (skill in iv.possessed) - 0.4 * (skill in iv.desirable)
                )
                rows.append(
                    Rating(
                        partner,
                        iv.interview_id,
                        skill,
                        _likert(importance + rng.gauss(0, 0.6)),
                        _likert(proficiency + rng.gauss(0, 0.6)),
                    )
                )
        ratings[partner] = rows
    return ratings


def _likert(value: float) -> int:
    return max(1, min(5, round(value)))


# --------------------------------------------------------------------------- synthetic data

EXTRA_PARTNER_COUNTRIES = (
    "ES", "DE", "FR", "PT", "BE", "AT", "SE", "DK", "IE", "CZ", "SK", "SI", "HR", "GR", "RO",
    "BG", "HU", "LT", "LV", "EE", "LU", "NO", "CH", "GB", "US", "BR", "MX", "CA", "CL", "CN",
    "JP", "SG", "IN", "IL", "AU", "NZ", "ZA", "KE",
)  # fmt: skip


def _synthetic_partners(n_partners: int) -> list[tuple[str, str, str]]:
    """partner_id, name, country: the six consortium partners, then P01, P02, ..."""
    sample_names = {
        "ASTP": "ASTP",
        "NETVAL": "Netval",
        "SOPU": "SOPU Academy",
        "UH": "University of Helsinki",
        "UJ": "Jagiellonian University",
        "UNIBO": "University of Bologna (coordinator)",
    }
    rows = [(pid, sample_names[pid], PARTNER_COUNTRIES[pid]) for pid in SAMPLE_PARTNERS]
    width = max(2, len(str(n_partners - len(SAMPLE_PARTNERS))))
    for k in range(1, n_partners - len(SAMPLE_PARTNERS) + 1):
        country = EXTRA_PARTNER_COUNTRIES[(k - 1) % len(EXTRA_PARTNER_COUNTRIES)]
        rows.append((f"P{k:0{width}d}", f"Synthetic Partner {k:0{width}d}", country))
    return rows


def _synthetic_style(partner: str, index: int) -> FileStyle:
    """Partner i keeps its files like sample partner i mod 6."""
    return SAMPLE_STYLES[SAMPLE_PARTNERS[index % len(SAMPLE_PARTNERS)]]


def _synthetic_interviews(
    rng: random.Random, scale: int, styles: dict[str, FileStyle], countries: dict[str, str]
) -> dict[str, list[Interview]]:
    partners = [pid for pid, style in styles.items() if "interviews" in style.tables]
    groups = [g for g in RESPONDENT_GROUPS for _ in range(GROUP_SIZES[g] * scale)]
    rng.shuffle(groups)
    interviews: dict[str, list[Interview]] = {pid: [] for pid in partners}
    abroad = sorted(COUNTRY_SPELLINGS)
    for number, group in enumerate(groups, 1):
        partner = partners[(number - 1) % len(partners)]
        rows = interviews[partner]
        iv = _new_interview(rng, partner, f"{partner}-I{len(rows) + 1:03d}", number, group)
        home = countries[partner] if rng.random() < 0.7 else rng.choice(abroad)
        iv.country = rng.choice(COUNTRY_SPELLINGS[home])
        iv.name = iv.name.replace("Sample", "Synthetic")
        iv.email = iv.email.replace("sample", "synthetic")
        rows.append(iv)
    everyone = [iv for rows in interviews.values() for iv in rows]
    _assign_skills(everyone, rng, scale)
    _assign_formats(everyone, rng, scale)
    _assign_quotes(everyone, rng, scale)
    return interviews


def _synthetic_raters(
    interviews: dict[str, list[Interview]], styles: dict[str, FileStyle], wanted: int
) -> dict[str, int]:
    """About ``wanted`` raters, spread evenly over the partners that keep ratings."""
    partners = [pid for pid in interviews if "ratings" in styles[pid].tables]
    raters = {pid: 0 for pid in partners}
    available = sum(len(interviews[pid]) for pid in partners)
    for k in range(min(wanted, available)):
        pid = partners[k % len(partners)]
        while raters[pid] >= len(interviews[pid]):
            k += 1
            pid = partners[k % len(partners)]
        raters[pid] += 1
    return raters


HARD_SKILLS_TAUGHT = (
    "ip_management", "licensing", "contracts", "valuation", "market_analysis",
    "spinoff_creation", "business_models", "patent_search", "due_diligence", "financing",
    "regulation", "portfolio_management", "impact_measurement", "communication",
)  # fmt: skip
SOFT_SKILLS_RARELY_TAUGHT = (
    "negotiation", "networking", "stakeholder_engagement", "conflict_resolution",
    "alliance_building", "influencing", "teamwork", "leadership", "resilience",
)  # fmt: skip


def _synthetic_case_studies(
    rng: random.Random, scale: int, styles: dict[str, FileStyle]
) -> dict[str, list[tuple[str, Programme]]]:
    """Variants of the sample programmes (each one ``scale`` times): other countries,
    durations and a skill more or less, spread over the partners that keep case studies."""
    partners = [pid for pid, style in styles.items() if "case_studies" in style.tables]
    cases: dict[str, list[tuple[str, Programme]]] = {pid: [] for pid in partners}
    for k in range(len(PROGRAMMES) * scale):
        base = PROGRAMMES[k % len(PROGRAMMES)]
        edition = k // len(PROGRAMMES) + 1
        partner = partners[k % len(partners)]
        skills = base.skills.split()
        if rng.random() < 0.3 and len(skills) > 3:
            skills.remove(rng.choice(skills))
        if rng.random() < 0.3:
            skills.append(rng.choice(HARD_SKILLS_TAUGHT))
        if rng.random() < 0.05:
            skills.append(rng.choice(SOFT_SKILLS_RARELY_TAUGHT))
        country = base.country
        if rng.random() < 0.5:
            country = rng.choice(COUNTRY_SPELLINGS[rng.choice(sorted(COUNTRY_SPELLINGS))])
        hours = base.hours
        if hours is not None:
            hours = max(1.0, round(hours * rng.choice((0.5, 0.75, 1, 1.25, 1.5, 2)) * 2) / 2)
        variant = replace(
            base,
            partner=partner,
            programme=f"{base.programme} (synthetic edition {edition})",
            country=country,
            hours=hours,
            skills=" ".join(dict.fromkeys(skills)),
            notes="Synthetic variant of a sample programme.",
        )
        rows = cases[partner]
        rows.append((f"{partner}-C{len(rows) + 1:03d}", variant))
    return cases


# --------------------------------------------------------------------------- writing


def _write_dataset(raw_dir: Path, dataset: Dataset, rng: random.Random) -> None:
    taxonomy = _read_taxonomy()
    for table_name in PARTNER_TABLES:
        folder = raw_dir / table_name
        folder.mkdir(parents=True, exist_ok=True)
        for old in sorted(folder.iterdir()):
            if old.is_file() and old.suffix.lower() in RAW_EXTENSIONS:
                old.unlink()
    for partner, rows in dataset.case_studies.items():
        style = dataset.styles[partner]
        cells = [_case_study_cells(cid, p, style, taxonomy, rng) for cid, p in rows]
        _write_table(raw_dir, partner, CASE_STUDIES, cells, style, dataset.label)
    for partner, interviews in dataset.interviews.items():
        style = dataset.styles[partner]
        cells = [_interview_cells(iv, i, style, taxonomy, rng) for i, iv in enumerate(interviews)]
        _write_table(raw_dir, partner, INTERVIEWS, cells, style, dataset.label)
    for partner, ratings in dataset.ratings.items():
        style = dataset.styles[partner]
        cells = [_rating_cells(r, style, taxonomy, rng) for r in ratings]
        _write_table(raw_dir, partner, RATINGS, cells, style, dataset.label)


def _case_study_cells(
    case_id: str, p: Programme, style: FileStyle, taxonomy: dict, rng: random.Random
) -> dict[str, object]:
    return {
        "case_id": case_id,
        "programme": p.programme,
        "provider": p.provider,
        "provider_type": p.provider_type,
        "country": p.country,
        "delivery_mode": p.delivery_mode,
        "duration_hours": p.hours,
        "audience": p.audience,
        "certification": _yes_no(p.certification, style),
        "skills": _spell_skills(p.skills.split(), style, taxonomy, rng),
        "best_practice": _yes_no(p.best_practice, style, blank_no=style.blank_no),
        "url": p.url,
        "notes": p.notes,
    }


def _interview_cells(
    iv: Interview, index: int, style: FileStyle, taxonomy: dict, rng: random.Random
) -> dict[str, object]:
    as_text = (
        style.text_cells_every and index % style.text_cells_every == style.text_cells_every - 1
    )
    date: object = iv.date
    years: object = iv.years
    if as_text:
        date = iv.date.strftime("%d/%m/%Y") if iv.date else None
        years = None if iv.years is None else str(iv.years)
    return {
        "interview_id": iv.interview_id,
        "respondent_group": style.spellings.get(iv.group, iv.group),
        "country": iv.country,
        "interview_date": date,
        "years_experience": years,
        "gender": style.spellings.get(iv.gender, iv.gender) if iv.gender else None,
        "skills_possessed": _spell_skills(iv.possessed, style, taxonomy, rng),
        "skills_required": _spell_skills(iv.required, style, taxonomy, rng),
        "skills_desirable": _spell_skills(iv.desirable, style, taxonomy, rng),
        "preferred_formats": style.skill_separator.join(
            rng.choice(FORMAT_SPELLINGS[f]) for f in iv.formats
        ),
        "quote": _quote_for(iv, style),
        "consent_to_quote": _yes_no(iv.consent, style, blank_no=style.blank_no),
        "name": iv.name,
        "email": iv.email,
        "organisation": iv.organisation,
        "phone": iv.phone,
    }


def _quote_for(iv: Interview, style: FileStyle) -> str:
    """The interviewee's quote as the partner's file holds it. A partner whose files have no
    organisation column cannot have it anonymised in quotes, so its quotes do not name it
    (otherwise the personal-data guard rightly stops the build: at 10x the sample, ASTP-style
    partners' quotes named organisations other partners list as interviewees')."""
    if "organisation" in style.omit and iv.organisation:
        return iv.quote.replace(iv.organisation, "my organisation")
    return iv.quote


def _rating_cells(
    rating: Rating, style: FileStyle, taxonomy: dict, rng: random.Random
) -> dict[str, object]:
    return {
        "interview_id": rating.interview_id,
        "skill": _spell_skill(rating.skill, taxonomy, rng),
        "importance": rating.importance,
        "proficiency": rating.proficiency,
    }


# How partners write the training formats (all accepted by the contract).
FORMAT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "workshops": ("workshops", "Workshops", "workshop"),
    "mentoring": ("mentoring", "Mentoring"),
    "peer_learning": ("peer_learning", "Peer learning", "peer learning"),
    "case_studies": ("case_studies", "Case studies", "case study"),
    "role_play": ("role_play", "Role play", "roleplay"),
    "online_courses": ("online_courses", "Online courses", "online course"),
    "job_shadowing": ("job_shadowing", "Job shadowing", "shadowing"),
    "coaching": ("coaching", "Coaching"),
}


def _yes_no(value: bool | None, style: FileStyle, blank_no: bool = False) -> str:
    if value is None:
        return ""
    if value:
        return style.yes
    return "" if blank_no else style.no


def _spell_skills(
    skills: Sequence[str], style: FileStyle, taxonomy: dict, rng: random.Random
) -> str:
    return style.skill_separator.join(_spell_skill(s, taxonomy, rng) for s in skills)


def _spell_skill(skill_id: str, taxonomy: dict[str, tuple[str, ...]], rng: random.Random) -> str:
    """The skill as a partner might type it: its label (most often), a synonym or its id, in
    the case the partner happened to use."""
    label, *synonyms = taxonomy[skill_id]
    spellings = [label, label, *synonyms, skill_id]
    text = rng.choice(spellings)
    case = rng.random()
    if case < 0.25:
        return text.lower()
    if case < 0.45:
        return text[:1].upper() + text[1:]
    return text


def _read_taxonomy() -> dict[str, tuple[str, ...]]:
    """skill_id -> (label, synonym, ...) from the project's taxonomy."""
    with (PROJECT_RAW / "skills_taxonomy.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["skill_id"]: (row["label"], *[s for s in row["synonyms"].split(";") if s])
            for row in csv.DictReader(handle)
        }


def _header(column: str, style: FileStyle) -> str:
    if not style.spaced_headers:
        return column
    words = column.split("_")
    return " ".join(
        w.upper() if w in ("id", "url") else (w.capitalize() if i == 0 else w)
        for i, w in enumerate(words)
    )


def _write_table(
    raw_dir: Path,
    partner: str,
    table: Table,
    rows: list[dict[str, object]],
    style: FileStyle,
    label: str,
) -> None:
    columns = [c for c in table.column_names if c not in style.omit]
    if style.personal_first:
        personal = [c for c in columns if c in table.personal_columns]
        columns = personal + [c for c in columns if c not in personal]
    header = [_header(c, style) for c in columns]
    grid = [[row[c] for c in columns] for row in rows]
    if style.ext != ".csv" and style.date_format is not None:  # dates typed as text
        grid = [
            [v.strftime(style.date_format) if isinstance(v, dt.date) else v for v in row]
            for row in grid
        ]
    path = raw_dir / table.name / f"{partner}{style.ext}"
    if style.ext == ".csv":
        _write_csv(path, header, grid, style)
    elif style.ext == ".xlsx":
        _write_xlsx(path, table.name, header, grid, label)
    else:
        _write_ods(path, table.name, header, grid, label)


def _csv_text(value: object, style: FileStyle) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime(style.date_format or "%Y-%m-%d")
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
        return text.replace(".", ",") if style.decimal_comma else text
    return str(value)


def _write_csv(path: Path, header: list[str], grid: list[list[object]], style: FileStyle) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer, delimiter=style.delimiter, lineterminator="\r\n" if style.crlf else "\n"
    )
    writer.writerow(header)
    writer.writerows([[_csv_text(v, style) for v in row] for row in grid])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig" if style.bom else "utf-8"))


def _write_csv_rows(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(sorted(rows))
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def _label_text(label: str) -> list[str]:
    return [
        label,
        "Sample or synthetic data of the KT SoftSkills project, not real study data.",
        "All personal data (names, e-mails, organisations, phones) are fake.",
        "Programme names come from public sources; other values may be estimates.",
        "See data/raw/README.md.",
    ]


def _write_xlsx(
    path: Path, sheet: str, header: list[str], grid: list[list[object]], label: str
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    data = workbook.active
    data.title = sheet
    data.append(header)
    for cell in data[1]:
        cell.font = Font(bold=True)
    for row in grid:
        data.append(["" if v is None else v for v in row])
    for row in data.iter_rows(min_row=2):
        for cell in row:
            if cell.value == "":
                cell.value = None
            elif isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    for index, name in enumerate(header, 1):
        width = max([len(name)] + [len(str(r[index - 1] or "")) for r in grid])
        data.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    data.freeze_panes = "A2"
    about = workbook.create_sheet("about")
    for line in _label_text(label):
        about.append([line])
    about.column_dimensions["A"].width = 80
    props = workbook.properties
    props.title = label
    props.subject = label
    props.description = _label_text(label)[1]
    props.creator = "KT SoftSkills consortium"
    props.lastModifiedBy = "KT SoftSkills consortium"
    props.created = FIXED_DATETIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    # openpyxl stamps the save time as the modified date: put the fixed date back.
    stamp = FIXED_DATETIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def fix_modified(name: str, content: bytes) -> bytes:
        if name != "docProps/core.xml":
            return content
        return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", content)

    path.write_bytes(_frozen_zip(buffer.getvalue(), fix_modified))


def _write_ods(
    path: Path, sheet: str, header: list[str], grid: list[list[object]], label: str
) -> None:
    from odf import dc, meta
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table as OdsTable
    from odf.table import TableCell, TableRow
    from odf.text import P

    def cell(value: object) -> TableCell:
        if value is None or value == "":
            return TableCell()
        if isinstance(value, dt.date):
            element = TableCell(valuetype="date", datevalue=value.isoformat())
            text = value.strftime("%d.%m.%Y")
        elif isinstance(value, (int, float)):
            element = TableCell(valuetype="float", value=str(value))
            text = str(value)
        else:
            element = TableCell(valuetype="string")
            text = str(value)
        element.addElement(P(text=text))
        return element

    # odfpy keeps the namespaces it has seen in a class attribute shared by every element of
    # the process, and declares all of them in each file it writes: start from none, so the
    # bytes depend on this document only, not on what the process wrote or read before.
    from odf.element import Element

    Element.namespaces.clear()
    document = OpenDocumentSpreadsheet()
    stamp = FIXED_DATETIME.strftime("%Y-%m-%dT%H:%M:%S")
    document.meta.addElement(dc.Title(text=label))
    document.meta.addElement(dc.Description(text=_label_text(label)[1]))
    document.meta.addElement(meta.CreationDate(text=stamp))
    document.meta.addElement(dc.Date(text=stamp))
    for name, rows in ((sheet, [header, *grid]), ("about", [[t] for t in _label_text(label)])):
        table = OdsTable(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row:
                table_row.addElement(cell(value))
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    path.write_bytes(_frozen_zip(buffer.getvalue()))


def _frozen_zip(data: bytes, rewrite: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """The same zip archive with fixed entry dates and attributes, stored uncompressed: the
    same bytes on every run and every machine (deflate output depends on the zlib build)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if rewrite is not None:
                content = rewrite(info.filename, content)
            frozen = zipfile.ZipInfo(info.filename, date_time=FIXED_DATETIME.timetuple()[:6])
            frozen.compress_type = zipfile.ZIP_STORED
            frozen.create_system = 3
            frozen.external_attr = 0o644 << 16
            target.writestr(frozen, content)
    return output.getvalue()


def _copy_reference(source: Path, target: Path) -> None:
    if target.exists() and target.resolve() == source.resolve():
        return
    shutil.copyfile(source, target)


def output_is_safe(out: Path) -> bool:
    """True when ``out`` does not exist or is an empty folder (the CLI refuses anything else
    without ``--force``)."""
    return not out.exists() or (out.is_dir() and not any(out.iterdir()))
