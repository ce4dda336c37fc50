"""Outside the DAG: what went wrong in a build, in sentences (never a traceback).

Read from Snakemake's output and the failed steps' own logs: ``explain_failure`` for
``ktreport build`` in the project, ``revision_failure`` for a revision built in a worktree
for review (whose logs go with the worktree, so they are kept in the build's log).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ktreport.catalog import CONFIG_FILE, GUARD_RULE

# Lines of a failed step's log shown in the message (the rest stays in the log).
MESSAGE_LINES = 25
_FAILED_RULE = re.compile(r"^Error in rule (\w+):")
_FAILED_LOG = re.compile(r"^\s+log: (\S+)")
_UNEXPECTED_KEYS = re.compile(r"Additional properties are not allowed \((.*) (?:was|were) unexp")


def failed_steps(lines: Sequence[str]) -> list[tuple[str, str]]:
    """(rule, its log or "") of each ``Error in rule …`` of Snakemake's output, in order."""
    steps = []
    for index, line in enumerate(lines):
        failed = _FAILED_RULE.match(line)
        if failed:
            following = lines[index + 1 : index + 12]
            log = next((m.group(1) for m in map(_FAILED_LOG.match, following) if m), "")
            steps.append((failed.group(1), log))
    return steps


def revision_failure(log: Path, tree: Path, lines: int = 4) -> str:
    """What failed, from a build log: each failed step with the last lines of its own log
    (which lives in the worktree, so it is also appended to ``log`` before the worktree
    goes), else the last lines of Snakemake's output. Paths are shortened to the tree."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    output = text.splitlines()
    report: list[str] = []
    appendix: list[str] = []
    for rule, rule_log in failed_steps(output):
        step_lines: list[str] = []
        if rule_log and (tree / rule_log).is_file():
            content = (tree / rule_log).read_text(encoding="utf-8", errors="replace")
            appendix += [f"--- {rule_log} (step {rule}) ---", content.rstrip()]
            step_lines = [x.strip() for x in content.splitlines() if x.strip()][-lines:]
        report.append(f"step {rule} failed" + (":" if step_lines else ""))
        report += [f"  {x}" for x in step_lines]
    if appendix:
        with log.open("a", encoding="utf-8") as stream:
            stream.write("\n".join(["", *appendix, ""]))
    if not report:
        report = [x.strip() for x in output if x.strip()][-lines:]
    report = [x.replace(f"{tree}/", "").replace(str(tree), ".") for x in report]
    return "".join(f"\n  {x}" for x in report)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _is_traceback(text: str) -> bool:
    return "Traceback (most recent call last)" in text


def _clip(text: str, lines: int = MESSAGE_LINES) -> str:
    kept = [line for line in text.strip().splitlines()]
    if len(kept) > lines:
        kept = kept[:lines] + [f"… ({len(kept) - lines} more lines)"]
    return "\n".join(kept)


def _step_message(rule: str, log: Path | None, root: Path, build_log: Path) -> str:
    text = _read(root / log) if log else ""
    where = f"details in {log}" if log else f"Snakemake's output is in {build_log}"
    if rule == GUARD_RULE and text and not _is_traceback(text):
        return f"{_clip(text)}\n(also in {log})"
    if rule == "make_figures" and re.search(r"chrom", text, re.IGNORECASE):
        return (
            "The figures could not be drawn: Chromium (the browser kaleido uses to export "
            "figures) is missing or does not start. Install it with `make chromium` (or "
            f"`apt-get install chromium`) and build again; {where}."
        )
    if rule == "combine_tables" and not _is_traceback(text):
        return (
            "The partner data has errors: `ktreport validate` lists them (also in "
            f"{log}). Nothing is built until they are fixed."
        )
    if rule == "write_chapters" and text and not _is_traceback(text):
        return f"A chapter template has an error:\n{_clip(text)}\n(also in {log})"
    if text and not _is_traceback(text):
        return f"The step {rule} failed:\n{_clip(text)}\n({where})"
    return f"The step {rule} failed unexpectedly; {where}. Please send it to the maintainers."


def explain_failure(output: str, root: Path, build_log: Path) -> str:
    """What went wrong, in a few sentences, from Snakemake's output and the steps' logs."""
    if "Directory cannot be locked" in output or "LockException" in output:
        return (
            "Another Snakemake run is using this folder. Wait until it has finished and "
            "build again. If none is running (the computer was restarted during a build), "
            "run `snakemake --unlock` once, then build again."
        )
    unexpected = _UNEXPECTED_KEYS.search(output)
    if unexpected:
        return f"{CONFIG_FILE} has an unknown key: {unexpected.group(1)}."
    lines = output.splitlines()
    failed: list[tuple[str, Path | None]] = []
    for rule, log in failed_steps(lines):
        step = (rule, Path(log) if log else None)
        if step not in failed:
            failed.append(step)
    if failed:
        return "\n".join(_step_message(rule, log, root, build_log) for rule, log in failed)
    if "MissingInputException" in output:
        missing = [
            line.strip()
            for line in lines
            if line.startswith("    ") and not line.strip().startswith("affected")
        ]
        files = "\n  ".join(missing[:10])
        return f"Files the build needs are missing:\n  {files}\n(Snakemake's output: {build_log})"
    tail = [
        line
        for line in lines
        if line.strip() and not line.startswith((" ", "\t", "Traceback", "File "))
    ][-3:]
    last = "\n  ".join(tail)
    return f"The build failed:\n  {last}\nSnakemake's whole output is in {build_log}."
