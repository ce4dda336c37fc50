"""Rule render_docx: .qmd chapters + PNG figures -> the Word review copy."""

import sys
from pathlib import Path

from ktreport.render.docx import render_docx
from ktreport.run.script import render_inputs, run_step, written


def main(smk) -> int:
    def body() -> str:
        chapters, out, given = render_inputs(smk)
        warnings = render_docx(chapters, out, **given, docx_dir=Path(smk.params.docx_dir))
        return written(warnings, f"review copy written: {out}")

    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
