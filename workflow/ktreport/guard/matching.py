"""Stage 5, the guard: how a personal value is searched for in an output's text.

Each value becomes one or more needles (``needles_for``): text is compared ignoring case
and runs of white space, whole words only; phone numbers by their digits (with or without
the country code). Values shorter than ``MIN_VALUE_CHARS`` are not searched, nor values
that are also public names. ``NeedleIndex`` rules out, per file, the needles its text
cannot contain, so a file is tried only against the few that may match.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from ktreport.guard.values import PersonalValue, digits, normalise

# Shorter values match ordinary words ("Li", "ACME" is 4): they are not searched.
MIN_VALUE_CHARS = 4
# Fewer digits than this cannot be told apart from other numbers of the report.
MIN_PHONE_DIGITS = 7
# A quote shorter than this ("Yes.", "Exactly") is not distinctive enough to search.
MIN_QUOTE_CHARS = 20


@dataclass(frozen=True)
class Needle:
    value: PersonalValue
    literal: str  # a fast substring test before the regular expression ("" for phones)
    source: str  # the regular expression
    n_digits: int = 0  # phones: digits of the number searched
    digits: str = ""  # phones: the number searched, digits only

    @property
    def pattern(self) -> re.Pattern[str]:
        """Compiled on first use: most values are never tried on any file (the index rules
        them out), and compiling all 38,000 patterns of 100x the sample took 8 s."""
        return _compile(self.source)


_compile = functools.cache(re.compile)


def _phone_variants(text: str) -> list[str]:
    """The digits of a phone number, and the same without its international prefix."""
    number = digits(text)
    variants = {number}
    international = text.strip().startswith(("+", "00"))
    if number.startswith("00"):
        number = number[2:]
        variants.add(number)
    if international:
        for cut in (1, 2, 3):  # country codes have 1 to 3 digits
            national = number[cut:]
            variants.update({national, "0" + national})
    return sorted(v for v in variants if len(v) >= MIN_PHONE_DIGITS)


# Between the digits of a phone number: spaces, dots, dashes, slashes, brackets (no line
# break: numbers of adjacent table cells or JSON values are separated by line breaks).
PHONE_SEPARATORS = "[ ().\\-/\u00a0]{0,3}"


def is_phone_match(match: re.Match[str], n_digits: int) -> bool:
    """Not a decimal number ("0.0000001") nor a run of one-digit table cells ("1 0 0 1 …")."""
    text = match.group(0)
    separators = re.findall(r"[^0-9]+", text)
    if separators == ["."] or separators == [","]:
        return False
    return len(separators) * 2 <= n_digits


def needles_for(values: Iterable[PersonalValue], exempt: set[str]) -> list[Needle]:
    """The needles of ``values``, except those too short or equal to a name of ``exempt``."""
    needles: list[Needle] = []
    for value in values:
        if value.kind == "phone":
            for variant in _phone_variants(value.value):
                separated = PHONE_SEPARATORS.join(variant)
                # Not inside a longer number, nor the decimals of one ("0.0512099111"; a comma
                # may separate CSV fields, so "1,0512099111" is searched).
                source = r"(?<!\d)(?<!\d\.)" + separated + r"(?!\d)"
                needles.append(Needle(value, "", source, len(variant), variant))
            continue
        text = normalise(value.value)
        shortest = MIN_QUOTE_CHARS if value.kind == "quote" else MIN_VALUE_CHARS
        if len(text) < shortest or text in exempt:
            continue
        needles.append(Needle(value, text, r"(?<!\w)" + re.escape(text) + r"(?!\w)"))
    return needles


def needle_found(needle: Needle, text: str, plain: str) -> bool:
    """Whether ``needle`` is in ``text`` (``plain``: the same, ``normalise``d)."""
    if needle.literal:
        return needle.literal in plain and needle.pattern.search(plain) is not None
    matches = needle.pattern.finditer(text)
    return any(is_phone_match(m, needle.n_digits) for m in matches)


_NON_DIGITS = re.compile(r"[^0-9]+")
_WORD = re.compile(r"\w+")
# A run of digits with at most three separators between neighbours: every phone pattern
# match lies inside one such run.
_DIGIT_RUN = re.compile(r"[0-9](?:" + PHONE_SEPARATORS + r"[0-9])*")


class NeedleIndex:
    """The needles, indexed so that a file's text is tested only against the needles it can
    contain. Each test is a necessary condition of a match, so the findings are the same as
    matching every needle, and the cost no longer grows with needles x text: at 10x the
    sample (2,180 values, 196 files) matching every needle took 60 % of the guard's time.

    - text needles: each maximal word (``\\w+``) of the value is a maximal word of any text
      the pattern ``(?<!\\w)value(?!\\w)`` matches, and neighbouring words of the value are
      neighbouring words of the text, so a value is tried only when its longest word is one
      of the text's words, then only when all its words and pairs of neighbours are;
    - phones: the digits of a match are consecutive digits of one run of digits and
      separators, so a number is tried only when it is a substring of such a run's digits.
    """

    def __init__(self, needles: Sequence[Needle]):
        # Needles with the same pattern (equal values of many interviewees) are tried once
        # per file: at 100x the sample 21,800 values have far fewer distinct patterns.
        self.groups: dict[str, list[Needle]] = {}
        for needle in needles:
            self.groups.setdefault(needle.source, []).append(needle)
        self.by_word: dict[str, list[str]] = {}
        self.words: dict[str, frozenset[str]] = {}
        self.pairs: dict[str, frozenset[tuple[str, str]]] = {}
        self.always: list[str] = []  # values without a word character
        self.phones: list[str] = []
        for pattern, group in self.groups.items():
            needle = group[0]
            if not needle.literal:
                self.phones.append(pattern)
                continue
            words = _WORD.findall(needle.literal)
            self.words[pattern] = frozenset(words)
            self.pairs[pattern] = frozenset(pairwise(words))
            if words:
                self.by_word.setdefault(max(words, key=len), []).append(pattern)
            else:
                self.always.append(pattern)
        self.phone_lengths = sorted({len(self.groups[p][0].digits) for p in self.phones})

    def candidates(self, text: str, plain: str) -> list[list[Needle]]:
        """Groups of needles (one pattern each) that the text may contain."""
        tokens = _WORD.findall(plain)
        words = set(tokens)
        pairs: set[tuple[str, str]] | None = None  # neighbouring words, made when needed
        found = list(self.always)
        for word in words & self.by_word.keys():
            for p in self.by_word[word]:
                if not self.words[p] <= words:
                    continue
                if self.pairs[p]:
                    if pairs is None:
                        pairs = set(pairwise(tokens))
                    if not self.pairs[p] <= pairs:
                        continue
                found.append(p)
        if self.phones:
            numbers = self._digit_substrings(text)
            found.extend(p for p in self.phones if self.groups[p][0].digits in numbers)
        return [self.groups[p] for p in found]

    def _digit_substrings(self, text: str) -> set[str]:
        shortest = self.phone_lengths[0]
        substrings: set[str] = set()
        for run in _DIGIT_RUN.finditer(text):
            number = _NON_DIGITS.sub("", run.group(0))
            if len(number) < shortest:
                continue
            for length in self.phone_lengths:
                substrings.update(number[i : i + length] for i in range(len(number) - length + 1))
        return substrings
