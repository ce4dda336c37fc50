"""Rule check_personal_data: search every output for personal values, then publish.

Fails the build (exit 1) naming the file and the kind of value, never the value itself.
"""

import sys
from pathlib import Path

from ktreport import guard
from ktreport.core.safe import printable
from ktreport.run.script import Failed, run_step


def main(smk) -> int:
    log = Path(smk.log[0])
    marker = Path(smk.output[0])

    def body() -> str | Failed:
        outputs = [Path(p) for p in smk.input.outputs]
        briefs = [Path(p) for p in smk.input.briefs]
        scanned = guard.files_under([Path(p) for p in smk.params.scanned], exclude=[log, marker])
        result = guard.check_personal_data(
            Path(smk.params.raw_dir),
            scanned,
            deliverables=outputs + briefs,
            public=list(smk.params.public),
            workers=int(smk.threads),
            memory=Path(smk.params.memory),
        )
        if not result.clean:
            message = guard.leak_message(result.leaks)
            print(printable(f"check_personal_data: {message}"), file=sys.stderr)
            return Failed(message + "\n")
        min_cell = int(smk.params.min_cell)
        small = guard.check_small_cells([*outputs, *briefs], min_cell)
        if small:
            message = guard.small_cell_message(small, min_cell)
            print(printable(f"check_personal_data: {message}"), file=sys.stderr)
            return Failed(message + "\n")
        briefs_dir = Path(smk.params.briefs_dir)
        published = guard.publish_groups(
            [(outputs, Path(smk.params.publish_dir)), (briefs, briefs_dir)]
        )
        removed = guard.remove_unlisted(briefs_dir, f"{smk.params.brief_name}_*", published)
        summary = (
            f"{result.n_values} personal values searched in {len(result.scanned)} files "
            f"({len(result.skipped)} without text skipped): none found.\n"
            f"No published number of interviewees below min_cell {min_cell}.\n"
            + "".join(f"published {p.as_posix()}\n" for p in published)
            + "".join(f"removed {p.as_posix()} (no brief any more)\n" for p in removed)
        )
        marker.write_text(summary, encoding="utf-8")
        return summary

    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
