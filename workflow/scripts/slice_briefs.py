"""Checkpoint slice_briefs: data/processed/*.csv -> which briefs to build (units.json) and
one slice per brief (written only when its content changes)."""

import sys
from pathlib import Path

from ktreport.aggregate.briefs import write_slices
from ktreport.run.script import run_step


def main(smk) -> int:
    def body() -> str:
        units = write_slices(
            processed_dir=Path(smk.input.tables[0]).parent,
            out_dir=Path(smk.output[0]).parent,
            kind=smk.params.kind,
            min_cell=int(smk.params.min_cell),
        )
        names = ", ".join(u["id"] for u in units["briefs"]) or "none"
        return f"briefs ({smk.params.kind}): {names}; {len(units['too_small'])} too small\n"

    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
