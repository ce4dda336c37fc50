"""Where the tests find a real Quarto CLI, and what they do when there is none.

Looked for, in order: ``$KTREPORT_QUARTO`` (the quarto executable), ``quarto`` on PATH,
``~/.cache/quarto-1.7.34/bin/quarto`` (where ``.ci/run`` installs the shared kit
``../shared/tools/quarto``). Without one a test skips, saying so; but in CI (``CI`` set)
next to the shared kit, a missing Quarto is a failure: the kit should have installed it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_KIT = ROOT.parent / "shared" / "tools" / "quarto"
KIT_PREFIX = Path.home() / ".cache" / "quarto-1.7.34"


def find_quarto() -> Path | None:
    candidates = [os.environ.get("KTREPORT_QUARTO"), shutil.which("quarto")]
    candidates.append(str(KIT_PREFIX / "bin" / "quarto"))
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


def require_quarto() -> Path:
    """The folder holding the quarto executable; skips (or fails in CI) without one."""
    quarto = find_quarto()
    if quarto is None:
        reason = (
            "no Quarto CLI here (not at $KTREPORT_QUARTO, on PATH or at "
            f"~/.cache/quarto-1.7.34/bin/quarto); install one, e.g. "
            f"{SHARED_KIT}/install.sh ~/.cache/quarto-1.7.34"
        )
        if os.environ.get("CI") and SHARED_KIT.is_dir():
            pytest.fail(f"{reason}: in CI, .ci/run should have installed it", pytrace=False)
        pytest.skip(reason)
    return quarto.parent


def path_with(folder: Path) -> str:
    """PATH with ``folder`` first: ``renderer: quarto`` looks for quarto on PATH."""
    return os.pathsep.join([str(folder), os.environ.get("PATH", "")])
