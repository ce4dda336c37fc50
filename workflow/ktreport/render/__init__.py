"""Stage 4b: chapters -> HTML (pandoc or Quarto) and PDF (WeasyPrint)."""
