"""Stage 1, messages: validation results as text for the terminal and the logs.

``summary_line`` ("7 files, 90 rows: 2 errors, 1 warning") and ``format_problems`` (every
problem, one line each, grouped by file); ``ktreport validate`` and the combining rule
print them (``terminal_lines``: the same in colour, for a terminal). The partner-readable
HTML report is ``ktreport.partners.validation_report``.

A problem names the value the partner typed, which may hold control characters (a clear
screen, a fake "0 errors" in green, a clipboard write): they are shown escaped (``\x1b``,
``core.safe.printable``), and every problem stays on its one line.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ktreport.core.problems import Problem, count, sort_problems
from ktreport.core.safe import printable
from ktreport.core.style import plural
from ktreport.ingest.results import ValidationResult

if TYPE_CHECKING:  # pragma: no cover - rich is imported by the terminal only
    from rich.text import Text


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
            f"{_shown(file)} ({plural(count(group, 'error'), 'error')}, "
            f"{plural(count(group, 'warning'), 'warning')})"
        ]
        lines += [f"  {p.severity}: {_shown(p.line())}" for p in group]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _shown(text: str) -> str:
    """One line of a terminal or log: every control character escaped, newlines too."""
    return printable(text, keep="")


def terminal_lines(result: ValidationResult) -> list[Text | str]:
    """What ``ktreport validate`` prints on a terminal (rich ``Text``, never markup: a cell
    holding ``[red]`` shows as typed): each file underlined, its problems with the
    severity in colour, a blank line, and the summary (red with errors, else green)."""
    from rich.text import Text

    lines: list[Text | str] = []
    for file, group in group_by_file(result.problems):
        lines.append(Text(_shown(file), style="bold underline"))
        for problem in group:
            line = Text("  ")
            line.append(f"{problem.severity:<8}", style=_STYLES[problem.severity])
            line.append(_shown(problem.location.removeprefix(file).lstrip(":") or "(file)"))
            line.append("  " + _shown(problem.message))
            if problem.hint:
                line.append(" — " + _shown(problem.hint), style="dim")
            lines.append(line)
        lines.append("")
    style = "bold red" if not result.ok else "bold green"
    lines.append(Text(summary_line(result), style=style))
    return lines


_STYLES = {"error": "bold red", "warning": "yellow"}
