# Stage 2: the tidy tables of data/processed/ -> aggregate tables and key_figures.json.


rule aggregate_tables:
    input:
        tables=PROCESSED_CSVS,
        library=library_files("aggregate"),
    output:
        tables=AGGREGATE_CSVS,
        key_figures=KEY_FIGURES,
    log:
        LOGS / "aggregate_tables.log",
    conda:
        "../../environment.yml"
    params:
        # Small-cell protection: a change rebuilds the key figures and all that follows.
        min_cell=config["min_cell"],
    script:
        "../scripts/aggregate_tables.py"


rule publish_key_figures:
    input:
        KEY_FIGURES,
    output:
        KEY_FIGURES_OUT,
    log:
        LOGS / "publish_key_figures.log",
    conda:
        "../../environment.yml"
    shell:
        "cp {input} {output} 2> {log}"
