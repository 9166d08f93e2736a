"""Manifest schema v1: validation messages, normalisation, JSON Schema."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from preflight.loader import parse_yaml
from preflight.manifest import Manifest, ManifestError, json_schema, parse_manifest
from tests.conftest import SAMPLES

BASE = "version: 1\napp: demo\n"


def parse(text: str) -> Manifest:
    return parse_manifest(parse_yaml(text, "m.yaml"))


def problems(text: str) -> list[str]:
    with pytest.raises(ManifestError) as err:
        parse(text)
    return str(err.value).splitlines()


def test_production_sample_parses() -> None:
    manifest = parse((SAMPLES / "production.yaml").read_text())
    assert manifest.environments["production"].stage == "production"
    assert manifest.models["architect"].migration_plan is not None


def test_unknown_key_has_did_you_mean_and_position() -> None:
    lines = problems(BASE + "modles:\n  chat:\n    id: gemini-3.5-flash\n")
    assert lines == ["m.yaml:3:1: unknown key 'modles' in the top level (did you mean 'models'?)"]


def test_nested_unknown_key_suggests_from_its_own_level() -> None:
    text = BASE + "environments:\n  prod:\n    route: vertex\n    locaton: global\n"
    assert problems(text) == [
        "m.yaml:6:5: unknown key 'locaton' in environments.prod (did you mean 'location'?)"
    ]


def test_bad_enum_names_path_and_allowed_values() -> None:
    (line,) = problems(BASE + "models:\n  chat:\n    id: gemini-3.5-flash\n    task: chat\n")
    assert line.startswith("m.yaml:6:11: models.chat.task: Input should be 'text'")
    assert "'image-generation'" in line and "got 'chat'" in line


def test_wrong_type_names_the_path() -> None:
    text = BASE + "models:\n  chat:\n    id: gemini-3.5-flash\n    max_output_tokens: lots\n"
    (line,) = problems(text)
    assert "models.chat.max_output_tokens" in line and "valid integer" in line


def test_missing_required_keys() -> None:
    assert problems("app: demo\n") == ["m.yaml:1:1: missing required key 'version'"]


def test_top_level_must_be_mapping() -> None:
    assert "must be a YAML mapping" in problems("- a\n- b\n")[0]


@pytest.mark.parametrize(
    "spelling",
    [
        "gemini-3.5-flash",
        "models/gemini-3.5-flash",
        "publishers/google/models/gemini-3.5-flash",
        "projects/acme/locations/global/publishers/google/models/gemini-3.5-flash",
    ],
)
def test_model_id_spellings_normalise(spelling: str) -> None:
    manifest = parse(BASE + f"models:\n  chat:\n    id: {spelling}\n")
    assert manifest.models["chat"].id == "gemini-3.5-flash"


def test_stage_defaults_from_environment_name() -> None:
    text = BASE + "environments:\n  prod:\n    route: vertex\n  dev:\n    route: developer-api\n"
    manifest = parse(text)
    assert manifest.environments["prod"].stage == "production"
    assert manifest.environments["dev"].stage == "development"
    assert manifest.stage_of(None) == "production"


def test_json_schema_accepts_production_sample_and_rejects_typos() -> None:
    schema = json_schema()
    json.dumps(schema)
    sample = yaml.safe_load((SAMPLES / "production.yaml").read_text())
    sample["models"]["architect"]["migration_plan"]["review_by"] = "2027-03-01"
    jsonschema.validate(sample, schema)
    sample["modles"] = {}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(sample, schema)
