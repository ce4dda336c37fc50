"""Outside the DAG: synthetic data and the benchmark."""
