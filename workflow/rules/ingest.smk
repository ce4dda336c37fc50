# Stage 1: partner files -> one checked part per file -> the tidy tables of data/processed/.
# Files are discovered in data/raw/<table>/ when the workflow is parsed: a new partner file
# needs no config edit, and only the part of a changed file is rebuilt.
PART_FILES = [PARTS / table / f"{partner}.json" for table, partner in PARTNER_FILES]


rule clean_partner_file:
    input:
        raw=partner_file_stamps,
        taxonomy=stamps_of([TAXONOMY_CSV]),
        library=library_files("ingest"),
    output:
        part=PARTS / "{table}" / "{partner}.json",
    log:
        LOGS / "clean_partner_file" / "{table}" / "{partner}.log",
    wildcard_constraints:
        table="|".join(PARTNER_TABLES),
        partner="[^/]+",
    conda:
        "../../environment.yml"
    params:
        raw=partner_file,
        taxonomy=TAXONOMY_CSV,
    script:
        "../scripts/clean_partner_file.py"


rule combine_tables:
    input:
        parts=PART_FILES,
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
