# Stage 5, the guard: every output of the build is searched for the personal values of the
# raw interviews files (and for quotes given without consent). Only when none is found are
# the staged outputs of report/_build/output/ published to report/output/, each by a
# temporary file and a rename. The published files are no job's output, so Snakemake never
# deletes them: a failed or killed build leaves the previous report complete and readable.
STAGED_OUTPUTS = [REPORT_HTML, REPORT_PDF, KEY_FIGURES_OUT]
if config.get("archival_pdf", False):
    STAGED_OUTPUTS.append(REPORT_PDFA)
if config.get("review_docx", True):
    STAGED_OUTPUTS.append(REPORT_DOCX)


RAW_PARTNER_FILES = sorted(path for paths in PARTNER_FILES.values() for path in paths)


rule check_personal_data:
    input:
        outputs=STAGED_OUTPUTS,
        briefs=staged_briefs,
        raw=stamps_of([PARTNERS_CSV, *RAW_PARTNER_FILES]),
        # The guard reads the raw files with the ingest's readers and folds text as its
        # validator does; it counts cells as the aggregation protects them.
        library=library_files("ingest", "aggregate", "guard"),
    output:
        GUARD_MARKER,
    log:
        LOGS / "check_personal_data.log",
    conda:
        "../../environment.yml"
    # The last job, alone: its files are scanned side by side (Snakemake gives it at most
    # --cores; on Slurm, 2 CPUs).
    threads: 2
    params:
        raw_dir=RAW,
        publish_dir=OUTPUT,
        briefs_dir=BRIEF_OUTPUT,
        brief_name=BRIEF_NAME,
        scanned=list(GUARD_SCANNED),
        memory=GUARD_CACHE,
        public=config["report"].get("consortium", []),
        min_cell=config["min_cell"],
    script:
        "../scripts/check_personal_data.py"
