"""Stage 4a, the one jinja2 environment that turns chapter templates into Markdown.

Chapters are ``report/chapters/NN-name.md.j2``: jinja2 templates of Quarto-flavoured
Markdown. jinja is configured once, here: StrictUndefined, comments ``{## ##}`` so that
Markdown attributes like ``{#fig-x}`` stay literal, the filters and the globals (``kf`` and
the tables come with the render context, ``ktreport.chapters.write``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from ktreport import contract
from ktreport.chapters.blocks import make_figure, make_table
from ktreport.chapters.filters import FILTERS, make_skill_label, n_of, num, pct, plural
from ktreport.core.style import join_list


def environment(
    chapters_dir: Path,
    *,
    skills: Mapping[str, str] | None = None,
    figures: Mapping[str, Mapping[str, Any]] | None = None,
    min_cell: int = 1,
) -> jinja2.Environment:
    """The one configured jinja2 environment for the chapters in ``chapters_dir``."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(chapters_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: partner text is escaped with `md`
        comment_start_string="{##",
        comment_end_string="##}",
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters = dict(FILTERS)
    filters["skill_label"] = make_skill_label(skills or {})
    env.filters.update(filters)
    env.globals.update(
        figure=make_figure(figures or {}),
        table=make_table(filters, min_cell),
        n_of=n_of,
        plural=plural,
        join_list=join_list,
        pct=pct,
        num=num,
        label=filters["label"],
        skill_label=filters["skill_label"],
        contract=contract,
    )
    return env
