"""Outside the DAG: running the workflow (the build, its lock and its messages)."""
