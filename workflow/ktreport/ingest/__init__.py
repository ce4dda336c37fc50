"""Stage 1: partner files -> validated, clean, tidy tables (data/processed/)."""
