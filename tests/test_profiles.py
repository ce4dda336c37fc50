"""``ktreport build --profile NAME``: the workflow run as a Snakemake profile says.

The real Slurm run is in tests/cluster (``make cluster-test``); here, what happens on a
machine without Slurm, and that a profile's options reach Snakemake.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from project_builds import copy_project, ktreport

from conftest import ROOT
from ktreport.run import profiles


def test_a_profile_is_found_by_its_name_under_profiles():
    assert profiles.resolve(ROOT, "slurm") == Path("profiles/slurm")
    assert profiles.resolve(ROOT, "profiles/slurm-test") == Path("profiles/slurm-test")
    assert {"slurm", "slurm-test"} <= set(profiles.available(ROOT))


def test_an_unknown_profile_is_named_with_the_ones_there_are():
    with pytest.raises(profiles.ProfileProblem) as raised:
        profiles.resolve(ROOT, "slurn")
    message = str(raised.value)
    assert "There is no profile 'slurn'" in message
    assert "slurm, slurm-test" in message


def test_the_slurm_profile_on_a_machine_without_sbatch_says_where_to_run(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no sbatch on it
    with pytest.raises(profiles.ProfileProblem) as raised:
        profiles.check(ROOT, Path("profiles/slurm"))
    assert "no `sbatch`" in str(raised.value)
    assert "login node" in str(raised.value)


def test_a_profile_that_is_not_a_mapping_is_refused(tmp_path):
    (tmp_path / "profiles" / "odd").mkdir(parents=True)
    (tmp_path / "profiles" / "odd" / "config.yaml").write_text("- cores\n- 2\n")
    with pytest.raises(profiles.ProfileProblem, match="not a list"):
        profiles.check(tmp_path, profiles.resolve(tmp_path, "odd"))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project, not built (dry runs only)."""
    return copy_project(tmp_path_factory.mktemp("profiles") / "project")


def test_build_with_an_unknown_profile_stops_before_snakemake(project):
    result = ktreport(project, "build", "--profile", "nosuch", timeout=120)
    assert result.returncode == 1
    assert "There is no profile 'nosuch'" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (project / "logs" / "ktreport-build.log").exists()


@pytest.mark.skipif(shutil.which("sbatch") is not None, reason="this machine has Slurm")
def test_build_with_the_slurm_profile_and_no_slurm_says_so(project):
    result = ktreport(project, "build", "--profile", "slurm", timeout=120)
    assert result.returncode == 1
    assert "no `sbatch`" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_a_profiles_options_reach_snakemake(project, tmp_path):
    own = project / "profiles" / "two-jobs"
    own.mkdir(parents=True, exist_ok=True)
    # `jobs` is a Snakemake option; Snakemake says which profile set its defaults.
    (own / "config.yaml").write_text("executor: local\njobs: 2\n", encoding="utf-8")
    result = ktreport(project, "build", "--dry-run", "--profile", "two-jobs", timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Profile profiles/two-jobs: jobs run on local." in result.stderr
    log = (project / "logs" / "ktreport-build.log").read_text(encoding="utf-8")
    assert "--workflow-profile profiles/two-jobs" in log.splitlines()[0]
    assert "Using workflow specific profile profiles/two-jobs" in log
