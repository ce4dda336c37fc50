"""Rule render_html: .qmd chapters + figures -> the self-contained HTML report."""

import json
import sys
import traceback
from pathlib import Path

from ktreport.render import RenderProblem, choose_renderer, render_html


def main(smk) -> int:
    log = Path(smk.log[0])
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        context = json.loads(Path(smk.input.context).read_text(encoding="utf-8"))
        renderer = choose_renderer(smk.params.renderer)
        warnings = render_html(
            [Path(c) for c in smk.input.chapters],
            Path(smk.output[0]),
            context=context,
            report_dir=Path(smk.params.report_dir),
            build_dir=Path(smk.params.build_dir),
            renderer=renderer,
        )
    except RenderProblem as error:
        log.write_text(f"{error}\n", encoding="utf-8")
        print(f"render_html: {error}", file=sys.stderr)
        return 1
    except Exception:  # a bug: a short message here, the traceback in the log
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print(f"render_html failed unexpectedly; details in {log}", file=sys.stderr)
        return 1
    log.write_text(
        "".join(f"{w}\n" for w in warnings) + f"HTML written with {renderer}: {smk.output[0]}\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
