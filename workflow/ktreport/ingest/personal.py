"""Stage 1, shared with the guard: how an interviewee's own values are recognised in text.

One matching for the three places that look for a person's name, e-mail, organisation or
phone: the validator (a quote or another cell of the interviewee's row holding them:
``personal_row``), the anonymiser (their name and organisation in a quote become "[name]"
and "[organisation]") and the guard over every output (``guard.matching``, stage 5), so
that what the validator lets through is what the guard accepts.

- Text (names, organisations, e-mails, quotes given without consent) is compared ``fold``ed:
  compatibility forms, no accents (NFKD without combining marks; ł, ø, đ, æ ... spelled in
  Latin letters), no case, any run of spaces, punctuation or symbols as one space; whole
  words only. "José García-López" is found as "JOSE garcia lopez".
- An e-mail is also found without its "+tag" ("anna+kt@x.example" as "anna@x.example").
- A phone number is compared by its digits, in each form it can be written in
  (``phone_forms``): national with the trunk prefix ("020 7946 0958"), international
  ("+44 20 7946 0958", "0044 ...", "+44 (0)20 ...") and bare ("20 7946 0958"). The calling
  code comes from the number itself or from the interviewee's country (``phonenumbers``).
  Spaces, dots, dashes, slashes or brackets may stand between the digits; a match is never
  part of a longer number nor the decimals of one.

Values too short to identify anybody are not searched (``MIN_VALUE_CHARS``,
``MIN_PHONE_DIGITS``, ``MIN_QUOTE_CHARS``). Standard library only, but for phonenumbers,
imported with the first phone number (the per-file jobs start without it).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Shorter values match ordinary words ("Li"; "ACME" is 4): they are not searched.
MIN_VALUE_CHARS = 4
# Fewer digits than this cannot be told apart from other numbers of the report.
MIN_PHONE_DIGITS = 7
# A quote shorter than this ("Yes.", "Exactly") is not distinctive enough to search.
MIN_QUOTE_CHARS = 20

# What replaces a personal value in text a partner or reader sees.
MASKS = {
    "name": "[name]",
    "email": "[e-mail]",
    "organisation": "[organisation]",
    "phone": "[phone]",
}

# Latin letters that have no accent to drop (NFKD leaves them), as they are spelled without.
_LATIN = {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t"}
_LATIN |= {"æ": "ae", "œ": "oe", "þ": "th", "ĸ": "k", "ŋ": "n"}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_SEPARATORS = re.compile(r"[\W_]+")
_TOKEN = re.compile(r"[^\W_]+")


@functools.cache
def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(_LATIN.get(c, c) for c in plain.casefold())


def _fold_run(match: re.Match[str]) -> str:
    return "".join(map(_fold_char, match.group(0)))


def fold(text: str) -> str:
    """Text as it is compared: no accents, no case, words separated by one space."""
    if not text.isascii():
        text = _NON_ASCII.sub(_fold_run, text)
    return _SEPARATORS.sub(" ", text.casefold()).strip()


# Cached: the validator folds each cell once per check of its row, and again to mask it;
# most cells repeat (groups, countries, the same skills). At 100x the sample this function
# was a third of `ktreport validate`'s time.
@functools.lru_cache(maxsize=1 << 16)
def folded_with_origin(text: str) -> tuple[str, tuple[int, ...]]:
    """``fold(text)`` and, for each of its characters, the index in ``text`` it comes from
    (the space between two words: the first character of the next word)."""
    if text.isascii():  # one character for one (casefold is lower() in ASCII)
        mapped: str = text.lower()
        origin: Sequence[int] = range(len(text))
    else:
        chars: list[str] = []
        indexes: list[int] = []
        for index, ch in enumerate(text):
            for c in (ch if ch.isascii() else _fold_char(ch)).casefold():
                chars.append(c)
                indexes.append(index)
        mapped, origin = "".join(chars), indexes
    out: list[str] = []
    out_origin: list[int] = []
    for token in _TOKEN.finditer(mapped):
        if out:
            out.append(" ")
            out_origin.append(origin[token.start()])
        out.append(token.group(0))
        out_origin.extend(origin[token.start() : token.end()])
    return "".join(out), tuple(out_origin)


_NOT_DIGITS = re.compile(r"[^0-9]+")


def digits(text: str) -> str:
    """The ASCII digits of ``text``, in order."""
    return _NOT_DIGITS.sub("", text)


# Between the digits of a phone number: spaces, dots, dashes, slashes, brackets (no line
# break: numbers of adjacent table cells or JSON values are separated by line breaks).
PHONE_SEPARATORS = "[ ().\\-/\u00a0]{0,3}"


def _typed_forms(text: str) -> set[str]:
    """The digits as typed, and the same without an international prefix of 1 to 3 digits
    (with and without a trunk 0): numbers that no library can read ("+00 000 0023")."""
    number = digits(text)
    forms = {number}
    international = text.strip().startswith(("+", "00"))
    if number.startswith("00"):
        number = number[2:]
        forms.add(number)
    if international:
        for cut in (1, 2, 3):  # country codes have 1 to 3 digits
            national = number[cut:]
            forms.update({national, "0" + national})
    return forms


def _library_forms(text: str, region: str) -> set[str]:
    """The forms of a number ``phonenumbers`` can read, the calling code taken from the
    number ("+44 ...", "0044 ...") or from ``region`` (ISO alpha-2) for a national one."""
    import phonenumbers  # here: 0.4 s to import, needed only for phone numbers

    written = text.strip()
    if written.startswith("00"):
        written = "+" + written[2:]
    try:
        number = phonenumbers.parse(written, region.upper() or None)
    except phonenumbers.NumberParseException:
        return set()
    code = str(number.country_code)
    significant = phonenumbers.national_significant_number(number)
    national = digits(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
    forms = {significant, national, code + significant, "00" + code + significant}
    if national != significant:  # a trunk prefix, also written "+44 (0)20 ..."
        forms.update({code + national, "00" + code + national})
    return forms


@functools.lru_cache(maxsize=65536)
def phone_forms(text: str, region: str = "") -> tuple[str, ...]:
    """Every digit string ``text`` (a phone number) may be written as, sorted; none for a
    number of fewer than ``MIN_PHONE_DIGITS`` digits."""
    if len(digits(text)) < MIN_PHONE_DIGITS:
        return ()
    forms = _typed_forms(text) | _library_forms(text, region)
    return tuple(sorted(f for f in forms if len(f) >= MIN_PHONE_DIGITS))


def email_forms(text: str) -> tuple[str, ...]:
    """An e-mail address, folded, and the same mailbox without its "+tag"."""
    forms = [fold(text)]
    local, at, domain = text.strip().rpartition("@")
    if at and "+" in local:
        forms.append(fold(local.split("+", 1)[0] + "@" + domain))
    return tuple(dict.fromkeys(f for f in forms if f))


def is_phone_match(match: re.Match[str], n_digits: int) -> bool:
    """Not a decimal number ("0.0000001") nor a run of one-digit table cells ("1 0 0 1 …")."""
    text = match.group(0)
    separators = re.findall(r"[^0-9]+", text)
    if separators == ["."] or separators == [","]:
        return False
    return len(separators) * 2 <= n_digits


_compile = functools.cache(re.compile)


@dataclass(frozen=True)
class Pattern:
    """One way a personal value is searched: folded text in folded text, or a phone form
    (digits) in the text as it is."""

    kind: str  # name, email, organisation, phone or quote
    literal: str  # the folded text (a fast substring test first); "" for a phone
    source: str  # the regular expression
    digits: str = ""  # a phone: the form searched, digits only

    @property
    def regex(self) -> re.Pattern[str]:
        """Compiled on first use (most patterns are never tried on any text)."""
        return _compile(self.source)

    def found(
        self, text: str, folded: str, within: Sequence[tuple[int, int]] | None = None
    ) -> bool:
        """Whether the value is in ``text`` (``folded``: ``fold(text)``). ``within``: for a
        phone, the (start, end) spans of ``text`` its match can lie in (default: all of it);
        searching from a span's start still sees the text before it (the lookbehinds)."""
        if self.literal:
            return self.literal in folded and self.regex.search(folded) is not None
        spans = ((0, len(text)),) if within is None else within
        return any(
            is_phone_match(m, len(self.digits))
            for start, end in spans
            for m in self.regex.finditer(text, start, end)
        )


def _text_pattern(kind: str, literal: str) -> Pattern:
    return Pattern(kind, literal, r"(?<!\w)" + re.escape(literal) + r"(?!\w)")


def _phone_pattern(form: str) -> Pattern:
    # Not inside a longer number, nor the decimals of one ("0.0512099111"; a comma may
    # separate CSV fields, so "1,0512099111" is searched).
    source = r"(?<!\d)(?<!\d\.)" + PHONE_SEPARATORS.join(form) + r"(?!\d)"
    return Pattern("phone", "", source, form)


def patterns_for(kind: str, value: str, region: str = "") -> list[Pattern]:
    """How the personal value ``value`` of ``kind`` is searched (none when too short);
    ``region``: the interviewee's country (ISO alpha-2), for a national phone number."""
    if kind == "phone":
        return [_phone_pattern(form) for form in phone_forms(value, region)]
    shortest = MIN_QUOTE_CHARS if kind == "quote" else MIN_VALUE_CHARS
    literals = email_forms(value) if kind == "email" else (fold(value),)
    return [_text_pattern(kind, text) for text in literals if len(text) >= shortest]


class Searchable:
    """One text prepared for searching, with the spans of what is found in it."""

    def __init__(self, text: str):
        self.text = text
        self.folded, self._origin = folded_with_origin(text)
        self._digits: str | None = None

    def spans(self, pattern: Pattern) -> list[tuple[int, int]]:
        """Where ``pattern`` matches, as (start, end) in the text."""
        if not pattern.literal:
            # A phone form matches digits of the text with only separators between them:
            # none where the text's digits do not hold the form (most cells have no digit;
            # the expression, compiled for every interviewee, is then never needed).
            if self._digits is None:
                self._digits = digits(self.text)
            if pattern.digits not in self._digits:
                return []
            return [
                self._phone_span(*m.span())
                for m in pattern.regex.finditer(self.text)
                if is_phone_match(m, len(pattern.digits))
            ]
        if pattern.literal not in self.folded:
            return []
        return [self._span(*m.span()) for m in pattern.regex.finditer(self.folded)]

    def word_spans(self, word: str) -> list[tuple[int, int]]:
        """Where the folded ``word`` (one or more words) stands as whole words."""
        return self.spans(_text_pattern("name", word)) if word else []

    def _phone_span(self, start: int, end: int) -> tuple[int, int]:
        """A phone number's match with the "+" and the opening bracket before its first
        digit ("(+44) 20 ...", "(020) ...")."""
        if start > 0 and self.text[start - 1] == "+":
            start -= 1
        if start > 0 and self.text[start - 1] == "(" and ")" in self.text[start:end]:
            start -= 1
        return start, end

    def _span(self, start: int, end: int) -> tuple[int, int]:
        first, last = self._origin[start], self._origin[end - 1] + 1
        while last < len(self.text) and unicodedata.combining(self.text[last]):
            last += 1
        return first, last
