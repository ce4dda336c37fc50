"""Rule aggregate_tables: data/processed/*.csv -> aggregates/*.csv and key_figures.json."""

import sys
from pathlib import Path

from ktreport.aggregate import aggregate_processed
from ktreport.run.script import run_step


def main(smk) -> int:
    def body() -> str:
        figures = aggregate_processed(
            processed_dir=Path(smk.input.tables[0]).parent,
            out_dir=Path(smk.output.tables[0]).parent,
            key_figures_path=Path(smk.output.key_figures),
            min_cell=int(smk.params.min_cell),
        )
        return f"{len(smk.output.tables)} aggregate tables, {len(figures)} key figures\n"

    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
