"""Rule write_chapters: chapter templates + key figures, tables, figures -> .qmd chapters."""

import sys
from pathlib import Path

from ktreport import chapters as text
from ktreport.catalog import CHAPTER_TEMPLATES_DIR
from ktreport.chapters import choose_renderer
from ktreport.core import provenance
from ktreport.run.script import run_step


def main(smk) -> int:
    config = {
        "report": dict(smk.params.report),
        "sample_data": bool(smk.params.sample_data),
        "renderer": smk.params.renderer,
        "release": bool(smk.params.release),
        "archival_pdf": bool(smk.params.archival_pdf),
        "lists": dict(smk.params.lists),
    }

    def body() -> str:
        renderer = choose_renderer(config["renderer"])
        build = provenance.build_info(
            Path.cwd(),
            config,
            raw_dir=Path(smk.params.raw_dir),
            include_quarto=renderer == "quarto",
        )
        build["renderer"] = renderer
        context = text.build_context(
            config=config,
            build=build,
            key_figures=Path(smk.input.key_figures),
            figures_manifest=Path(smk.input.figures),
            aggregates_dir=Path(smk.input.aggregates[0]).parent,
            processed_dir=Path(smk.input.tables[0]).parent,
        )
        text.dump_context(context, Path(smk.output.context))
        chapters_dir = Path(smk.input.templates[0]).parent if smk.input.templates else None
        if chapters_dir is None:
            raise text.TemplateProblem(
                f"{CHAPTER_TEMPLATES_DIR}/: no chapter templates (*.md.j2) found"
            )
        written = text.write_chapters(
            chapters_dir,
            context,
            Path(smk.output.chapters[0]).parent,
            shown_dir=CHAPTER_TEMPLATES_DIR.as_posix(),
        )
        return (
            f"{len(written)} chapters written; version {build['version']}, "
            f"data fingerprint {build['data_fingerprint']}, renderer {renderer}\n"
        )

    return run_step(smk, body)


if __name__ == "__main__":
    sys.exit(main(snakemake))  # noqa: F821 (injected by Snakemake)
