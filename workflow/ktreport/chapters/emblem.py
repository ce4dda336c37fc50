"""Stage 4a, the EU emblem: the flag of the European Union drawn from its published
geometric construction, written once to ``report/templates/eu-emblem.svg`` (vendored: the
build reads the file, it never draws it).

The construction (EU visual identity): a blue rectangle of proportions 3:2; twelve gold
five-pointed stars, upright (one point up), placed like the hours on a clock face on an
invisible circle whose radius is one third of the flag's height, centred on the flag; the
points of each star lie on a circle whose radius is one eighteenth of the height.
Colours: Reflex Blue and Yellow. The emblem is never altered or merged with other
graphics: the report places the file as it is, with the funding statement beside it.

Regenerate the asset with ``python -m ktreport.chapters.emblem`` (a test checks that the
vendored file is this module's drawing).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

HEIGHT = 540  # any height works: 540 makes the radii whole numbers (180 and 30)
WIDTH = HEIGHT * 3 // 2
BLUE = "#003399"  # Pantone Reflex Blue
YELLOW = "#FFCC00"  # Pantone Yellow
STARS = 12
CIRCLE_RADIUS = HEIGHT / 3
STAR_RADIUS = HEIGHT / 18
# A regular five-pointed star: the inner vertices lie on the circle of radius
# R * cos(72°) / cos(36°) (where the lines joining alternate points cross).
INNER_RATIO = math.cos(math.radians(72)) / math.cos(math.radians(36))
ALT_TEXT = "Emblem of the European Union"
ASSET = Path("report") / "templates" / "eu-emblem.svg"  # a partial of report.html


def star_centres() -> list[tuple[float, float]]:
    """The twelve centres, clockwise from twelve o'clock."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    return [
        (
            cx + CIRCLE_RADIUS * math.sin(math.radians(30 * hour)),
            cy - CIRCLE_RADIUS * math.cos(math.radians(30 * hour)),
        )
        for hour in range(STARS)
    ]


def star_points(cx: float, cy: float) -> list[tuple[float, float]]:
    """The ten vertices of an upright star (outer point first, straight up)."""
    points = []
    for k in range(10):
        radius = STAR_RADIUS if k % 2 == 0 else STAR_RADIUS * INNER_RATIO
        angle = math.radians(36 * k)
        points.append((cx + radius * math.sin(angle), cy - radius * math.cos(angle)))
    return points


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def emblem_svg() -> str:
    """The flag as a standalone SVG (no ids, so it may appear several times in a page)."""
    stars = "\n".join(
        '  <polygon points="'
        + " ".join(f"{_number(x)},{_number(y)}" for x, y in star_points(cx, cy))
        + '"/>'
        for cx, cy in star_centres()
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="eu-emblem" role="img" '
        f'aria-label="{ALT_TEXT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">\n'
        f"<title>{ALT_TEXT}</title>\n"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{BLUE}"/>\n'
        f'<g fill="{YELLOW}">\n{stars}\n</g>\n'
        "</svg>\n"
    )


def write_asset(path: Path = ASSET) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(emblem_svg(), encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover - the maintainers' command
    print(f"Wrote {write_asset(Path(sys.argv[1]) if len(sys.argv) > 1 else ASSET)}.")
