"""The EU emblem of the cover and the HTML footer: the vendored SVG follows the published
construction (12 upright five-pointed stars on a circle of radius h/3, star radius h/18,
3:2 flag, Reflex Blue and Yellow) and is the library's drawing, unaltered."""

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ktreport.chapters import emblem

SVG = "{http://www.w3.org/2000/svg}"
ASSET = Path(__file__).resolve().parents[1] / "report" / "templates" / "eu-emblem.svg"


@pytest.fixture(scope="module")
def drawing():
    root = ET.fromstring(ASSET.read_text(encoding="utf-8"))
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    stars = []
    for polygon in root.iter(f"{SVG}polygon"):
        pairs = [p.split(",") for p in polygon.get("points").split()]
        stars.append([(float(x), float(y)) for x, y in pairs])
    return root, width, height, stars


def test_the_vendored_emblem_is_the_library_drawing():
    assert ASSET.read_text(encoding="utf-8") == emblem.emblem_svg()


def test_the_flag_is_three_by_two_in_reflex_blue_with_yellow_stars(drawing):
    root, width, height, _ = drawing
    assert width / height == pytest.approx(1.5)
    rect = root.find(f"{SVG}rect")
    assert float(rect.get("width")) == width and float(rect.get("height")) == height
    assert rect.get("fill").upper() == "#003399"
    assert {g.get("fill").upper() for g in root.iter(f"{SVG}g")} == {"#FFCC00"}


def test_twelve_five_pointed_stars_sit_on_a_circle_of_a_third_of_the_height(drawing):
    _, width, height, stars = drawing
    assert len(stars) == 12
    centres = []
    for points in stars:
        assert len(points) == 10  # five outer and five inner vertices
        outer = points[0::2]
        cx = sum(x for x, _ in outer) / 5
        cy = sum(y for _, y in outer) / 5
        centres.append((cx, cy))
        # every point of the star on a circle of radius h/18 around its centre
        for x, y in outer:
            assert math.hypot(x - cx, y - cy) == pytest.approx(height / 18, abs=0.01)
        # upright: one point straight up
        top = min(outer, key=lambda p: p[1])
        assert top[0] == pytest.approx(cx, abs=0.01)
        # a regular star: each inner vertex lies between two outer ones
        inner = points[1::2]
        for x, y in inner:
            assert math.hypot(x - cx, y - cy) < height / 18 * 0.5
    for cx, cy in centres:
        assert math.hypot(cx - width / 2, cy - height / 2) == pytest.approx(height / 3, abs=0.01)
    # like the hours of a clock: 30 degrees apart, one at twelve o'clock
    angles = sorted(
        round(math.degrees(math.atan2(cx - width / 2, height / 2 - cy))) % 360 for cx, cy in centres
    )
    assert angles == list(range(0, 360, 30))


def test_the_emblem_has_its_alt_text_and_no_ids(drawing):
    root, *_ = drawing
    assert root.find(f"{SVG}title").text == "Emblem of the European Union"
    assert root.get("role") == "img" and root.get("aria-label")
    # no id: the page shows the file twice (cover and footer) without duplicate ids
    assert not [e for e in root.iter() if e.get("id")]
    # a pandoc template partial: a "$" would be read as a template variable
    assert "$" not in ASSET.read_text(encoding="utf-8")
