"""Outside the pipeline, its inputs: the declared tables of the SAMPLE and synthetic data.

Data, not logic (``tests/test_layout.py`` lets this module be long): how each partner keeps
its files, the real public programmes of the case studies, the interview plan and the skill
counts that tell the report's story, the quotes, the rated skills and the spellings partners
use. ``ktreport.tools.synth`` generates the files from these tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ktreport.contract import RESPONDENT_GROUPS

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


# --------------------------------------------------------------------------- spellings

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


# --------------------------------------------------------------------------- synthetic data

# Countries of the synthetic partners P01, P02, ... in turn.
EXTRA_PARTNER_COUNTRIES = (
    "ES", "DE", "FR", "PT", "BE", "AT", "SE", "DK", "IE", "CZ", "SK", "SI", "HR", "GR", "RO",
    "BG", "HU", "LT", "LV", "EE", "LU", "NO", "CH", "GB", "US", "BR", "MX", "CA", "CL", "CN",
    "JP", "SG", "IN", "IL", "AU", "NZ", "ZA", "KE",
)  # fmt: skip
# Synthetic programmes gain a skill of the first list often, of the second rarely.
HARD_SKILLS_TAUGHT = (
    "ip_management", "licensing", "contracts", "valuation", "market_analysis",
    "spinoff_creation", "business_models", "patent_search", "due_diligence", "financing",
    "regulation", "portfolio_management", "impact_measurement", "communication",
)  # fmt: skip
SOFT_SKILLS_RARELY_TAUGHT = (
    "negotiation", "networking", "stakeholder_engagement", "conflict_resolution",
    "alliance_building", "influencing", "teamwork", "leadership", "resilience",
)  # fmt: skip

SYNTHETIC_README = """\
# SYNTHETIC data (generated, not real)

Written by `ktreport synth --scale {scale} --seed {seed}` for performance tests:
{case_studies} case studies and {interviews} interviews over {partners} partners, {scale} times the
size of the project's sample data (`data/raw/`), in the same layout and file formats. Programmes
are variants of the sample's; every personal value is fake. Do not use it for anything else.
"""
