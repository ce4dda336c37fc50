"""What a report's HTML says, apart from how an engine spells its markup: the headings and
their numbers, the figure and table captions, the ids and the in-page link targets, the
key figures in the text (key, text, hover provenance), the interactive charts, the front
matter and the notices. Two HTML files mean the same report when these are equal
(tests/test_quarto_parity.py compares the pandoc and the Quarto route with it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

_SPACE = re.compile(r"\s+")
_HEADINGS = ("h1", "h2", "h3")
# Elements whose text is collected while they are open: the key of each is its kind.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


@dataclass
class ReportMeaning:
    headings: list[tuple[str, str]] = field(default_factory=list)  # (tag, text)
    figure_captions: list[str] = field(default_factory=list)
    table_captions: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    link_targets: Counter = field(default_factory=Counter)  # "#id" -> how often
    key_figures: Counter = field(default_factory=Counter)  # (key, text, title) -> how often
    charts: list[str] = field(default_factory=list)  # ids of the plotly divs
    chart_data: list[str] = field(default_factory=list)  # data-target of the figure JSON
    static_fallbacks: int = 0  # <img> inside <noscript>
    alt_texts: list[str] = field(default_factory=list)
    plotly_js: int = 0  # copies of plotly.js
    consortium: list[str] = field(default_factory=list)
    list_of_figures: list[str] = field(default_factory=list)
    list_of_tables: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # texts of the sample-data notices
    lang: str = ""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meaning = ReportMeaning()
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._open: list[tuple[str, str, list[str]]] = []  # (tag, kind, texts)

    def _within(self, tag: str, cls: str = "", id_: str = "") -> bool:
        return any(
            t == tag
            and (not cls or cls in a.get("class", "").split())
            and (not id_ or a.get("id") == id_)
            for t, a in self._stack
        )

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        meaning = self.meaning
        if tag == "html":
            meaning.lang = attributes.get("lang", "")
        if attributes.get("id"):
            meaning.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href", "").startswith("#"):
            meaning.link_targets[attributes["href"]] += 1
        if tag == "img":
            meaning.alt_texts.append(attributes.get("alt", ""))
            if self._within("noscript"):
                meaning.static_fallbacks += 1
        if tag == "div" and "plotly-figure" in attributes.get("class", "").split():
            meaning.charts.append(attributes.get("id", ""))
        if tag == "script" and "plotly-data" in attributes.get("class", "").split():
            meaning.chart_data.append(attributes.get("data-target", ""))
        kind = self._kind(tag, attributes)
        if tag in _VOID:
            return
        self._stack.append((tag, attributes))
        if kind:
            self._open.append((tag, kind, []))

    def _kind(self, tag: str, attributes: dict[str, str]) -> str:
        if tag == "span" and "data-kf" in attributes:
            return f"kf\0{attributes['data-kf']}\0{attributes.get('title', '')}"
        if tag in _HEADINGS and self._within("main"):
            return f"heading\0{tag}"
        if tag == "figcaption":
            return "figure"
        if tag == "caption":
            return "table"
        if tag == "li" and self._within("section", cls="consortium"):
            return "consortium"
        if tag == "li" and self._within("div", cls="list-of-figures"):
            return "lof"
        if tag == "li" and self._within("div", cls="list-of-tables"):
            return "lot"
        # The strip is an <aside> (a landmark: axe's "region"), the banner a <p>.
        if tag in ("p", "aside") and {"sample-strip", "sample-banner"} & set(
            attributes.get("class", "").split()
        ):
            return "notice"
        if tag == "script" and not attributes.get("type"):
            return "script"
        return ""

    def handle_data(self, data):
        for _, _, texts in self._open:
            texts.append(data)

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        while self._stack:
            open_tag, _ = self._stack.pop()
            if self._open and self._open[-1][0] == open_tag:
                self._close(*self._open.pop())
            if open_tag == tag:
                break

    def _close(self, tag: str, kind: str, texts: list[str]) -> None:
        text = _clean("".join(texts))
        meaning = self.meaning
        name, _, rest = kind.partition("\0")
        if name == "kf":
            key, _, title = rest.partition("\0")
            meaning.key_figures[(key, text, title)] += 1
        elif name == "heading":
            meaning.headings.append((rest, text))
        elif name == "script":
            meaning.plotly_js += "* plotly.js v" in "".join(texts)
        else:
            target = {
                "figure": meaning.figure_captions,
                "table": meaning.table_captions,
                "consortium": meaning.consortium,
                "lof": meaning.list_of_figures,
                "lot": meaning.list_of_tables,
                "notice": meaning.notices,
            }[name]
            target.append(text)


def report_meaning(html: str) -> ReportMeaning:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.meaning
