# Stage 1: partner files -> one bundle of checked parts per table -> the tidy tables of
# data/processed/. Files are discovered in data/raw/<table>/ when the workflow is parsed: a
# new partner file needs no config edit. One job per table; it re-cleans only the files
# whose content changed and takes the others' parts from its cache (parts/cache/<table>/).
PART_BUNDLES = [PARTS / f"{table}.json" for table in sorted(PARTNER_TABLES)]


rule clean_table:
    input:
        raw=lambda wildcards: stamps_of(table_files(wildcards)),
        taxonomy=stamps_of([TAXONOMY_CSV]),
        library=library_files("ingest"),
    output:
        parts=PARTS / "{table}.json",
    log:
        LOGS / "clean_table" / "{table}.log",
    wildcard_constraints:
        table="|".join(PARTNER_TABLES),
    conda:
        "../../environment.yml"
    params:
        # The list is a parameter too, so a file removed re-runs the step (params trigger).
        raw=lambda wildcards: [str(path) for path in table_files(wildcards)],
        taxonomy=TAXONOMY_CSV,
        cache=lambda wildcards: PARTS / "cache" / wildcards.table,
    script:
        "../scripts/clean_table.py"


rule combine_tables:
    input:
        parts=PART_BUNDLES,
        references=stamps_of([PARTNERS_CSV, TAXONOMY_CSV]),
        library=library_files("ingest"),
    output:
        **{name: PROCESSED / f"{name}.csv" for name in PROCESSED_TABLES},
        problems=PROBLEMS_CSV,
    log:
        LOGS / "combine_tables.log",
    conda:
        "../../environment.yml"
    params:
        partners=PARTNERS_CSV,
        taxonomy=TAXONOMY_CSV,
        # Links, folders and special files where partner files should be are errors of this
        # step; listed here so that one appearing (or going) re-runs it (params trigger).
        odd_entries=[f"{path}:{kind}" for path, kind in odd_partner_entries(RAW)],
    script:
        "../scripts/combine_tables.py"
