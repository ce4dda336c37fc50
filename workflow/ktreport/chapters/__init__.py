"""Stage 4a: chapter templates + key figures -> Markdown chapters (jinja2)."""
