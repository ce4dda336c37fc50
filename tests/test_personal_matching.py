"""Personal values in other spellings (issue 17 §4): one matching for the validator, the
anonymiser and the guard, blind to accents, case, spacing, punctuation and the way a phone
number is written; a partner's quote that holds the interviewee's own e-mail or phone is an
error at its cell, their own name and organisation are replaced (never inside an e-mail
address or a web address), and the guard names the cell where a value was typed.

The people are those of tests/fixtures/hostile/personal_spellings/ (see its README)."""

from __future__ import annotations

import csv
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from ktreport.core.problems import Problem
from ktreport.guard import check_personal_data, extract, leak_message, matching, scan
from ktreport.guard import values as guard_values
from ktreport.ingest.checks import check_partner_file
from ktreport.ingest.parts import part_to_json
from ktreport.ingest.personal_row import anonymise
from ktreport.ingest.taxonomy import load_taxonomy

RAW = FIXTURES / "hostile" / "personal_spellings"
SOURCE = "interviews/ALPHA.csv"
TAXONOMY, _ = load_taxonomy(RAW / "skills_taxonomy.csv", "skills_taxonomy.csv")
with (RAW / SOURCE).open(encoding="utf-8", newline="") as _stream:
    PEOPLE = list(csv.DictReader(_stream))  # rows 2, 3, 4 of the raw file
HEADER = list(PEOPLE[0])
# How each phone number is made of: calling code, national significant number, trunk prefix.
PHONES = [("44", "2079460958", "0"), ("48", "426312000", ""), ("39", "0512099111", "")]
MASKS = {"name": "[name]", "email": "[e-mail]", "organisation": "[organisation]"}
MASKS["phone"] = "[phone]"


def _leaks(tmp_path: Path, text: str, raw: Path = RAW):
    path = tmp_path / "report.html"
    path.write_text(f"<html><body><p>{text}</p></body></html>", encoding="utf-8")
    return check_personal_data(raw, [path], root=tmp_path).leaks


def _found(leaks) -> set[tuple[str, int]]:
    return {(leak.kind, leak.row) for leak in leaks}


def _check(tmp_path: Path, *rows: dict[str, str]):
    """The validator's result for an interviews file of ``rows`` (fixture people, changed)."""
    path = tmp_path / "ALPHA.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return check_partner_file([path], "interviews", "ALPHA", TAXONOMY, tmp_path)


def _person(index: int, **changes: str) -> dict[str, str]:
    return {**PEOPLE[index], **changes}


# ------------------------------------------------------------ the guard, in every spelling
@pytest.mark.parametrize(
    ("written", "kind", "row"),
    [
        ("Jose Garcia-Lopez", "name", 2),  # accents dropped
        ("JOSÉ GARCÍA LÓPEZ", "name", 2),  # case changed, hyphen as a space
        ("josé\n  garcía - lópez", "name", 2),  # spacing
        ("Universitat Politecnica de Valencia", "organisation", 2),
        ("universitat politècnica de\u00a0valència", "organisation", 2),
        ("+44 20 7946 0958", "phone", 2),  # the national number, written internationally
        ("0044 20 7946 0958", "phone", 2),
        ("+44 (0)20 7946 0958", "phone", 2),
        ("(020) 7946-0958", "phone", 2),
        ("20 7946 0958", "phone", 2),  # without trunk prefix nor calling code
        ("JOSE.GARCIA+KT@UPV-VALENCIA.EXAMPLE", "email", 2),
        ("jose.garcia@upv-valencia.example", "email", 2),  # the same mailbox without +tag
        ("Lukasz Wrobel", "name", 3),  # ł has no accent to drop: it is spelled l
        ("POLITECHNIKA LODZKA", "organisation", 3),
        ("42 631 20 00", "phone", 3),  # +48 42 631 20 00 in Poland
        ("0048 42 631 2000", "phone", 3),
        ("+39 051 209 9111", "phone", 4),  # Italy keeps the 0 after the calling code
        ("0039-051-209-9111", "phone", 4),
    ],
)
def test_the_guard_finds_a_value_in_another_spelling(tmp_path, written, kind, row):
    assert (kind, row) in _found(_leaks(tmp_path, f"She said: {written}, then left."))


def test_scanning_in_two_processes_finds_what_one_finds(tmp_path):
    # Leaks in several files (one twice, same bytes), a clean file and a file without text:
    # the guard's rule scans with its two threads; the findings must be the same.
    (tmp_path / "out").mkdir()
    texts = {
        "a.html": "<p>+39 051 209 9111</p>",
        "b.html": "<p>+39 051 209 9111</p>",  # the same bytes as a.html
        "c.csv": "x,y\n1,0039-051-209-9111\n",
        "d.json": '{"notes": "nothing personal"}',
    }
    for name, text in texts.items():
        (tmp_path / "out" / name).write_text(text, encoding="utf-8")
    (tmp_path / "out" / "e.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # no text
    paths = sorted((tmp_path / "out").iterdir())
    one = check_personal_data(RAW, paths, root=tmp_path)
    two = check_personal_data(RAW, paths, root=tmp_path, workers=2)
    assert two == one
    assert {leak.file for leak in one.leaks} == {"out/a.html", "out/b.html", "out/c.csv"}
    assert len(one.scanned) == 4 and one.skipped == ["out/e.png"]


@pytest.mark.parametrize(
    "text",
    [
        "Jose Garcia-Lopezz and Lukasz Wrobelski",  # whole words only
        "0.2079460958 and 44.2079460958",  # decimals are not phone numbers
        "1 2 0 7 9 4 6 0 9 5 8",  # nor a table of one-digit cells
        "442 0794 6095 81",  # nor part of a longer number
    ],
)
def test_the_guard_still_ignores_what_is_not_the_value(tmp_path, text):
    assert _leaks(tmp_path, text) == []


def test_a_leak_typed_in_a_quote_names_the_raw_cell_not_the_code(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    rows = [
        _person(0),
        # Row 3 quotes row 2's interviewee by name: not their own name, so not replaced.
        _person(1, quote="I learnt licensing from Jose Garcia Lopez, the best in Spain."),
        _person(2),
    ]
    with (raw / SOURCE).open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, HEADER)
        writer.writeheader()
        writer.writerows(rows)
    leaks = _leaks(tmp_path, rows[1]["quote"], raw)
    message = leak_message(leaks)
    assert ("name", 2) in _found(leaks)
    assert f"(from raw/{SOURCE}, row 2), typed in raw/{SOURCE}, row 3, column quote" in message
    assert "find where the output takes" not in message
    assert "[name]" in message  # what to write instead
    for secret in ("Jose", "Garcia", "josé", "garcía"):
        assert secret.lower() not in message.lower()


# ------------------------------------------------------------------------- the anonymiser
def test_the_anonymiser_replaces_name_and_organisation_in_any_spelling():
    quote = "JOSE garcia-lopez of Universitat Politecnica de Valencia: ask Jose."
    assert anonymise(quote, "José García-López", "Universitat Politècnica de València") == (
        "[name] of [organisation]: ask [name]."
    )


@pytest.mark.parametrize(
    "address",
    ["sample.person48@example.org", "https://example.org/sample-person-48", "www.sample.example"],
)
def test_the_anonymiser_never_replaces_inside_an_email_or_web_address(address):
    quote = f"Sample Person 48 wrote from {address} twice."
    assert anonymise(quote, "Sample Person 48", "") == f"[name] wrote from {address} twice."


# --------------------------------------------------------------------------- the validator
def _personal_problems(part) -> list[Problem]:
    return [p for p in part.report.problems if "interviewee's own" in p.message]


@pytest.mark.parametrize(
    ("person", "written", "kind", "message", "hint"),
    [
        (0, "+44 20 7946 0958", "phone", "the quote contains the interviewee's own phone number",
         "remove it or replace it by [phone]"),
        (0, "jose.garcia@UPV-valencia.example", "email",
         "the quote contains the interviewee's own e-mail", "remove it or replace it by [e-mail]"),
        (2, "+39 051 2099111", "phone", "the quote contains the interviewee's own phone number",
         "remove it or replace it by [phone]"),
    ],
)  # fmt: skip
def test_an_email_or_phone_in_the_quote_is_an_error_at_its_cell(
    tmp_path, person, written, kind, message, hint
):
    quote = f"Call me on {written} if you doubt it."
    part = _check(tmp_path, _person(person, quote=quote, consent_to_quote="yes"))
    shown = f"Call me on {MASKS[kind]} if you doubt it."  # the cell, masked
    assert _personal_problems(part) == [
        Problem("ALPHA.csv", 2, "quote", message, hint, "error", shown)
    ]
    text = part_to_json(part)
    assert written not in text and written.lower() not in text.lower()
    assert MASKS[kind] in part.rows[0]["quote"]


def test_a_quote_without_consent_is_checked_too(tmp_path):
    part = _check(tmp_path, _person(2, quote="My number is 051 209 9111, call any time."))
    assert [(p.row, p.column, p.value) for p in _personal_problems(part)] == [
        (2, "quote", "(not shown: no consent to quote)")
    ]


def test_the_own_name_and_organisation_in_a_quote_are_replaced_without_a_problem(tmp_path):
    quote = "At POLITECHNIKA LODZKA Lukasz Wrobel learnt licensing."
    part = _check(tmp_path, _person(1, quote=quote))
    assert _personal_problems(part) == []
    assert part.rows[0]["quote"] == "At [organisation] [name] learnt licensing."


def test_a_name_inside_an_email_address_of_the_quote_is_an_error(tmp_path):
    quote = "Write to lukasz.wrobel@elsewhere.example for the contract."
    part = _check(tmp_path, _person(1, quote=quote))
    problems = _personal_problems(part)
    assert [(p.column, p.severity) for p in problems] == [("quote", "error")]
    assert problems[0].message == (
        "the quote contains an e-mail or web address with the interviewee's own name"
    )
    assert "elsewhere" not in part_to_json(part)


def test_a_personal_value_in_another_cell_is_an_error_and_masked_everywhere(tmp_path):
    part = _check(tmp_path, _person(0, skills_required="negotiation; Jose Garcia Lopez"))
    problems = _personal_problems(part)
    assert [(p.column, p.message, p.hint) for p in problems] == [
        (
            "skills_required",
            "the skills_required cell contains the interviewee's own name",
            "remove it: personal data belongs only in the column 'name'",
        )
    ]
    text = part_to_json(part)  # problems (the unknown skill too) and the preview
    for secret in ("jose", "garcia", "lopez"):
        assert secret not in text.lower()
    assert "[name]" in text


def test_the_sample_data_quotes_are_replaced_as_before(raw_dir):
    """The two quotes of the sample that name their interviewee (checked by hand)."""
    results = {}
    for name in ("NETVAL.xlsx", "UH.csv"):
        part = check_partner_file(
            [raw_dir / "interviews" / name], "interviews", name.split(".")[0], None
        )
        assert _personal_problems(part) == [], name
        results[name] = {row["_row"]: row["quote"] for row in part.rows}
    assert results["NETVAL.xlsx"][7].startswith("My colleagues joke that '[name]' means ")
    assert results["UH.csv"][6].startswith("At [organisation] I was the only one who could")


# ----------------------------------------------------------------- property: no spelling leaks
def _no_accents(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@st.composite
def spelled_text(draw, value: str) -> str:
    if draw(st.booleans()):
        value = _no_accents(value)
    case = draw(st.sampled_from([str, str.upper, str.lower, str.title, str.swapcase]))
    value = case(value)
    gaps = st.sampled_from([" ", "  ", "\n", "\u00a0", " - ", "-"])
    words = value.replace("-", " ").split()
    return words[0] + "".join(draw(gaps) + word for word in words[1:])


@st.composite
def spelled_phone(draw, index: int) -> str:
    code, number, trunk = PHONES[index]
    prefix = draw(
        st.sampled_from([trunk, f"+{code} ", f"00{code} ", f"+{code}-", f"(+{code}) "]
                        + ([f"+{code} (0)"] if trunk else []))
    )  # fmt: skip
    separator = draw(st.sampled_from([" ", "-", ".", "/", ""]))
    groups, rest = [], number
    while rest:
        size = draw(st.integers(2, 4))
        groups.append(rest[:size])
        rest = rest[size:]
    return prefix + separator.join(groups)


@st.composite
def spelled_email(draw, value: str) -> str:
    if draw(st.booleans()) and "+" in value:
        local, domain = value.split("@")
        value = local.split("+")[0] + "@" + domain
    return draw(st.sampled_from([str, str.upper, str.lower]))(value)


@st.composite
def embedded(draw):
    """A person, the kind of value, the cell it is typed in and the cell's text."""
    index = draw(st.integers(0, len(PEOPLE) - 1))
    kind = draw(st.sampled_from(["name", "email", "organisation", "phone"]))
    if kind == "phone":
        written = draw(spelled_phone(index))
    elif kind == "email":
        written = draw(spelled_email(PEOPLE[index]["email"]))
    else:
        written = draw(spelled_text(PEOPLE[index][kind]))
    before = draw(st.sampled_from(["", "As ", "Ask", "(", "Contact: ", "I am"]))
    after = draw(st.sampled_from(["", ".", ", really", ")", " says so!"]))
    column = draw(st.sampled_from(["quote", "quote", "skills_required"]))
    gap = " " if before and before[-1].isalnum() else ""
    return index, kind, column, before + gap + written + after


_VALUES = guard_values.read_personal_values(RAW, root=RAW)
_NEEDLES = matching.needles_for(_VALUES, set())


@settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(embedded())
def test_no_spelling_of_a_personal_value_gets_past_the_validator_or_the_guard(tmp_path, case):
    index, kind, column, text = case
    row = index + 2
    # The guard finds the value wherever the text is published.
    found = {(leak.kind, leak.row) for leak in scan.scan_text(text, _NEEDLES, "out.html")}
    assert (kind, row) in found, text
    # The validator flags it at its cell, or (own name, organisation in the quote)
    # replaces it, so that the guard finds nothing of that person in the clean quote.
    part = _check(tmp_path, _person(index, **{column: text, "consent_to_quote": "yes"}))
    flagged = [(p.row, p.column) for p in _personal_problems(part)]
    if column == "quote" and kind in ("name", "organisation"):
        assert flagged == [], text
        assert MASKS[kind] in part.rows[0]["quote"]
    else:
        assert flagged == [(2, column)], text
    clean = part.rows[0]["quote"] or ""
    left = {(leak.kind, leak.row) for leak in scan.scan_text(clean, _NEEDLES, "out.html")}
    assert not {k for k, r in left if r == row}, clean
    # Nor does the part (problems and preview: the validation report) show it.
    shown = extract.json_text(part_to_json(part))
    assert (kind, row) not in {(x.kind, x.row) for x in scan.scan_text(shown, _NEEDLES, "p")}


# --------------------------------------------------------------------------- the fast paths
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_folding_with_origins_is_the_fold_and_points_back_into_the_text(text):
    """ASCII text takes a shorter way (one character for one); both ways must give ``fold``
    and origins that point at the character each folded one comes from."""
    from ktreport.ingest.personal import fold, folded_with_origin

    folded, origin = folded_with_origin(text)
    assert folded == fold(text)
    assert len(origin) == len(folded)
    assert list(origin) == sorted(origin)
    for char, index in zip(folded, origin, strict=True):
        if char != " ":
            assert 0 <= index < len(text)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("call +44 20 7946 0958 today", True),
        ("call (020) 7946-0958", True),
        ("2079460958", True),
        ("20794 60958x", True),
        ("no number here at all", False),
        ("20 7946 095", False),  # one digit short
        ("2079460958 1", True),
    ],
)
def test_a_phone_form_is_looked_for_only_where_its_digits_are(text, found):
    """The validator skips a phone form's expression when the text's digits do not hold it;
    what it finds is what the expression alone finds."""
    from ktreport.ingest.personal import Searchable, patterns_for

    forms = patterns_for("phone", "+44 20 7946 0958", "GB")
    spans = [span for form in forms for span in Searchable(text).spans(form)]
    alone = [m.span() for form in forms for m in form.regex.finditer(text)]
    assert bool(spans) == found
    assert bool(alone) == found


WRITTEN_PHONES = ["+44 20 7946 0958", "0512 099 111", "+39 051 2099111", "(030) 1234567"]
# Text around phone numbers: digits, every separator a phone may have, decimal points,
# commas, letters and line breaks (SVG paths and figure data are such texts).
PHONE_TEXT = st.lists(
    st.one_of(
        st.sampled_from(WRITTEN_PHONES),
        st.text(alphabet="0123456789 ().-/\u00a0,.\nMLx", max_size=25),
    ),
    max_size=8,
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PHONE_TEXT)
def test_a_phone_searched_in_the_texts_digit_runs_is_found_as_in_the_whole_text(text):
    """The guard tries a phone's expression only on the runs of digits that hold its digits
    (``needle_found`` with ``runs``): the same findings as over the whole text."""
    values = [
        guard_values.PersonalValue("phone", "interviews/X.csv", row, number, "GB")
        for row, number in enumerate(WRITTEN_PHONES, start=2)
    ]
    index = matching.NeedleIndex(matching.needles_for(values, set()))
    plain = guard_values.normalise(text)
    runs = index.digit_runs(text)
    for needles in index.groups.values():
        needle = needles[0]
        assert matching.needle_found(needle, text, plain, runs) == matching.needle_found(
            needle, text, plain
        ), (needle.digits, text)
    # The index, given the runs, rules out no needle the whole text holds.
    held = {n[0].source for n in index.groups.values() if matching.needle_found(n[0], text, plain)}
    offered = {group[0].source for group in index.candidates(text, plain, runs)}
    assert held <= offered
