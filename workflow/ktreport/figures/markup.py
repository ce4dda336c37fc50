"""Stage 3, figures: text from the data made literal for plotly.

Plotly reads every text it draws (ticks, hover, annotations, legend, titles) as its
pseudo-HTML: ``<a href=…>`` becomes a live link, ``<span style=…>`` restyles the text,
``&lt;`` an entity. A skill's label from skills_taxonomy.csv, a programme's name, any text
a file holds must be drawn as typed, so ``build_figures`` gives the builders frames and
key figures whose text is escaped here (``plotly_text``), and takes the escaping off the
title, caption and alt text it hands to the report (``report_text``), which escapes for
Markdown and HTML itself. The builders' own markup (``<br>``, ``<extra>``) stays markup.

Only ``<``, ``>`` and an ``&`` that would start an entity are escaped: "R&D contracts"
is drawn the same either way, and the sample's figures stay byte for byte as before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # frames come in from the caller; no pandas import needed here
    import pandas as pd

# An "&" that plotly would read as an entity (&lt; &#60; &#x3c; &amp; …).
_ENTITY_START = re.compile(r"&(?=#\d+;|#x[0-9a-fA-F]+;|[a-zA-Z]+;)")
_ESCAPES = {"<": "&lt;", ">": "&gt;"}
_ESCAPED = re.compile(r"&(lt|gt|amp);")
_UNESCAPE = {"lt": "<", "gt": ">", "amp": "&"}
# The columns of the aggregates whose text comes from a file (the taxonomy, the partners'
# tables), not from the contract: the builders match contract values ("longer (> 120 h)")
# against the other columns, which must stay as they are. A "label" is a skill's label
# in a table of skills (elsewhere it is the contract's label of a category).
FREE_TEXT = frozenset({"cluster", "framework", "programme", "provider", "skills", "quote"})


def plotly_text(text: str) -> str:
    """``text`` as plotly draws it literally: ``<a href=x>`` → ``&lt;a href=x&gt;``."""
    text = _ENTITY_START.sub("&amp;", text)
    return re.sub("[<>]", lambda match: _ESCAPES[match.group()], text)


def report_text(text: str) -> str:
    """The inverse of ``plotly_text`` (for a caption written from escaped labels)."""
    return _ESCAPED.sub(lambda match: _UNESCAPE[match.group(1)], text)


def _escaped(value: Any) -> Any:
    return plotly_text(value) if isinstance(value, str) else value


def plotly_frames(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The text of ``frames`` that comes from a file (``FREE_TEXT``, a skill's label)
    escaped for plotly; contract values and numbers untouched."""
    escaped = {}
    for name, frame in frames.items():
        free = FREE_TEXT | ({"label"} if "skill_id" in frame.columns else set())
        changed = {
            column: frame[column].map(_escaped)
            for column in frame.columns
            if column in free and frame[column].dtype.kind in "OSU"  # text, not numbers
        }
        escaped[name] = frame.assign(**changed) if changed else frame
    return escaped


def plotly_values(value: Any) -> Any:
    """Key figures (nested dicts and lists) with every string escaped for plotly."""
    if isinstance(value, Mapping):
        return {key: plotly_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plotly_values(item) for item in value]
    return _escaped(value)
