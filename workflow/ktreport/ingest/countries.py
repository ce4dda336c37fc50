"""Stage 1, countries: what a partner writes ("UK", "Deutschland", "CZE") -> ISO alpha-2 and region.

Names come from pycountry (ISO 3166-1: name, official name, common name, alpha-2, alpha-3),
plus the short and local forms partners actually write (``OTHER_NAMES``). Matching ignores
case, accents, punctuation and spaces. Regions follow the UN M49 standard
(https://unstats.un.org/unsd/methodology/m49/) at its top level, with two documented choices
listed beside ``REGION_OF``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ktreport.ingest import suggestions
from ktreport.ingest.spelling import fold

# UN M49 regions by ISO 3166-1 alpha-2 code, for every code pycountry knows
# (tests/test_countries.py checks that none is missing). Choices beyond M49:
#   CY (Cyprus): M49 "Western Asia"; placed in Europe as an EU member state.
#   AQ (Antarctica): no M49 region; placed in Oceania so every code has one.
#   XK (Kosovo): not in ISO 3166-1 (user-assigned code in EU use); Europe.
_REGION_CODES = {
    "Africa": (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IO KE KM LR LS "
        "LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TN TZ UG "
        "YT ZA ZM ZW"
    ),
    "Americas": (
        "AG AI AR AW BB BL BM BO BQ BR BS BV BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GS "
        "GT GY HN HT JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG VI"
    ),
    "Asia": (
        "AE AF AM AZ BD BH BN BT CN GE HK ID IL IN IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM "
        "MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE"
    ),
    "Europe": (
        "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT "
        "JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK"
    ),
    "Oceania": (
        "AQ AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS"
    ),
}
REGION_OF: dict[str, str] = {
    code: region for region, codes in _REGION_CODES.items() for code in codes.split()
}

# Short, former and local names that are not in ISO 3166-1, -> alpha-2.
OTHER_NAMES: dict[str, str] = {
    # English short forms
    "UK": "GB",
    "U.K.": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "USA": "US",
    "U.S.A.": "US",
    "U.S.": "US",
    "United States of America": "US",
    "America": "US",
    "Czech Republic": "CZ",
    "Holland": "NL",
    "The Netherlands": "NL",
    "Russia": "RU",
    "Korea": "KR",
    "Republic of Korea": "KR",
    "Turkey": "TR",
    "Ivory Coast": "CI",
    "Cape Verde": "CV",
    "Swaziland": "SZ",
    "Burma": "MM",
    "Macedonia": "MK",
    "Vatican": "VA",
    "Vatican City": "VA",
    "Palestine": "PS",
    "Kosovo": "XK",
    "EL": "GR",  # the EU's code for Greece
    "Bosnia": "BA",
    "Trinidad": "TT",
    "Congo-Kinshasa": "CD",
    "Congo-Brazzaville": "CG",
    "DR Congo": "CD",
    "UAE": "AE",
    "Brunei": "BN",
    "East Timor": "TL",
    # Local names (European partners first)
    "Deutschland": "DE",
    "España": "ES",
    "Italia": "IT",
    "Polska": "PL",
    "Suomi": "FI",
    "Nederland": "NL",
    "België": "BE",
    "Belgique": "BE",
    "Belgien": "BE",
    "Österreich": "AT",
    "Schweiz": "CH",
    "Suisse": "CH",
    "Svizzera": "CH",
    "Sverige": "SE",
    "Norge": "NO",
    "Danmark": "DK",
    "Ísland": "IS",
    "Éire": "IE",
    "Česko": "CZ",
    "Česká republika": "CZ",
    "Slovensko": "SK",
    "Slovenija": "SI",
    "Hrvatska": "HR",
    "Magyarország": "HU",
    "România": "RO",
    "България": "BG",
    "Ελλάδα": "GR",
    "Hellas": "GR",
    "Κύπρος": "CY",
    "Kıbrıs": "CY",
    "Eesti": "EE",
    "Latvija": "LV",
    "Lietuva": "LT",
    "Crna Gora": "ME",
    "Srbija": "RS",
    "Shqipëria": "AL",
    "Türkiye": "TR",
    "Россия": "RU",
    "Україна": "UA",
    "Brasil": "BR",
    "México": "MX",
    "Perú": "PE",
    "Nippon": "JP",
    "Nihon": "JP",
    "中国": "CN",
    "日本": "JP",
    "한국": "KR",
}


@dataclass(frozen=True)
class Country:
    alpha_2: str
    name: str  # short English name (pycountry's common name where it has one)
    region: str


def _key(text: str) -> str:
    return fold(text).replace(" ", "")


@cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """Matching key -> alpha-2, and alpha-2 -> display name."""
    import pycountry  # on first use: a job whose file names no country skips its database

    by_key: dict[str, str] = {}
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        names[code] = getattr(country, "common_name", None) or country.name
        for text in (
            country.name,
            getattr(country, "official_name", None),
            getattr(country, "common_name", None),
            country.alpha_3,
            code,
        ):
            if text:
                by_key.setdefault(_key(text), code)
                # "Korea, Republic of" is also written "Republic of Korea".
                if ", " in text:
                    head, tail = text.split(", ", 1)
                    by_key.setdefault(_key(f"{tail} {head}"), code)
    names["XK"] = "Kosovo"
    for text, code in OTHER_NAMES.items():
        by_key[_key(text)] = code
    return by_key, names


def lookup(text: str) -> Country | None:
    """The country ``text`` names, or None when it names none."""
    by_key, names = _index()
    key = _key(text)
    if key.startswith("the") and key not in by_key:
        key = key[3:]
    code = by_key.get(key)
    if code is None:
        return None
    return Country(alpha_2=code, name=names[code], region=REGION_OF[code])


def name_of(alpha_2: str) -> str:
    return _index()[1].get(alpha_2, alpha_2)


def all_codes() -> tuple[str, ...]:
    """Every alpha-2 code ``lookup`` can return, sorted."""
    return tuple(sorted(_index()[1]))


def suggest(text: str, n: int = 3) -> list[str]:
    """Country names close to ``text`` (for "did you mean ...?"), best first."""
    key = _key(text)
    if len(key) <= 3:  # codes: difflib on two or three letters suggests nonsense
        return []
    candidates, spellings = _name_candidates()
    found = []
    for match in suggestions.close_matches(key, spellings, n * 3, 0.7):
        name = candidates[match]
        if name not in found:
            found.append(name)
    return found[:n]


@cache
def _name_candidates() -> tuple[dict[str, str], tuple[str, ...]]:
    """Spellings longer than a code -> country name, and those spellings sorted."""
    by_key, names = _index()
    candidates = {k: names[code] for k, code in by_key.items() if len(k) > 3}
    return candidates, tuple(sorted(candidates))
