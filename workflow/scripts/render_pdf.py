"""Rules render_pdf / render_archival_pdf: .qmd chapters + SVG figures -> the A4 PDF.

render_pdf writes the tagged PDF/UA-1; render_archival_pdf the PDF/A-3b with the processed
tables, aggregates and key figures attached.
"""

import sys
from pathlib import Path

from ktreport.render import render_pdf
from ktreport.run.script import render_inputs, run_step, written


def main(smk) -> int:
    def body() -> str:
        chapters, out, given = render_inputs(smk)
        variant = smk.params.pdf_variant
        warnings = render_pdf(
            chapters,
            out,
            **given,
            build_dir=Path(smk.params.build_dir),
            pdf_variant=variant,
            attachments=[
                (Path(p), Path(p).as_posix()) for p in getattr(smk.input, "attachments", [])
            ],
        )
        return written(warnings, f"PDF ({variant}) written: {out}")

    # WeasyPrint's warnings (CSS it ignores, …) go to the log, not the terminal.
    return run_step(smk, body, loggers=("weasyprint", "fontTools"))


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
