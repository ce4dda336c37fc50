"""Outside the DAG: partner templates, the validation report, the data dictionary."""
