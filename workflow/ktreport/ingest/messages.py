"""Stage 1, messages: validation results as text for the terminal and the logs.

``summary_line`` ("7 files, 90 rows: 2 errors, 1 warning") and ``format_problems`` (every
problem, one line each, grouped by file); ``ktreport validate`` and the combining rule
print them. The partner-readable HTML report is ``ktreport.partners.validation_report``.
"""

from __future__ import annotations

from collections import defaultdict

from ktreport.core.problems import Problem, count, sort_problems
from ktreport.core.style import plural
from ktreport.ingest.results import ValidationResult


def summary_line(result: ValidationResult) -> str:
    """'7 files, 90 rows: 2 errors, 1 warning'"""
    return (
        f"{plural(len(result.files), 'file')}, {plural(result.n_rows, 'row')}: "
        f"{plural(result.n_errors, 'error')}, {plural(result.n_warnings, 'warning')}"
    )


def group_by_file(problems: list[Problem]) -> list[tuple[str, list[Problem]]]:
    groups: dict[str, list[Problem]] = defaultdict(list)
    for problem in sort_problems(problems):
        groups[problem.file].append(problem)
    return sorted(groups.items())


def format_problems(problems: list[Problem]) -> str:
    """Every problem, one line each, grouped by file under a heading with the counts."""
    blocks = []
    for file, group in group_by_file(problems):
        lines = [
            f"{file} ({plural(count(group, 'error'), 'error')}, "
            f"{plural(count(group, 'warning'), 'warning')})"
        ]
        lines += [f"  {p.severity}: {p.line()}" for p in group]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
