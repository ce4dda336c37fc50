"""Accessibility of the built HTML in a real browser: axe-core (WCAG 2.1 A/AA and best
practice) in headless Debian Chromium at 1400 px and 400 px, and what axe cannot see: Tab
stops per chart, the charts' width against their column, sideways scrolling of the page.

The browser side is ``tests/browser/a11y.mjs`` (playwright-core and axe-core, pinned in
``tests/browser/package-lock.json``; ``npm ci`` in tests/browser installs them). Without
node, Chromium or the npm packages the test is skipped with the reason, except in CI
(``CI`` set), where it fails: a missing browser must never pass for an accessible page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from project_builds import HTML, built

from conftest import ROOT

BROWSER_DIR = ROOT / "tests" / "browser"
CHROMIUM = os.environ.get("KTREPORT_CHROMIUM", "/usr/bin/chromium")
WIDTHS = (1400, 400)
TIMEOUT = 900


def missing_tools() -> list[str]:
    missing = []
    if shutil.which("node") is None:
        missing.append("node (apt-get install nodejs)")
    if not Path(CHROMIUM).is_file():
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    for package in ("axe-core", "playwright-core"):
        if not (BROWSER_DIR / "node_modules" / package / "package.json").is_file():
            missing.append(f"{package} (cd tests/browser && npm ci)")
    return missing


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> dict:
    missing = missing_tools()
    if missing:
        message = "the browser test needs " + ", ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set: installing them is part of .ci/run)")
        pytest.skip(message)
    build = built("sample", tmp_path_factory)
    assert build.ok, build.explain()
    result = subprocess.run(
        ["node", str(BROWSER_DIR / "a11y.mjs"), str(build.tree / HTML), *map(str, WIDTHS)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"a11y.mjs failed:\n{result.stderr[-4000:]}"
    widths = json.loads(result.stdout)["widths"]
    for width, found in widths.items():
        print(
            f"\n{width} px: {len(found['violations'])} violations, "
            f"{sum(i['nodes'] for i in found['incomplete'])} incomplete checks "
            f"({', '.join(i['id'] for i in found['incomplete']) or 'none'}), "
            f"{found['passes']} rules passed; {found['focusable']} focusable elements, "
            f"{found['tabsToFirstChart']} Tab presses to the first chart, Tab stops per "
            f"chart {found['stopsPerChart']}; page {found['pageScrollWidth']} px wide in a "
            f"{found['viewportWidth']} px window"
        )
    return widths


@pytest.mark.e2e
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation(measured, width):
    found = measured[str(width)]
    assert found["passes"] > 0  # axe did run
    assert found["violations"] == [], json.dumps(found["violations"], indent=1)


@pytest.mark.e2e
@pytest.mark.parametrize("width", WIDTHS)
def test_the_page_loads_nothing_from_outside(measured, width):
    assert measured[str(width)]["blocked"] == []


@pytest.mark.e2e
@pytest.mark.parametrize("width", WIDTHS)
def test_each_chart_is_one_image_with_a_toolbar_and_a_data_table(measured, width):
    charts = measured[str(width)]["charts"]
    assert len(charts) >= 1
    for chart in charts:
        assert chart["focusableInside"] == 0, chart  # nothing focusable inside the image
        assert chart["dataTable"], chart
    # toolbar (one Tab stop, arrow keys inside) + the data table's summary
    assert set(measured[str(width)]["stopsPerChart"]) == {2}
    assert measured[str(width)]["tabsToFirstChart"] is not None


@pytest.mark.e2e
@pytest.mark.parametrize("width", WIDTHS)
def test_charts_fit_their_column_and_the_page_does_not_scroll_sideways(measured, width):
    found = measured[str(width)]
    assert found["pageScrollWidth"] <= found["viewportWidth"]
    for chart in found["charts"]:
        fits = chart["chartWidth"] <= chart["columnWidth"] and not chart["frameScrolls"]
        assert fits or chart["frameFocusable"], chart


@pytest.mark.e2e
@pytest.mark.parametrize("width", WIDTHS)
def test_no_two_tick_labels_of_a_chart_cover_each_other(measured, width):
    """On a phone the categories of a column chart ("up to 1 day (≤ 8 h)", ...) must not
    run into each other: the narrow layout (report.js) wraps them."""
    covered = {c["id"]: c["tickOverlaps"] for c in measured[str(width)]["charts"]}
    assert covered and all(isinstance(pairs, list) for pairs in covered.values())
    assert {chart: pairs for chart, pairs in covered.items() if pairs} == {}
