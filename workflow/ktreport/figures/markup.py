"""Stage 3, figures: text from the data made literal for plotly.

Plotly reads every text it draws (ticks, hover, annotations, legend, titles) as its
pseudo-HTML: ``<a href=…>`` becomes a live link, ``<span style=…>`` restyles the text,
``&lt;`` an entity. A skill's label from skills_taxonomy.csv, a partner's name, anything
the data holds must be drawn as typed, so ``build_figures`` gives the builders frames and
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
    """Every text cell of ``frames`` escaped for plotly (numbers untouched)."""
    escaped = {}
    for name, frame in frames.items():
        changed = {
            column: frame[column].map(_escaped)
            for column in frame.columns
            if frame[column].dtype.kind in "OSU"  # text (object, str): not numbers
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
