"""Stage 3: aggregates -> plotly figures (SVG for print, JSON for the HTML)."""
