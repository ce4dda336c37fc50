# Briefs (config briefs: countries | partners | none): one short brief per country (or
# partner) with at least min_cell interviewees. Which ones is known only from the data, so
# slice_briefs is a checkpoint; it writes each brief's slice only when its content changes,
# and a brief's jobs read only their own slice and the sample's: a change in one country's
# data rebuilds that country's brief (and the others only when the whole sample's numbers
# they quote change). The three jobs of one brief form the group "brief": on Slurm each
# brief is one cluster job (the group's connected component), the briefs run side by side.
from ktreport.catalog import (
    BRIEF_BUILD,
    BRIEF_FIGURE_IDS,
    BRIEF_SAMPLE,
    BRIEF_SLICES,
    BRIEF_TEMPLATES_DIR,
    BRIEF_UNITS,
    brief_file,
    chapter_output_name,
    chapter_templates,
)

BRIEF_TEMPLATES = chapter_templates(BRIEF_TEMPLATES_DIR)
BRIEF_DIR = BRIEF_BUILD / "{brief}"
BRIEF_SVGS = [
    BRIEF_DIR / "figures" / f"{figure_id}.svg" for figure_id in BRIEF_FIGURE_IDS
]
BRIEF_CHAPTERS = [
    BRIEF_DIR / "chapters" / chapter_output_name(t) for t in BRIEF_TEMPLATES
]


# Cheap (about a second of pandas), and the briefs are known only once it has run.
localrules:
    slice_briefs,


checkpoint slice_briefs:
    input:
        tables=PROCESSED_CSVS,
        library=library_files("aggregate"),
    output:
        BRIEF_UNITS,
    log:
        LOGS / "slice_briefs.log",
    conda:
        "../../environment.yml"
    params:
        kind=config["briefs"],
        min_cell=config["min_cell"],
    script:
        "../scripts/slice_briefs.py"


rule write_brief:
    input:
        unpack(brief_data),
        templates=BRIEF_TEMPLATES,
        library=library_files("aggregate", "figures", "chapters", "render"),
    output:
        chapters=BRIEF_CHAPTERS,
        context=BRIEF_DIR / "render_context.json",
        figures=BRIEF_DIR / "figures" / FIGURES_MANIFEST_FILE,
        svgs=BRIEF_SVGS,
    log:
        LOGS / "briefs" / "{brief}" / "write_brief.log",
    wildcard_constraints:
        brief="[A-Za-z0-9_-]+",
    group:
        "brief"
    conda:
        "../../environment.yml"
    params:
        report=config["report"],
        sample_data=config["sample_data"],
        release=config["release"],
        version=REPORT_VERSION,
        templates_dir=BRIEF_TEMPLATES_DIR,
    script:
        "../scripts/write_brief.py"


# The report's renderer (pandoc: Quarto would cost 15-20 s a brief) and the report's
# layout: the same front matter, funding statement, figures and stylesheets.
rule render_brief_html:
    input:
        chapters=BRIEF_CHAPTERS,
        context=BRIEF_DIR / "render_context.json",
        figures=BRIEF_DIR / "figures" / FIGURES_MANIFEST_FILE,
        svgs=BRIEF_SVGS,
        layout=REPORT_LAYOUT,
        library=library_files("render"),
    output:
        brief_file("{brief}", ".html"),
    log:
        LOGS / "briefs" / "{brief}" / "render_brief_html.log",
    wildcard_constraints:
        brief="[A-Za-z0-9_-]+",
    group:
        "brief"
    conda:
        "../../environment.yml"
    params:
        renderer="pandoc",
        report_dir=REPORT_DIR,
        build_dir=lambda wildcards: BRIEF_BUILD / wildcards.brief,
    script:
        "../scripts/render_html.py"


rule render_brief_pdf:
    input:
        chapters=BRIEF_CHAPTERS,
        context=BRIEF_DIR / "render_context.json",
        figures=BRIEF_DIR / "figures" / FIGURES_MANIFEST_FILE,
        svgs=BRIEF_SVGS,
        layout=REPORT_LAYOUT,
        library=library_files("render"),
    output:
        brief_file("{brief}", ".pdf"),
    log:
        LOGS / "briefs" / "{brief}" / "render_brief_pdf.log",
    wildcard_constraints:
        brief="[A-Za-z0-9_-]+",
    group:
        "brief"
    conda:
        "../../environment.yml"
    params:
        report_dir=REPORT_DIR,
        build_dir=lambda wildcards: BRIEF_BUILD / wildcards.brief,
        pdf_variant="pdf/ua-1",
    script:
        "../scripts/render_pdf.py"
