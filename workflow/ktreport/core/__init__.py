"""Shared helpers every stage uses: errors, problems, house style, io, git, provenance."""
