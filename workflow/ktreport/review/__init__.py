"""Outside the DAG: `ktreport diff`, what changed between two versions."""
