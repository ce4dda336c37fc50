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
