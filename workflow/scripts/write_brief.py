"""Rule write_brief: one brief's slice + the sample's -> its figures (one kaleido session),
its render context and its .qmd chapters."""

import sys
from pathlib import Path

from ktreport.chapters import briefs
from ktreport.core import provenance
from ktreport.figures.briefs import make_brief_figures
from ktreport.run.script import run_step


def main(smk) -> int:
    config = {
        "report": dict(smk.params.report),
        "sample_data": bool(smk.params.sample_data),
        "renderer": "pandoc",
        "release": bool(smk.params.release),
    }

    def body() -> str:
        import json

        unit = json.loads(Path(smk.input.slice).read_text(encoding="utf-8"))
        sample = json.loads(Path(smk.input.sample).read_text(encoding="utf-8"))
        manifest = make_brief_figures(unit, sample, Path(smk.output.figures).parent)
        build = provenance.build_info(Path.cwd(), config, raw_dir=None)
        build.update(version=smk.params.version, renderer="pandoc", raw_files=[])
        context = briefs.brief_context(
            unit_path=Path(smk.input.slice),
            sample_path=Path(smk.input.sample),
            config=config,
            build=build,
            figures_manifest=manifest,
        )
        briefs.dump_context(context, Path(smk.output.context))
        written = briefs.write_brief(
            Path(smk.params.templates_dir),
            context,
            Path(smk.output.chapters[0]).parent,
            shown_dir=Path(smk.params.templates_dir).as_posix(),
        )
        return f"brief {unit['unit']['id']}: {len(written)} chapters, figures {manifest}\n"

    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
