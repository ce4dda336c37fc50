"""countries: what partners write -> ISO alpha-2 and a region, for every ISO country."""

from __future__ import annotations

import pycountry
import pytest

from ktreport.contract import REGIONS
from ktreport.ingest import countries


def test_every_iso_country_has_exactly_one_known_region():
    codes = {country.alpha_2 for country in pycountry.countries}
    assert codes <= set(countries.REGION_OF)
    assert set(countries.REGION_OF.values()) == set(REGIONS)
    listed = [code for codes in countries._REGION_CODES.values() for code in codes.split()]
    assert len(listed) == len(set(listed)), "a code is listed in two regions"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("USA", "US"),
        ("United States of America", "US"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Deutschland", "DE"),
        ("España", "ES"),
        ("Espana", "ES"),
        ("Italia", "IT"),
        ("Polska", "PL"),
        ("Suomi", "FI"),
        ("Nederland", "NL"),
        ("The Netherlands", "NL"),
        ("it", "IT"),
        ("ITA", "IT"),
        ("bra", "BR"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Republic of Korea", "KR"),
        ("Viet Nam", "VN"),
        ("Côte d'Ivoire", "CI"),
        ("cote divoire", "CI"),
        ("  mexico ", "MX"),
    ],
)
def test_names_short_and_local_forms_and_codes_are_understood(written, code):
    assert countries.lookup(written).alpha_2 == code


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        ("GB", "United Kingdom", "Europe"),
        ("CZ", "Czechia", "Europe"),
        ("CY", "Cyprus", "Europe"),
        ("BR", "Brazil", "Americas"),
        ("MX", "Mexico", "Americas"),
        ("CN", "China", "Asia"),
        ("JP", "Japan", "Asia"),
        ("ZA", "South Africa", "Africa"),
        ("AU", "Australia", "Oceania"),
        ("KR", "South Korea", "Asia"),
    ],
)
def test_a_country_has_a_short_english_name_and_a_region(code, name, region):
    country = countries.lookup(code)
    assert (country.name, country.region) == (name, region)


def test_unknown_countries_are_none_and_get_close_suggestions():
    assert countries.lookup("Atlantis") is None
    assert countries.suggest("Atlantis") == []
    assert countries.suggest("Germny")[0] == "Germany"
    assert countries.suggest("Frence") == ["France"]


def test_short_unknown_codes_get_no_nonsense_suggestions():
    assert countries.lookup("XX") is None
    assert countries.suggest("XX") == []
