"""Stage 1, one-file checks: an interviewee's own values in the other cells of their row.

The interviews files hold each interviewee's name, e-mail, organisation and phone in
personal columns, which cleaning drops. When the same values stand in another cell, they
are found with the guard's matching (``personal``: blind to accents, case, spacing and the
way a phone number is written) and:

- the interviewee's own name (and each part of it of three letters or more) and
  organisation in the quote are replaced by "[name]" and "[organisation]" (``anonymise``),
  never inside an e-mail or web address: that is what a quote may hold, and the report shows
  it so;
- their own e-mail or phone number in the quote, an e-mail or web address in the quote
  that holds their name or organisation, and any of their values in another cell are
  errors at that cell: only the partner can tell what to write instead;
- what the partner sees of the row (the preview of the validation report, the problems'
  messages) shows each such value masked ("[e-mail]", "[phone]"...), never the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ktreport.core.problems import Problem
from ktreport.ingest.personal import MASKS, Pattern, Searchable, fold, patterns_for

KINDS = ("name", "email", "organisation", "phone")
# What a message calls each kind of value.
LABELS = {"name": "name", "email": "e-mail", "organisation": "organisation"}
LABELS["phone"] = "phone number"
# An e-mail or web address: nothing inside it is replaced, it stays whole or goes whole.
ADDRESS = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"']+|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.IGNORECASE
)
# Name parts shorter than this are left alone (they would mask ordinary words: "Al", "Li").
MIN_NAME_PART = 3

# A quote without consent is shown nowhere, not even to its partner.
NOT_SHOWN = "(not shown: no consent to quote)"

Span = tuple[int, int]


def _choose(candidates: Iterable[tuple[int, Span, str]], avoid: Iterable[Span] = ()) -> list:
    """Non-overlapping (span, mask) of ``candidates`` (priority, span, mask): lower priority
    first, then longer first; none overlapping a span of ``avoid``."""
    taken: list[Span] = list(avoid)
    chosen: list[tuple[Span, str]] = []
    for _, span, mask in sorted(candidates, key=lambda c: (c[0], c[1][0] - c[1][1], c[1])):
        if all(span[1] <= a or span[0] >= b for a, b in taken):
            taken.append(span)
            chosen.append((span, mask))
    return sorted(chosen)


def _replace(text: str, chosen: list[tuple[Span, str]]) -> str:
    out, at = [], 0
    for (start, end), mask in chosen:
        out += [text[at:start], mask]
        at = end
    out.append(text[at:])
    return "".join(out)


def _name_words(name: str, organisation: str) -> list[tuple[str, str]]:
    """(folded words, mask) the quote's anonymisation replaces: the organisation, the
    name, and each part of the name of three letters or more with a letter in it."""
    words = [(fold(organisation), MASKS["organisation"]), (fold(name), MASKS["name"])]
    for part in fold(name).split():
        if len(part) >= MIN_NAME_PART and any(ch.isalpha() for ch in part):
            words.append((part, MASKS["name"]))
    return [(w, mask) for w, mask in words if w]


def _addresses(text: str) -> list[Span]:
    return [m.span() for m in ADDRESS.finditer(text)]


def anonymise(quote: str, name: str, organisation: str) -> str:
    """The quote with the interviewee's name, name parts (>= 3 letters) and organisation
    replaced by "[name]" / "[organisation]", in any spelling, never inside an e-mail or web
    address."""
    target = Searchable(quote)
    candidates = [
        (0, span, mask)
        for words, mask in _name_words(name, organisation)
        for span in target.word_spans(words)
    ]
    return _replace(quote, _choose(candidates, avoid=_addresses(quote)))


@dataclass
class PersonalRow:
    """The personal values of one interviews row, as the validator searches them."""

    name: str
    organisation: str
    patterns: dict[str, list[Pattern]]

    @classmethod
    def of(cls, cells: Mapping[str, str], region: str = "") -> PersonalRow:
        patterns = {kind: patterns_for(kind, cells.get(kind, ""), region) for kind in KINDS}
        return cls(cells.get("name", ""), cells.get("organisation", ""), patterns)

    @property
    def empty(self) -> bool:
        return not (self.name or self.organisation or any(self.patterns.values()))

    def _found(self, target: Searchable, kinds: Iterable[str]) -> list[tuple[str, Span]]:
        """(kind, span) of each own value in the text; a name or organisation inside the
        interviewee's own e-mail address ("anna.bianchi@...") counts as the e-mail only."""
        found = [
            (kind, span)
            for kind in kinds
            for pattern in self.patterns[kind]
            for span in target.spans(pattern)
        ]
        emails = [span for kind, span in found if kind == "email"]
        return [
            (kind, (start, end))
            for kind, (start, end) in found
            if kind in ("email", "phone") or not any(a < end and start < b for a, b in emails)
        ]

    def _named_addresses(self, target: Searchable, own: list[Span]) -> list[tuple[str, Span]]:
        """E-mail and web addresses of the text (other than the interviewee's own e-mail)
        that hold their name, a part of it, or their organisation."""
        found = []
        for start, end in _addresses(target.text):
            if any(a < end and start < b for a, b in own):
                continue
            inside = Searchable(target.text[start:end])
            for words, mask in _name_words(self.name, self.organisation):
                if inside.word_spans(words):
                    kind = "organisation" if mask == MASKS["organisation"] else "name"
                    found.append((kind, (start, end)))
                    break
        return found

    def redact(self, text: str, column: str) -> str:
        """``text`` (a cell of ``column``, or a message about it) as the partner and the
        report may see it: every value flagged or replaced masked."""
        if self.empty or not text:
            return text
        target = Searchable(text)
        found = self._found(target, KINDS)
        candidates = [(0 if kind != "name" else 1, span, MASKS[kind]) for kind, span in found]
        if column == "quote":
            own = [span for kind, span in found if kind == "email"]
            for _, (start, end) in self._named_addresses(target, own):
                mask = MASKS["email"] if "@" in text[start:end] else "[web address]"
                candidates.append((0, (start, end), mask))
            candidates += [
                (2, span, mask)
                for words, mask in _name_words(self.name, self.organisation)
                for span in target.word_spans(words)
            ]
        return _replace(text, _choose(candidates))

    def problems(
        self, display: str, row: int, cells: Mapping[str, str], hidden: Iterable[str] = ()
    ) -> list[Problem]:
        """An error for each kind of the interviewee's own values in a cell of ``cells``,
        with the cell masked as its value (``hidden`` columns: not shown at all)."""
        if self.empty:
            return []
        problems = []
        for column, text in cells.items():
            if not text:
                continue
            target = Searchable(text)
            found = self._found(target, KINDS)
            kinds = dict.fromkeys(kind for kind, _ in found)
            if column == "quote":
                own = [span for kind, span in found if kind == "email"]
                named = self._named_addresses(target, own)
                messages = [
                    (
                        f"the quote contains the interviewee's own {LABELS[kind]}",
                        f"remove it or replace it by {MASKS[kind]}",
                    )
                    for kind in ("email", "phone")
                    if kind in kinds
                ]
                if named:
                    messages.append(
                        (
                            "the quote contains an e-mail or web address with the "
                            f"interviewee's own {LABELS[named[0][0]]}",
                            f"remove the address or replace it by {MASKS['email']}",
                        )
                    )
            else:
                messages = [
                    (
                        f"the {column} cell contains the interviewee's own {LABELS[kind]}",
                        f"remove it: personal data belongs only in the column '{kind}'",
                    )
                    for kind in KINDS
                    if kind in kinds
                ]
            value = NOT_SHOWN if column in hidden else self.redact(text, column)
            problems += [Problem(display, row, column, m, h, "error", value) for m, h in messages]
        return problems

    def redact_problem(self, problem: Problem) -> Problem:
        column = problem.column or ""
        return replace(
            problem,
            message=self.redact(problem.message, column),
            hint=self.redact(problem.hint, column),
            value=self.redact(problem.value, column),
        )


def settle_personal(
    display: str,
    row: int,
    cells: Mapping[str, str],
    typed: dict[str, Any],
    shown: dict[str, tuple[str, str]],
    problems: list[Problem],
    start: int,
    personal_columns: Iterable[str],
) -> None:
    """The personal part of checking one interviews row, in place: the quote anonymised and
    kept only with consent, the interviewee's own values in other cells reported (errors
    appended to ``problems``) and masked in ``shown``, the quote and the row's problems (those
    of ``problems`` from ``start`` on)."""
    personal = set(personal_columns)
    person = PersonalRow.of(cells, str(typed.get("country") or ""))
    free = {c: cells.get(c, "") for c in shown if c not in personal}
    consent = bool(typed.get("consent_to_quote"))
    problems[start:] = [person.redact_problem(p) for p in problems[start:]]
    problems.extend(person.problems(display, row, free, () if consent else ("quote",)))
    for column, (text, understood) in shown.items():
        if column != "quote":
            shown[column] = (person.redact(text, column), person.redact(understood, column))
    quote = typed.get("quote") or ""
    anonymous = person.redact(quote, "quote") if quote else ""
    typed["has_quote"] = bool(quote)
    typed["quote"] = anonymous if (quote and consent) else None
    if "quote" in shown:
        # Without consent the quote is not shown anywhere, not even to its partner.
        if consent or not quote:
            shown["quote"] = (anonymous, anonymous)
        else:
            shown["quote"] = (NOT_SHOWN, "not used")
