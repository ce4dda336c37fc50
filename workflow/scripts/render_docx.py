"""Rule render_docx: .qmd chapters + PNG figures -> the Word review copy."""

import json
import sys
from pathlib import Path

from ktreport.render.docx import render_docx
from ktreport.run.script import run_step


def main(smk) -> int:
    def body() -> str:
        context = json.loads(Path(smk.input.context).read_text(encoding="utf-8"))
        warnings = render_docx(
            [Path(c) for c in smk.input.chapters],
            Path(smk.output[0]),
            context=context,
            report_dir=Path(smk.params.report_dir),
            docx_dir=Path(smk.params.docx_dir),
        )
        return "".join(f"{w}\n" for w in warnings) + f"review copy written: {smk.output[0]}\n"

    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
