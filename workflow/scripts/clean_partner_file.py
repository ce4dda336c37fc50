"""Rule clean_partner_file: one raw partner file -> data/processed/parts/<table>/<partner>.json."""

import sys
from pathlib import Path

from ktreport.ingest import clean_partner_file
from ktreport.run.script import run_step


def main(smk) -> int:
    def body() -> str:
        report = clean_partner_file(
            raw_paths=[Path(p) for p in smk.params.raw],
            table_name=smk.wildcards.table,
            partner_id=smk.wildcards.partner,
            taxonomy_path=Path(smk.params.taxonomy),
            part_path=Path(smk.output.part),
        )
        return (
            f"{report.path}: {report.n_rows} rows, {report.n_errors} errors, "
            f"{report.n_warnings} warnings\n"
        )

    # Bad data is no error here: it becomes problems in the part.
    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 - injected by Snakemake
