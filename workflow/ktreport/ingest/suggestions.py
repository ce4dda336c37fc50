"""Stage 1, "did you mean …?": close matches for an unknown value, cached and bounded per file.

``difflib`` compares a value with every candidate; a file of 20 MB can hold a million
unknown skills (issue 17, finding 3), so a suggestion is computed once per distinct value
(``lru_cache`` on the folded value and the candidates) and for at most
``MAX_SUGGESTED_VALUES`` distinct values of one file: beyond them the problem is reported
without a suggestion. The count restarts when a file is read (``readers.read_table`` calls
``new_file``); it counts distinct values, cached or not, so a file gets the same hints
whether it is checked alone (a pipeline job) or after others (``ktreport validate``).
Standard library only.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterator
from functools import lru_cache

# Distinct unknown values of one file that get a "did you mean …?".
MAX_SUGGESTED_VALUES = 200

_seen: set[tuple[str, tuple[str, ...]]] = set()
_suspended = False


@contextlib.contextmanager
def suspended() -> Iterator[None]:
    """No suggestions while the problems found are only counted (``capped``), not listed."""
    global _suspended
    _suspended = True
    try:
        yield
    finally:
        _suspended = False


def is_suspended() -> bool:
    return _suspended


def new_file() -> None:
    """A new file is read: its first distinct values get suggestions again."""
    _seen.clear()


def close_matches(word: str, candidates: tuple[str, ...], n: int, cutoff: float) -> list[str]:
    """``difflib.get_close_matches`` of ``word`` among ``candidates`` (a sorted tuple), or []
    once the file has asked for ``MAX_SUGGESTED_VALUES`` distinct values."""
    if _suspended:
        return []
    key = (word, candidates)
    if key not in _seen:
        if len(_seen) >= MAX_SUGGESTED_VALUES:
            return []
        _seen.add(key)
    return list(_cached_matches(word, candidates, n, cutoff))


@lru_cache(maxsize=8192)
def _cached_matches(
    word: str, candidates: tuple[str, ...], n: int, cutoff: float
) -> tuple[str, ...]:
    return tuple(difflib.get_close_matches(word, candidates, n=n, cutoff=cutoff))
