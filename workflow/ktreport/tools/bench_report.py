"""``make bench``, its summary: the ratios to the floor and the targets of issue 7.

Read from the measurements of every scale; a target whose scale was not measured is
``null`` (not measured), never a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ktreport.tools.bench_measure import SAMPLE_SCALE, Measurement, scale_label

# The targets of issue 7: (summary key, limit, what it means).
TARGETS: tuple[tuple[str, float, str], ...] = (
    # Issue 16 (issue 7 had 3x): the floor is every engine run of every document the build
    # makes, the report's and its briefs'.
    ("cold_over_floor", 1.5, "cold build <= 1.5x floor (report and briefs)"),
    ("prose_over_floor", 1.5, "prose-only rebuild <= 1.5x the report's floor"),
    ("noop_over_dry_run", 1.3, "no-op rebuild <= 1.3x snakemake --dry-run"),
    # The report's own build (briefs: none) must not grow with the data; the briefs do
    # by design, one per country (``cold_scale_100_over_sample`` beside it, not a target).
    (
        "cold_report_scale_100_over_sample",
        1.5,
        "scale-100 cold build of the report <= 1.5x the sample's (briefs: none)",
    ),
    ("peak_rss_mib_scale_100", 1024.0, "peak memory at scale 100 < 1 GiB"),
    ("validate_sample_seconds", 1.5, "ktreport validate of the sample < 1.5 s"),
    # Issue 17 §12: the longest cells the limits allow, rebuilt, against the sample's cold.
    ("longest_cells_over_sample", 3.0, "build with the longest cells <= 3x sample cold build"),
    # Issue 16 §1: the user's commands with nothing changed cost what Snakemake's dry run does.
    ("noop_ktreport_build_over_dry_run", 1.1, "ktreport build, nothing changed <= 1.1x dry run"),
    ("noop_make_report_over_dry_run", 1.1, "make report, nothing changed <= 1.1x dry run"),
    # Issue 16 §2: today's WeasyPrint on the sample's print HTML, today's against 1b6d06b's,
    # laid out alternately in one process (wall; the CPU ratio is given beside it).
    ("weasyprint_over_reference", 0.6, "WeasyPrint on the sample <= 0.6x on 1b6d06b's HTML"),
    # Issue 16 §5: the report's length does not grow with the data.
    ("pages_scale_100_over_sample", 1.25, "PDF pages at scale 100 <= 1.25x the sample's"),
)
_LARGEST_SCALE = 100


def _seconds(measurements: Sequence[Measurement], scale: int, measure: str) -> float | None:
    for m in measurements:
        if m.scale == scale and m.measure == measure:
            return m.peak_rss_mib if measure == "peak_rss" else m.seconds
    return None


def _cpu(measurements: Sequence[Measurement], scale: int, measure: str) -> float | None:
    for m in measurements:
        if m.scale == scale and m.measure == measure:
            return m.cpu_seconds if m.cpu_seconds is not None else m.detail.get("cpu_seconds_child")
    return None


def _detail(measurements: Sequence[Measurement], scale: int, measure: str, key: str) -> Any:
    for m in measurements:
        if m.scale == scale and m.measure == measure:
            return m.detail.get(key)
    return None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


# Per scale: (ratio, its numerator's measure, its denominator's, "wall" or "cpu"). CPU time
# is steadier than wall time when other work shares the machine.
SCALE_RATIOS = (
    ("cold_over_floor", "cold_build", "floor", "wall"),
    ("cold_report_over_floor", "cold_report_build", "floor_report", "wall"),
    ("prose_over_floor", "prose_rebuild", "floor_report", "wall"),
    ("partner_over_floor", "partner_rebuild", "floor", "wall"),
    ("noop_over_dry_run", "noop_rebuild", "dry_run", "wall"),
    ("noop_ktreport_build_over_dry_run", "noop_ktreport_build", "dry_run", "wall"),
    ("noop_make_report_over_dry_run", "noop_make_report", "dry_run", "wall"),
    ("noop_ktreport_build_over_dry_run_cpu", "noop_ktreport_build", "dry_run", "cpu"),
    ("cold_over_floor_cpu", "cold_build", "floor", "cpu"),
)


def _scale_ratios(measurements: Sequence[Measurement], scale: int) -> dict[str, float | None]:
    """One scale's ratios (``SCALE_RATIOS``), the ingest's seconds and the report's pages."""
    ratios: dict[str, float | None] = {}
    for key, numerator, denominator, clock in SCALE_RATIOS:
        read = _cpu if clock == "cpu" else _seconds
        ratios[key] = _ratio(
            read(measurements, scale, numerator), read(measurements, scale, denominator)
        )
    ratios["partner_ingest_seconds"] = _round(_seconds(measurements, scale, "partner_ingest"))
    ratios["report_pages"] = _detail(measurements, scale, "report_pages", "pages")
    return ratios


def summarise(measurements: Sequence[Measurement]) -> dict[str, Any]:
    """Ratios to the floor (per scale) and the targets of issue 7, each met or missed
    (``null`` when a scale it needs was not measured)."""
    scales = sorted({m.scale for m in measurements})
    per_scale = {scale_label(scale): _scale_ratios(measurements, scale) for scale in scales}
    largest = _LARGEST_SCALE if _LARGEST_SCALE in scales else None
    values: dict[str, float | None] = {
        "cold_scale_100_over_sample": _ratio(
            _seconds(measurements, _LARGEST_SCALE, "cold_build"),
            _seconds(measurements, SAMPLE_SCALE, "cold_build"),
        ),
        "cold_report_scale_100_over_sample": _ratio(
            _seconds(measurements, _LARGEST_SCALE, "cold_report_build"),
            _seconds(measurements, SAMPLE_SCALE, "cold_report_build"),
        ),
        "peak_rss_mib_scale_100": _round(_seconds(measurements, largest, "peak_rss"))
        if largest
        else None,
        "validate_sample_seconds": _round(_seconds(measurements, SAMPLE_SCALE, "validate")),
        "weasyprint_over_reference": _detail(
            measurements, SAMPLE_SCALE, "weasyprint_vs_reference", "over_reference"
        ),
        "weasyprint_over_reference_cpu": _detail(
            measurements, SAMPLE_SCALE, "weasyprint_vs_reference", "over_reference_cpu"
        ),
        "pages_scale_100_over_sample": _ratio(
            _detail(measurements, _LARGEST_SCALE, "report_pages", "pages"),
            _detail(measurements, SAMPLE_SCALE, "report_pages", "pages"),
        ),
        "longest_cells_over_sample": _ratio(
            _seconds(measurements, SAMPLE_SCALE, "longest_cells_build"),
            _seconds(measurements, SAMPLE_SCALE, "cold_build"),
        ),
    }
    targets: list[dict[str, Any]] = []
    for key, limit, text in TARGETS:
        if key in values:
            checks = [("", values[key])]
        else:
            checks = [(label, ratios[key]) for label, ratios in per_scale.items()]
        for label, value in checks:
            met = None if value is None else value <= limit
            if key == "peak_rss_mib_scale_100" and value is not None:
                met = value < limit
            target = {"target": text, "value": value, "limit": limit, "met": met}
            if label:
                target["data"] = label
            targets.append(target)
    known = [t["met"] for t in targets if t["met"] is not None]
    return {
        "summary": "ratios",
        "ratios": per_scale,
        "targets": targets,
        # Steadier than wall time when other work shares the machine (WeasyPrint is one
        # process: its CPU time is its work).
        "weasyprint_over_reference_cpu": values["weasyprint_over_reference_cpu"],
        # The whole build, briefs included (one per country: they grow with the data).
        "cold_scale_100_over_sample": values["cold_scale_100_over_sample"],
        "targets_met": sum(known),
        "targets_missed": len(known) - sum(known),
        "targets_not_measured": len(targets) - len(known),
    }
