"""Rule check_personal_data: search every output for personal values, then publish.

Fails the build (exit 1) naming the file and the kind of value, never the value itself.
"""

import sys
import traceback
from pathlib import Path

from ktreport.guard import (
    GuardProblem,
    check_personal_data,
    files_under,
    leak_message,
    publish,
)


def main(smk) -> int:
    log = Path(smk.log[0])
    marker = Path(smk.output[0])
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        outputs = [Path(p) for p in smk.input.outputs]
        scanned = files_under([Path(p) for p in smk.params.scanned], exclude=[log, marker])
        result = check_personal_data(
            Path(smk.params.raw_dir),
            scanned,
            deliverables=outputs,
            public=list(smk.params.public),
        )
        if not result.clean:
            message = leak_message(result.leaks)
            log.write_text(message + "\n", encoding="utf-8")
            print(f"check_personal_data: {message}", file=sys.stderr)
            return 1
        published = publish(outputs, Path(smk.params.publish_dir))
    except GuardProblem as error:
        log.write_text(f"{error}\n", encoding="utf-8")
        print(f"check_personal_data: {error}", file=sys.stderr)
        return 1
    except Exception:  # a bug: a short message here, the traceback in the log
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print(f"check_personal_data failed unexpectedly; details in {log}", file=sys.stderr)
        return 1
    summary = (
        f"{result.n_values} personal values searched in {len(result.scanned)} files "
        f"({len(result.skipped)} without text skipped): none found.\n"
        + "".join(f"published {p.as_posix()}\n" for p in published)
    )
    log.write_text(summary, encoding="utf-8")
    marker.write_text(summary, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
