"""Rule make_brief: one brief's slice, the sample's and its figures (drawn by slice_briefs)
-> its render context and chapters, its HTML page (pandoc) and its tagged PDF (WeasyPrint),
in one process: a brief is short, and each process would pay the start-up again."""

import json
import sys
from pathlib import Path

from ktreport.chapters import briefs
from ktreport.core import provenance
from ktreport.render import render_html, render_pdf
from ktreport.run.script import run_step, written


def main(smk) -> int:
    config = {
        "report": dict(smk.params.report),
        "sample_data": bool(smk.params.sample_data),
        "renderer": "pandoc",
        "release": bool(smk.params.release),
    }

    def body() -> str:
        unit = json.loads(Path(smk.input.slice).read_text(encoding="utf-8"))
        build = provenance.build_info(Path.cwd(), config, raw_dir=None)
        build.update(version=smk.params.version, renderer="pandoc", raw_files=[])
        context = briefs.brief_context(
            unit_path=Path(smk.input.slice),
            sample_path=Path(smk.input.sample),
            config=config,
            build=build,
            figures_manifest=Path(smk.input.figures),
        )
        briefs.dump_context(context, Path(smk.output.context))
        briefs.write_brief(
            Path(smk.params.templates_dir),
            context,
            Path(smk.output.chapters[0]).parent,
            shown_dir=Path(smk.params.templates_dir).as_posix(),
        )
        # What the renderers see is the context as written (JSON), as for the report.
        given = {
            "context": json.loads(Path(smk.output.context).read_text(encoding="utf-8")),
            "report_dir": Path(smk.params.report_dir),
            "build_dir": Path(smk.params.build_dir),
        }
        chapters = [Path(c) for c in smk.output.chapters]
        html = render_html(chapters, Path(smk.output.html), **given, renderer="pandoc")
        pdf = render_pdf(chapters, Path(smk.output.pdf), **given, pdf_variant="pdf/ua-1")
        return (
            f"brief {unit['unit']['id']}: {len(chapters)} chapters\n"
            + written(html, f"HTML written with pandoc: {smk.output.html}")
            + written(pdf, f"PDF (pdf/ua-1) written: {smk.output.pdf}")
        )

    # WeasyPrint's warnings (CSS it ignores, …) go to the log, not the terminal.
    return run_step(smk, body, loggers=("weasyprint", "fontTools"))


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
