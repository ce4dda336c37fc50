"""What ``ktreport validate`` imports (issue 16: the sample's validation under 1.5 s):
pandera without hypothesis, which it would import for data synthesis the schemas never
use, and hypothesis still there for whoever needs it afterwards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import sys
from ktreport import contract
from ktreport.ingest import schema
schema._schema(contract.RATINGS)
from pandera.strategies.base_strategies import HAS_HYPOTHESIS
print("loaded" if "hypothesis.core" in sys.modules else "not loaded", HAS_HYPOTHESIS)
import hypothesis.strategies
print("importable", hasattr(hypothesis.strategies, "integers"))
"""


def test_the_schemas_load_pandera_without_hypothesis_and_leave_it_importable():
    pytest.importorskip("hypothesis")
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "workflow"), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert result.stdout.split("\n")[:2] == ["not loaded False", "importable True"]


EXIT = """
import atexit, gc, sys
from ktreport.cli import main
atexit.register(lambda: print("frozen", gc.get_freeze_count() > 0, flush=True))
sys.argv = ["ktreport", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("args", [["validate"], ["template", "--help"], ["nonsense"]])
def test_a_command_ends_without_pythons_last_collections(args):
    # Freezing the objects when a command is done spares the collections at exit (0.2 s of
    # the sample's validation); the command's own exit code and atexit handlers stay.
    expected_code = {"validate": 0, "template": 0, "nonsense": 2}[args[0]]
    result = subprocess.run(
        [sys.executable, "-c", EXIT, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "workflow"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == expected_code, result.stderr
    assert result.stdout.splitlines()[-1] == "frozen True"
