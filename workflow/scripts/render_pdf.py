"""Rules render_pdf / render_archival_pdf: .qmd chapters + SVG figures -> the A4 PDF.

render_pdf writes the tagged PDF/UA-1; render_archival_pdf the PDF/A-3b with the processed
tables, aggregates and key figures attached.
"""

import json
import logging
import sys
import traceback
from pathlib import Path

from ktreport.render import RenderProblem, render_pdf


def main(smk) -> int:
    log = Path(smk.log[0])
    log.parent.mkdir(parents=True, exist_ok=True)
    # WeasyPrint's warnings (CSS it ignores, …) go to the log, not the terminal.
    handler = logging.FileHandler(log, mode="w", encoding="utf-8")
    for name in ("weasyprint", "fontTools"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False
    attachments = [(Path(p), Path(p).as_posix()) for p in getattr(smk.input, "attachments", [])]
    try:
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
    except RenderProblem as error:
        handler.stream.write(f"{error}\n")
        print(f"{smk.rule}: {error}", file=sys.stderr)
        return 1
    except Exception:  # a bug: a short message here, the traceback in the log
        handler.stream.write(traceback.format_exc())
        print(f"{smk.rule} failed unexpectedly; details in {log}", file=sys.stderr)
        return 1
    finally:
        handler.flush()
    handler.stream.write(
        "".join(f"{w}\n" for w in warnings)
        + f"PDF ({smk.params.pdf_variant}) written: {smk.output[0]}\n"
    )
    handler.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
