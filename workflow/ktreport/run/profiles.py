"""Outside the DAG: ``ktreport build --profile NAME``, the same workflow on a cluster.

A profile is a Snakemake workflow profile: a folder with a ``config.yaml`` of Snakemake's
command-line options (``profiles/slurm/`` sends every job to Slurm through
snakemake-executor-plugin-slurm). ``NAME`` is a folder under ``profiles/`` or a path to one.
What a profile needs that this machine lacks (Slurm's ``sbatch``, the executor plugin) is
said before Snakemake starts, in a sentence, not in Snakemake's traceback.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from pathlib import Path

from ktreport.catalog import PROFILES
from ktreport.core.errors import KtreportError


class ProfileProblem(KtreportError):
    """The profile cannot be used; the message says why and what to do."""


def available(root: Path) -> list[str]:
    """The profiles of the project (folders under ``profiles/`` with a config.yaml)."""
    folder = Path(root) / PROFILES
    return sorted(p.parent.name for p in folder.glob("*/config.yaml"))


def resolve(root: Path, name: str) -> Path:
    """The profile folder ``name`` stands for, relative to ``root`` when it is inside it."""
    root = Path(root)
    for candidate in (root / PROFILES / name, root / name, Path(name).expanduser()):
        if (candidate / "config.yaml").is_file():
            try:
                return candidate.resolve().relative_to(root.resolve())
            except ValueError:
                return candidate.resolve()
    known = ", ".join(available(root)) or "none"
    raise ProfileProblem(
        f"There is no profile {name!r}: a profile is a folder under {PROFILES}/ (here: "
        f"{known}) or a path to a folder with a config.yaml of Snakemake options."
    )


def _options(root: Path, profile: Path) -> dict:
    import yaml  # here, not at the top: a build without --profile does not need it

    path = (Path(root) / profile) / "config.yaml"
    try:
        options = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ProfileProblem(f"{path} cannot be read as YAML: {error}.") from None
    if not isinstance(options, dict):
        raise ProfileProblem(f"{path} must hold Snakemake options (key: value), not a list.")
    return options


def check(root: Path, profile: Path) -> str:
    """What the profile runs on ("slurm", "local" ...), after checking this machine has it."""
    executor = str(_options(root, profile).get("executor", "local"))
    if executor == "slurm":
        if importlib.util.find_spec("snakemake_executor_plugin_slurm") is None:
            raise ProfileProblem(
                "The profile sends jobs to Slurm, but snakemake-executor-plugin-slurm is not "
                "installed in this environment: run `make env` (it is one of the project's "
                "pinned packages)."
            )
        if shutil.which("sbatch") is None:
            raise ProfileProblem(
                "The profile sends jobs to Slurm, but this machine has no `sbatch`: run the "
                "build on the cluster's login node (in a checkout on its shared filesystem), "
                "or build here without --profile."
            )
    return executor


def choose(root: Path, name: str, say: Callable[[str], None]) -> Path:
    """The profile folder for ``--profile name``, checked (``ProfileProblem`` if it cannot
    be used); ``say`` is told what the jobs run on."""
    profile = resolve(root, name)
    say(f"Profile {profile}: jobs run on {check(root, profile)}.")
    return profile


def arguments(profile: Path) -> list[str]:
    """Snakemake's options for ``profile``."""
    return ["--workflow-profile", str(profile)]
