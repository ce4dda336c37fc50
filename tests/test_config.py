"""config.yaml is validated against its schema: typos and wrong values are errors naming the key."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from conftest import ROOT

SCHEMA = str(ROOT / "workflow" / "schemas" / "config.schema.yaml")


def _config() -> dict:
    return yaml.safe_load((ROOT / "config.yaml").read_text())


def test_shipped_config_is_valid():
    validate(_config(), schema=SCHEMA)


def test_typo_in_a_key_is_an_error_naming_the_key():
    config = _config()
    config["renderr"] = "pandoc"
    with pytest.raises(WorkflowError, match="renderr"):
        validate(config, schema=SCHEMA)


def test_typo_in_a_nested_key_is_an_error_naming_the_key():
    config = _config()
    config["report"]["titel"] = "x"
    with pytest.raises(WorkflowError, match="titel"):
        validate(config, schema=SCHEMA)


def test_unknown_renderer_is_an_error():
    config = _config()
    config["renderer"] = "latex"
    with pytest.raises(WorkflowError, match="latex"):
        validate(config, schema=SCHEMA)


def test_defaults_fill_missing_keys():
    config = {"report": {}}
    validate(config, schema=SCHEMA, set_default=True)
    assert config["renderer"] == "auto"
    assert config["sample_data"] is True
    assert config["report"]["title"] == "Knowledge Transfer Skills Investigation Report"


def test_every_key_is_documented_with_a_default():
    schema = yaml.safe_load(Path(SCHEMA).read_text())

    def walk(properties: dict, where: str) -> None:
        for key, spec in properties.items():
            assert spec.get("description"), f"{where}{key} has no description"
            assert "default" in spec, f"{where}{key} has no default"
            if "properties" in spec:
                walk(spec["properties"], f"{where}{key}.")

    walk(schema["properties"], "")
    assert copy.deepcopy(schema)["additionalProperties"] is False


def test_list_caps_default_to_the_values_a_context_without_config_uses():
    from ktreport.chapters.context import LIST_DEFAULTS

    config = {"report": {}}
    validate(config, schema=SCHEMA, set_default=True)
    assert config["lists"] == LIST_DEFAULTS
    assert _config()["lists"] == LIST_DEFAULTS  # the shipped config.yaml says the defaults


def test_a_list_cap_below_one_row_is_an_error_naming_the_key():
    config = _config()
    config["lists"]["case_studies"] = 0
    with pytest.raises(WorkflowError, match="case_studies|minimum"):
        validate(config, schema=SCHEMA)
