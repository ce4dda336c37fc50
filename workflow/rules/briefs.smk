# Briefs (config briefs: countries | partners | none): one short brief per country (or
# partner) with at least min_cell interviewees. Which ones is known only from the data, so
# slice_briefs is a checkpoint. It writes each brief's slice and draws every brief's
# figures in one kaleido session, each file only when its content changes; a brief's job
# reads only its own slice, figures and the sample's: a change in one country's data
# rebuilds that country's brief (and the others only when the whole sample's numbers they
# quote change). One job per brief (make_brief: chapters, HTML and PDF in one process) is
# one cluster job on Slurm, the briefs run side by side.
from ktreport.catalog import (
    BRIEF_BUILD,
    BRIEF_FIGURE_CACHE,
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
BRIEF_CHAPTERS = [
    BRIEF_DIR / "chapters" / chapter_output_name(t) for t in BRIEF_TEMPLATES
]


checkpoint slice_briefs:
    input:
        tables=PROCESSED_CSVS,
        library=library_files("aggregate", "figures"),
    output:
        BRIEF_UNITS,
    log:
        LOGS / "slice_briefs.log",
    conda:
        "../../environment.yml"
    params:
        kind=config["briefs"],
        min_cell=config["min_cell"],
        build_dir=BRIEF_BUILD,
        figure_cache=BRIEF_FIGURE_CACHE,
    script:
        "../scripts/slice_briefs.py"


# The report's renderer (pandoc: Quarto would cost 15-20 s a brief) and the report's
# layout: the same front matter, funding statement, figures and stylesheets.
rule make_brief:
    input:
        unpack(brief_data),
        templates=BRIEF_TEMPLATES,
        layout=REPORT_LAYOUT,
        library=library_files("aggregate", "figures", "chapters", "render"),
    output:
        chapters=BRIEF_CHAPTERS,
        context=BRIEF_DIR / "render_context.json",
        html=brief_file("{brief}", ".html"),
        pdf=brief_file("{brief}", ".pdf"),
    log:
        LOGS / "briefs" / "{brief}" / "make_brief.log",
    wildcard_constraints:
        brief="[A-Za-z0-9_-]+",
    conda:
        "../../environment.yml"
    params:
        report=config["report"],
        sample_data=config["sample_data"],
        release=config["release"],
        version=REPORT_VERSION,
        templates_dir=BRIEF_TEMPLATES_DIR,
        report_dir=REPORT_DIR,
        build_dir=lambda wildcards: BRIEF_BUILD / wildcards.brief,
    script:
        "../scripts/make_brief.py"
