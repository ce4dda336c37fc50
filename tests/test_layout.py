"""The library's shape: small modules, short functions, stages in their own subpackages.

Measured from the sources with ``ast``, so the limits hold for every change, not only for
the restructure that set them (issue: the library as stage packages).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LIBRARY = Path(__file__).resolve().parents[1] / "workflow" / "ktreport"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
# Modules that are declared data (tables of values), not logic: allowed to be longer.
DATA_MODULES = {"contract.py", "tools/synth_data.py"}
STAGES = ("core", "ingest", "aggregate", "figures", "chapters", "render", "guard")
OUTSIDE = ("partners", "review", "run", "tools")


def _modules() -> list[Path]:
    return sorted(LIBRARY.rglob("*.py"))


def test_every_stage_has_its_subpackage():
    for name in (*STAGES, *OUTSIDE):
        assert (LIBRARY / name / "__init__.py").is_file(), name
    flat = sorted(p.name for p in LIBRARY.glob("*.py"))
    assert flat == ["__init__.py", "catalog.py", "cli.py", "contract.py"]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(LIBRARY).as_posix())
def test_a_module_is_short(path):
    rel = path.relative_to(LIBRARY).as_posix()
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if rel not in DATA_MODULES:
        assert lines <= MAX_MODULE_LINES, f"{rel}: {lines} lines (at most {MAX_MODULE_LINES})"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(LIBRARY).as_posix())
def test_a_function_is_short(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines, line {node.lineno})"
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{path.relative_to(LIBRARY)}: " + "; ".join(long)


def test_the_rules_import_only_the_catalog_and_the_stdlib_helpers():
    rules = [*(LIBRARY.parents[1] / "workflow" / "rules").glob("*.smk")]
    rules.append(LIBRARY.parents[1] / "Snakefile")
    allowed = {"ktreport.catalog", "ktreport.core.git", "ktreport.core.stamps"}
    for rule_file in rules:
        for line in rule_file.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if words[:1] in (["from"], ["import"]) and words[1].startswith("ktreport"):
                assert words[1] in allowed, f"{rule_file.name}: {line}"


def test_the_architecture_doc_names_every_module():
    doc = (LIBRARY.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        p.relative_to(LIBRARY).as_posix()
        for p in _modules()
        if p.name != "__init__.py" and f"`{p.relative_to(LIBRARY).as_posix()}`" not in doc
    ]
    assert not missing, f"docs/architecture.md does not describe: {missing}"
