"""Outside the DAG: the review aid, ``ktreport diff``: what changed between two versions."""
