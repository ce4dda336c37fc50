"""Stage 5, the guard: how a personal value is searched for in an output's text.

The matching is the validator's (``ingest.personal``), so that what the validator lets
through is what the guard accepts: each value becomes one or more needles
(``needles_for``); text is compared ``fold``ed (no accents, no case, any run of spaces or
punctuation as one space), whole words only; e-mails also without their "+tag"; phone
numbers by their digits, in every national and international form (the calling code from
the number or the interviewee's country). Values too short to identify anybody are not
searched, nor values that are also public names. ``NeedleIndex`` rules out, per file, the
needles its text cannot contain, so a file is tried only against the few that may match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from ktreport.guard.values import PersonalValue
from ktreport.ingest.personal import (
    MIN_PHONE_DIGITS,
    MIN_QUOTE_CHARS,
    MIN_VALUE_CHARS,
    PHONE_SEPARATORS,
    Pattern,
    digits,
    is_phone_match,
    patterns_for,
)

__all__ = [
    "MIN_PHONE_DIGITS",
    "MIN_QUOTE_CHARS",
    "MIN_VALUE_CHARS",
    "Needle",
    "NeedleIndex",
    "is_phone_match",
    "needle_found",
    "needles_for",
]


@dataclass(frozen=True)
class Needle:
    """One way one personal value is searched (``Pattern``), with the value it stands for."""

    value: PersonalValue
    search: Pattern

    @property
    def literal(self) -> str:  # a fast substring test before the regular expression
        return self.search.literal

    @property
    def source(self) -> str:  # the regular expression
        return self.search.source

    @property
    def digits(self) -> str:  # phones: the form searched, digits only ("" for text)
        return self.search.digits

    @property
    def n_digits(self) -> int:
        return len(self.search.digits)

    @property
    def pattern(self) -> re.Pattern[str]:
        """Compiled on first use: most values are never tried on any file (the index rules
        them out), and compiling all 38,000 patterns of 100x the sample took 8 s."""
        return self.search.regex


def needles_for(values: Iterable[PersonalValue], exempt: set[str]) -> list[Needle]:
    """The needles of ``values``, except those too short or equal to a name of ``exempt``
    (names ``fold``ed)."""
    return [
        Needle(value, search)
        for value in values
        for search in patterns_for(value.kind, value.value, value.region)
        if not search.literal or search.literal not in exempt
    ]


# A run of digits in a text: where it starts and ends, and its digits.
Run = tuple[int, int, str]


def needle_found(needle: Needle, text: str, plain: str, runs: Sequence[Run] | None = None) -> bool:
    """Whether ``needle`` is in ``text`` (``plain``: the same, ``fold``ed).

    ``runs``: the text's runs of digits (``digit_runs``). A phone's match lies inside one
    run, so its expression is tried only on the runs whose digits hold its own, not over
    the whole text (SVG paths and figure data are long runs of digits and separators); a
    run ends before a character that is no digit, as the end of the text is.
    """
    if needle.literal or runs is None:
        return needle.search.found(text, plain)
    within = [(start, end) for start, end, held in runs if needle.digits in held]
    return needle.search.found(text, plain, within)


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
        # Phones by the digits searched: a file's digit substrings are looked up here, not
        # every phone tried against them (6,000 phones x 425 files at 100x the sample).
        self.by_digits: dict[str, list[str]] = {}
        for pattern in self.phones:
            self.by_digits.setdefault(self.groups[pattern][0].digits, []).append(pattern)
        self.phone_lengths = sorted({len(digits) for digits in self.by_digits})

    def candidates(
        self, text: str, plain: str, runs: Sequence[Run] | None = None
    ) -> list[list[Needle]]:
        """Groups of needles (one pattern each) that the text may contain (``runs``: its
        ``digit_runs``, found here when not given)."""
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
            numbers = self._digit_substrings(self.digit_runs(text) if runs is None else runs)
            for digits in numbers & self.by_digits.keys():
                found.extend(self.by_digits[digits])
        return [self.groups[p] for p in found]

    def digit_runs(self, text: str) -> list[Run]:
        """The runs of digits and separators of ``text`` that hold as many digits as the
        shortest phone searched (none when no phone is searched)."""
        if not self.phones:
            return []
        shortest = self.phone_lengths[0]
        runs = []
        for run in _DIGIT_RUN.finditer(text):
            number = digits(run.group(0))
            if len(number) >= shortest:
                runs.append((run.start(), run.end(), number))
        return runs

    def _digit_substrings(self, runs: Sequence[Run]) -> set[str]:
        substrings: set[str] = set()
        for _, _, number in runs:
            for length in self.phone_lengths:
                substrings.update(number[i : i + length] for i in range(len(number) - length + 1))
        return substrings
