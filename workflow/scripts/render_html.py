"""Rule render_html: .qmd chapters + figures -> the self-contained HTML report."""

import sys
from pathlib import Path

from ktreport.render import choose_renderer, render_html
from ktreport.run.script import render_inputs, run_step, written


def main(smk) -> int:
    def body() -> str:
        chapters, out, given = render_inputs(smk)
        renderer = choose_renderer(smk.params.renderer)
        build_dir = Path(smk.params.build_dir)
        warnings = render_html(chapters, out, **given, build_dir=build_dir, renderer=renderer)
        return written(warnings, f"HTML written with {renderer}: {out}")

    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
