"""Checkpoint slice_briefs: data/processed/*.csv -> which briefs to build (units.json), one
slice per brief, and every brief's figures in one kaleido session (each file written only
when its content changes, so only the briefs whose data changed are stale)."""

import sys
from pathlib import Path

from ktreport.aggregate.briefs import write_slices
from ktreport.catalog import BRIEF_SAMPLE_FILE, BRIEF_SLICES_DIR
from ktreport.figures.briefs import export_brief_figures
from ktreport.run.script import run_step


def main(smk) -> int:
    def body() -> str:
        out_dir = Path(smk.output[0]).parent
        units = write_slices(
            processed_dir=Path(smk.input.tables[0]).parent,
            out_dir=out_dir,
            kind=smk.params.kind,
            min_cell=int(smk.params.min_cell),
        )
        ids = [u["id"] for u in units["briefs"]]
        exported = export_brief_figures(
            ids,
            out_dir / BRIEF_SLICES_DIR,
            out_dir / BRIEF_SAMPLE_FILE,
            Path(smk.params.build_dir),
            Path(smk.params.figure_cache),
        )
        names = ", ".join(ids) or "none"
        return (
            f"briefs ({smk.params.kind}): {names}; {len(units['too_small'])} too small\n"
            + exported.summary("brief figures")
        )

    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
