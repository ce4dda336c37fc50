"""Stage 2, small-cell protection (minimal version, to be replaced by the full one).

``protect_key_figures`` suppresses every key figure counted from, or shared over, fewer
than ``min_cell`` respondents (its n or its denominator below ``min_cell``); ``fewer_than``
is how a suppressed value is shown.
"""

from __future__ import annotations

from collections.abc import Mapping


def fewer_than(min_cell: int) -> str:
    """How a suppressed value reads: ``fewer than 5``."""
    return f"fewer than {int(min_cell)}"


def protect_key_figures(figures: Mapping[str, dict], min_cell: int) -> dict[str, dict]:
    """A copy of ``figures`` where a figure computed from fewer than ``min_cell`` respondents
    has ``"value": None`` and ``"suppressed": True``."""
    protected: dict[str, dict] = {}
    for name, figure in figures.items():
        figure = dict(figure)
        bases = [figure.get("n"), figure.get("denominator")]
        if any(base is not None and int(base) < int(min_cell) for base in bases):
            figure["value"], figure["suppressed"] = None, True
        protected[name] = figure
    return protected
