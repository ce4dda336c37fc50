"""make bench's lines of issue 16 §2 and §5: WeasyPrint on today's print HTML against a
reference revision's (built in the same run), and the PDF's pages at each scale. No timing
is asserted: the ratios are computed from given times."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ktreport.tools import bench
from ktreport.tools.bench import Measurement
from ktreport.tools.bench_pdf import comparison, reference_copy

ROOT = Path(__file__).resolve().parents[1]


def _target(summary: dict, text: str) -> dict:
    return next(t for t in summary["targets"] if text in t["target"])


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def test_the_reference_is_the_revision_issue_16_measured():
    assert bench.REFERENCE_REVISION.startswith("1b6d06b")
    assert bench.Options(root=ROOT).reference == bench.REFERENCE_REVISION


def test_the_reference_copy_is_the_project_at_the_given_revision(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "--quiet")
    (repo / "paged.css").write_text("th, td { overflow-wrap: anywhere; }\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "--quiet", "-m", "reference")
    old = _git(repo, "rev-parse", "HEAD")
    (repo / "paged.css").write_text("table { table-layout: fixed; }\n")
    _git(repo, "commit", "--quiet", "-am", "today")
    copy = reference_copy(repo, tmp_path / "reference", old)
    assert (copy / "paged.css").read_text() == "th, td { overflow-wrap: anywhere; }\n"
    assert _git(copy, "rev-parse", "HEAD") == old
    assert (repo / "paged.css").read_text() == "table { table-layout: fixed; }\n"


def test_comparison_gives_the_medians_and_their_ratios():
    times = {
        "reference": {"seconds": [20.0, 30.0, 22.0], "cpu_seconds": [18.0, 19.0, 20.0]},
        "today": {"seconds": [11.0, 9.0, 30.0], "cpu_seconds": [9.0, 9.5, 10.0]},
    }
    fields = comparison(times, "1b6d06ba42c4")
    assert fields["seconds"] == 11.0 and fields["reference_seconds"] == 22.0
    assert fields["over_reference"] == 0.5  # 11 / 22
    assert fields["over_reference_cpu"] == 0.5  # 9.5 / 19
    assert fields["reference"] == "1b6d06b"


@pytest.mark.parametrize(("ratio", "met"), [(0.6, True), (0.61, False)])
def test_the_weasyprint_target_is_at_most_six_tenths_of_the_reference(ratio, met):
    measurements = [
        Measurement(
            1,
            "weasyprint_vs_reference",
            6.0,
            detail={"over_reference": ratio, "over_reference_cpu": 0.5},
        )
    ]
    summary = bench.summarise(measurements)
    target = _target(summary, "WeasyPrint on the sample")
    assert (target["value"], target["limit"], target["met"]) == (ratio, 0.6, met)
    assert summary["weasyprint_over_reference_cpu"] == 0.5


def test_the_pages_at_scale_100_are_compared_with_the_sample_s():
    measurements = [
        Measurement(1, "report_pages", detail={"pages": 40}),
        Measurement(100, "report_pages", detail={"pages": 46}),
    ]
    summary = bench.summarise(measurements)
    assert summary["ratios"]["synth x100"]["report_pages"] == 46
    target = _target(summary, "PDF pages at scale 100")
    assert (target["value"], target["met"]) == (1.15, True)  # 46 / 40
    only_sample = bench.summarise(measurements[:1])
    assert _target(only_sample, "PDF pages at scale 100")["met"] is None  # not measured
