"""Rule aggregate_tables: data/processed/*.csv -> aggregates/*.csv and key_figures.json."""

import sys
import traceback
from pathlib import Path

from ktreport.aggregate import aggregate_processed
from ktreport.core.errors import AggregateError


def main(smk) -> int:
    log = Path(smk.log[0])
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        figures = aggregate_processed(
            processed_dir=Path(smk.input.tables[0]).parent,
            out_dir=Path(smk.output.tables[0]).parent,
            key_figures_path=Path(smk.output.key_figures),
        )
    except AggregateError as error:
        log.write_text(f"{error}\n", encoding="utf-8")
        print(f"aggregate_tables: {error}", file=sys.stderr)
        return 1
    except Exception:  # a bug: a short message here, the traceback in the log
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print(f"aggregate_tables failed unexpectedly; details in {log}", file=sys.stderr)
        return 1
    log.write_text(
        f"{len(smk.output.tables)} aggregate tables, {len(figures)} key figures\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
