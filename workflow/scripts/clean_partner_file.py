"""Rule clean_partner_file: one raw partner file -> data/processed/parts/<table>/<partner>.json."""

import sys
import traceback
from pathlib import Path

from ktreport.ingest import clean_partner_file


def main(smk) -> int:
    log = Path(smk.log[0])
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        report = clean_partner_file(
            raw_paths=[Path(p) for p in smk.input.raw],
            table_name=smk.wildcards.table,
            partner_id=smk.wildcards.partner,
            taxonomy_path=Path(smk.input.taxonomy),
            part_path=Path(smk.output.part),
        )
    except Exception:  # a bug, not bad data (bad data becomes problems in the part)
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print(f"clean_partner_file failed unexpectedly; details in {log}", file=sys.stderr)
        return 1
    log.write_text(
        f"{report.path}: {report.n_rows} rows, {report.n_errors} errors, "
        f"{report.n_warnings} warnings\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 - injected by Snakemake
