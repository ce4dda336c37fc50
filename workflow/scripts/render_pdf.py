"""Rules render_pdf / render_archival_pdf: .qmd chapters + SVG figures -> the A4 PDF.

render_pdf writes the tagged PDF/UA-1; render_archival_pdf the PDF/A-3b with the processed
tables, aggregates and key figures attached.
"""

import json
import sys
from pathlib import Path

from ktreport.render import render_pdf
from ktreport.run.script import run_step


def main(smk) -> int:
    def body() -> str:
        attachments = [(Path(p), Path(p).as_posix()) for p in getattr(smk.input, "attachments", [])]
        context = json.loads(Path(smk.input.context).read_text(encoding="utf-8"))
        warnings = render_pdf(
            [Path(c) for c in smk.input.chapters],
            Path(smk.output[0]),
            context=context,
            report_dir=Path(smk.params.report_dir),
            build_dir=Path(smk.params.build_dir),
            pdf_variant=smk.params.pdf_variant,
            attachments=attachments,
        )
        return "".join(f"{w}\n" for w in warnings) + (
            f"PDF ({smk.params.pdf_variant}) written: {smk.output[0]}\n"
        )

    # WeasyPrint's warnings (CSS it ignores, …) go to the log, not the terminal.
    return run_step(smk, body, loggers=("weasyprint", "fontTools"))


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
