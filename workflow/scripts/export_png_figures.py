"""Rule export_png_figures: the plotly figures as PNG for the Word review copy."""

import sys
from pathlib import Path

from ktreport.render.docx import export_png_figures
from ktreport.run.script import run_step


def main(smk) -> int:
    def body() -> str:
        exported = export_png_figures(
            [Path(p) for p in smk.input.jsons], Path(smk.output[0]).parent, Path(smk.params.cache)
        )
        return exported.summary("PNG figures")

    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
