# Stage 4: chapter templates + key figures, aggregates, figures -> Quarto-compatible .qmd
# chapters -> one self-contained HTML file (pandoc, or Quarto where installed) and an A4 PDF
# (WeasyPrint, from the print variant of the same HTML).
from ktreport.catalog import chapter_output_name, chapter_templates, report_layout
from ktreport.core.git import readable_version

CHAPTER_TEMPLATES = chapter_templates(CHAPTER_TEMPLATES_DIR)
CHAPTERS = [CHAPTERS_DIR / chapter_output_name(t) for t in CHAPTER_TEMPLATES]
REPORT_LAYOUT = report_layout(REPORT_DIR)
# The version (a release's tag, or "draft of v0.3 + 4 commits (abc1234)") is a parameter,
# so a new commit or a release (--config release=true, set by ktreport build --release)
# re-renders the title page.
REPORT_VERSION = readable_version(
    Path.cwd(), str(config["report"]["version"]), bool(config["release"])
)


rule write_chapters:
    input:
        templates=CHAPTER_TEMPLATES,
        key_figures=KEY_FIGURES,
        aggregates=AGGREGATE_CSVS,
        figures=FIGURES_MANIFEST,
        tables=PROCESSED_CSVS,
        # The build annex lists every raw file with its sha256.
        raw=ALL_RAW_STAMPS,
        library=library_files("chapters", "render"),
    output:
        chapters=CHAPTERS,
        sources=CHAPTER_SOURCES,
        context=RENDER_CONTEXT,
    log:
        LOGS / "write_chapters.log",
    # The report's critical path goes before the briefs when both could run.
    priority: 10
    conda:
        "../../environment.yml"
    params:
        report=config["report"],
        sample_data=config["sample_data"],
        renderer=config["renderer"],
        raw_dir=RAW,
        version=REPORT_VERSION,
        release=config["release"],
        archival_pdf=config["archival_pdf"],
        lists=config["lists"],
    script:
        "../scripts/write_chapters.py"


rule render_html:
    input:
        chapters=CHAPTERS,
        context=RENDER_CONTEXT,
        figures=FIGURES_MANIFEST,
        svgs=FIGURE_SVGS,
        jsons=FIGURE_JSONS,
        layout=REPORT_LAYOUT,
        library=library_files("render"),
    output:
        REPORT_HTML,
    log:
        LOGS / "render_html.log",
    conda:
        "../../environment.yml"
    params:
        renderer=config["renderer"],
        report_dir=REPORT_DIR,
        build_dir=BUILD,
    script:
        "../scripts/render_html.py"


rule render_pdf:
    input:
        chapters=CHAPTERS,
        context=RENDER_CONTEXT,
        figures=FIGURES_MANIFEST,
        svgs=FIGURE_SVGS,
        layout=REPORT_LAYOUT,
        library=library_files("render"),
    output:
        REPORT_PDF,
    log:
        LOGS / "render_pdf.log",
    # The report's critical path goes before the briefs when both could run.
    priority: 10
    conda:
        "../../environment.yml"
    params:
        report_dir=REPORT_DIR,
        build_dir=BUILD,
        pdf_variant="pdf/ua-1",
    script:
        "../scripts/render_pdf.py"


# The archival PDF/A-3b: the same pages, with the processed tables, the aggregates and
# key_figures.json attached (dated with the commit), so the data travel with the document.
rule render_archival_pdf:
    input:
        chapters=CHAPTERS,
        context=RENDER_CONTEXT,
        figures=FIGURES_MANIFEST,
        svgs=FIGURE_SVGS,
        layout=REPORT_LAYOUT,
        attachments=[*PROCESSED_CSVS, *AGGREGATE_CSVS, KEY_FIGURES],
        library=library_files("render"),
    output:
        REPORT_PDFA,
    log:
        LOGS / "render_archival_pdf.log",
    conda:
        "../../environment.yml"
    params:
        report_dir=REPORT_DIR,
        build_dir=BUILD,
        pdf_variant="pdf/a-3b",
    script:
        "../scripts/render_pdf.py"


# The Word review copy: the figures as PNG (one kaleido session), then pandoc with the
# house styles and a bookmark per paragraph to its chapter line (ktreport.render.docx).
rule export_png_figures:
    input:
        jsons=FIGURE_JSONS,
        library=library_files("render"),
    output:
        FIGURE_PNGS,
    log:
        LOGS / "export_png_figures.log",
    conda:
        "../../environment.yml"
    params:
        # Kaleido's images by content: only changed figures are drawn again.
        cache=FIGURE_CACHE,
    script:
        "../scripts/export_png_figures.py"


rule render_docx:
    input:
        chapters=CHAPTERS,
        sources=CHAPTER_SOURCES,
        context=RENDER_CONTEXT,
        pngs=FIGURE_PNGS,
        layout=REPORT_LAYOUT,
        library=library_files("chapters", "render"),
    output:
        REPORT_DOCX,
    log:
        LOGS / "render_docx.log",
    conda:
        "../../environment.yml"
    params:
        report_dir=REPORT_DIR,
        docx_dir=DOCX_DIR,
    script:
        "../scripts/render_docx.py"
