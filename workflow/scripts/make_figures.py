"""Rule make_figures: aggregates + key figures -> <fig-id>.svg/.json and figures.json."""

import sys
import traceback
from pathlib import Path

from ktreport.core.errors import AggregateError
from ktreport.figures import make_figures


def main(smk) -> int:
    log = Path(smk.log[0])
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        manifest = make_figures(
            aggregates_dir=Path(smk.input.tables[0]).parent,
            key_figures_path=Path(smk.input.key_figures),
            out_dir=Path(smk.output.manifest).parent,
        )
    except AggregateError as error:
        log.write_text(f"{error}\n", encoding="utf-8")
        print(f"make_figures: {error}", file=sys.stderr)
        return 1
    except Exception:  # a bug, or Chromium missing: a short message, the traceback in the log
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print(
            f"make_figures failed; details in {log}. If the log mentions Chrome or Chromium, "
            "install it (make chromium, or apt-get install chromium).",
            file=sys.stderr,
        )
        return 1
    log.write_text(f"{len(smk.output.svgs)} figures exported; manifest {manifest}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
