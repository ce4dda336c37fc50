"""Rule render_html: .qmd chapters + figures -> the self-contained HTML report."""

import json
import sys
from pathlib import Path

from ktreport.render import choose_renderer, render_html
from ktreport.run.script import run_step


def main(smk) -> int:
    def body() -> str:
        context = json.loads(Path(smk.input.context).read_text(encoding="utf-8"))
        renderer = choose_renderer(smk.params.renderer)
        warnings = render_html(
            [Path(c) for c in smk.input.chapters],
            Path(smk.output[0]),
            context=context,
            report_dir=Path(smk.params.report_dir),
            build_dir=Path(smk.params.build_dir),
            renderer=renderer,
        )
        return (
            "".join(f"{w}\n" for w in warnings) + f"HTML written with {renderer}: {smk.output[0]}\n"
        )

    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
