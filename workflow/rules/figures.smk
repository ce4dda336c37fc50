# Stage 3: aggregates + key figures -> one SVG (static, for the PDF) and one plotly JSON
# (interactive, for the HTML) per figure, and the manifest figures.json. One job, so that
# kaleido starts Chromium once for all figures, and only for those whose content changed
# (figures/cache.py: kaleido's images by content hash in report/_build/figure_cache/).


rule make_figures:
    input:
        tables=AGGREGATE_CSVS,
        key_figures=KEY_FIGURES,
        library=library_files("figures"),
    output:
        manifest=FIGURES_MANIFEST,
        svgs=FIGURE_SVGS,
        jsons=FIGURE_JSONS,
    log:
        LOGS / "make_figures.log",
    # The report's critical path goes before the briefs when both could run.
    priority: 10
    conda:
        "../../environment.yml"
    params:
        # Kaleido's images by content: only changed figures are drawn again.
        cache=FIGURE_CACHE,
    script:
        "../scripts/make_figures.py"
