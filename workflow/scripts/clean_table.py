"""Rule clean_table: one table's partner files -> data/processed/parts/<table>.json.

Only the files whose content (or the taxonomy, or the checking code) changed are read and
checked; the parts of the others come from the cache (ktreport.ingest.table_parts).
"""

import sys
from pathlib import Path

from ktreport.ingest.table_parts import clean_table
from ktreport.run.script import run_step


def main(smk) -> int:
    def body() -> str:
        done = clean_table(
            raw_paths=[Path(p) for p in smk.params.raw],
            table=smk.wildcards.table,
            taxonomy_path=Path(smk.params.taxonomy),
            bundle_path=Path(smk.output.parts),
            cache_dir=Path(smk.params.cache),
        )
        return done.log

    # Bad data is no error here: it becomes problems in the parts.
    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 - injected by Snakemake
