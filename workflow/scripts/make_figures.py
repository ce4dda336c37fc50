"""Rule make_figures: aggregates + key figures -> <fig-id>.svg/.json and figures.json."""

import sys
from pathlib import Path

from ktreport.figures import make_figures
from ktreport.run.script import run_step


def main(smk) -> int:
    def body() -> str:
        exported = make_figures(
            aggregates_dir=Path(smk.input.tables[0]).parent,
            key_figures_path=Path(smk.input.key_figures),
            out_dir=Path(smk.output.manifest).parent,
            cache_dir=Path(smk.params.cache),
        )
        return exported.summary("SVG figures") + f"manifest {smk.output.manifest}\n"

    # A bug, or Chromium missing: a short message, the traceback in the log.
    return run_step(
        smk,
        body,
        unexpected="{name} failed; details in {log}. If the log mentions Chrome or Chromium, "
        "install it (make chromium, or apt-get install chromium).",
    )


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
