"""Outside the DAG: running the workflow: the one place that starts Snakemake, the user's
build (its lock, config check and messages) and the rule scripts' shared skeleton.
"""
