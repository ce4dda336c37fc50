"""The conda environment, the pip lock and pyproject.toml pin the same versions."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT


def _pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = project["dependencies"] + project["optional-dependencies"]["dev"]
    return dict(p.split("==") for p in pins)


def test_every_dependency_is_pinned_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][0-9A-Za-z.]*", requirement), requirement


def test_environment_yml_pins_what_pyproject_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    env_pins = dict(p.split("==") for p in pip_section if "==" in p)
    assert env_pins == _pyproject_pins()


def test_lock_file_agrees_with_pyproject():
    lock = (ROOT / "requirements.lock").read_text()
    locked = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", lock, flags=re.M))
    locked = {k.lower().replace("_", "-"): v for k, v in locked.items()}
    for name, version in _pyproject_pins().items():
        assert locked.get(name.lower().replace("_", "-")) == version, name
