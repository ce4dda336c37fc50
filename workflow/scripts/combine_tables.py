"""Rule combine_tables: every part + partners + taxonomy -> data/processed/*.csv, problems.csv.

Any error stops the build here, with every problem printed, so nothing downstream is built
from bad data; warnings are printed and the build goes on.
"""

import sys
from pathlib import Path

from ktreport.contract import PROCESSED_TABLES
from ktreport.ingest import (
    combine_parts,
    format_problems,
    summary_line,
    write_problems,
    write_table,
)
from ktreport.run.script import Failed, run_step


def main(smk) -> int:
    log = Path(smk.log[0])

    def body() -> str | Failed:
        result = combine_parts(
            part_paths=[Path(p) for p in smk.input.parts],
            partners_path=Path(smk.params.partners),
            taxonomy_path=Path(smk.params.taxonomy),
        )
        write_problems(result.problems, Path(smk.output.problems))
        if result.ok:
            for name in PROCESSED_TABLES:
                write_table(name, result.tables[name], Path(smk.output[name]))
        text = format_problems(result.problems)
        summary = summary_line(result)
        if text:
            print(text + "\n", file=sys.stderr)
        if not result.ok:
            print(
                f"{summary}\nThe partner data has errors (listed above, also in {log}); "
                "nothing is built from it until they are fixed. `ktreport validate` lists them "
                "too.",
                file=sys.stderr,
            )
        else:
            print(summary, file=sys.stderr)
        written = f"{text}\n\n{summary}\n" if text else f"{summary}\n"
        return written if result.ok else Failed(written)

    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 - injected by Snakemake
