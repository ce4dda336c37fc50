"""Stage 2: tidy tables -> aggregate tables and key figures."""
