"""Stage 5: the personal-data guard over every output, and publishing."""
