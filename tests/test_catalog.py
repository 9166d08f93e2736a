"""Tests for the model catalog (preflight/catalog.py and preflight/data/catalog.yaml)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from preflight.catalog import Catalog, CatalogError, Model, load_catalog, normalize_model_id

TODAY = date(2026, 11, 24)
DATA = Path(__file__).resolve().parent.parent / "preflight" / "data" / "catalog.yaml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _model(catalog: Catalog, model_id: str) -> Model:
    model = catalog.get(model_id)
    assert model is not None, model_id
    return model


@pytest.mark.parametrize(
    "spelling",
    [
        "gemini-3.5-flash",
        "  gemini-3.5-flash\n",
        "models/gemini-3.5-flash",
        "publishers/google/models/gemini-3.5-flash",
        "projects/p/locations/l/publishers/google/models/gemini-3.5-flash",
        "projects/my-proj/locations/global/publishers/google/models/gemini-3.5-flash",
        "google/gemini-3.5-flash",
    ],
)
def test_every_spelling_normalises(catalog: Catalog, spelling: str) -> None:
    assert normalize_model_id(spelling) == "gemini-3.5-flash"
    assert _model(catalog, spelling).id == "gemini-3.5-flash"


@pytest.mark.parametrize(
    "model_id",
    [
        "tunedModels/my-model-123",
        "publishers/meta/models/llama-3",
        "projects/p/locations/l/publishers/anthropic/models/claude",
        "projects/p/locations/l/endpoints/1234",
    ],
)
def test_non_google_names_are_kept(model_id: str) -> None:
    assert normalize_model_id(model_id) == model_id


def test_get_is_case_insensitive_and_knows_aliases(catalog: Catalog) -> None:
    assert _model(catalog, "gemini-2.0-flash-001").id == "gemini-2.0-flash"
    assert _model(catalog, "models/gemini-2.0-flash-lite-001").id == "gemini-2.0-flash-lite"
    assert _model(catalog, "gemini-pro").id == "gemini-1.0-pro"
    assert _model(catalog, "GEMINI-3.5-FLASH").id == "gemini-3.5-flash"
    assert _model(catalog, "text-bison@002").id == "text-bison"
    assert _model(catalog, "gemini-1.5-pro@002").id == "gemini-1.5-pro-002"
    assert catalog.get("gemini-3.5-pro") is None
    assert catalog.get("tunedModels/x") is None


def test_status_retired_deprecated_active(catalog: Catalog) -> None:
    retired = _model(catalog, "gemini-2.0-flash")
    assert retired.status(date(2026, 5, 31)) == "deprecated"
    assert retired.status(date(2026, 6, 1)) == "retired"
    assert retired.status(TODAY) == "retired"

    deprecated = _model(catalog, "gemini-3.1-flash-lite")  # shutdown 2027-05-07
    assert deprecated.status(TODAY) == "deprecated"
    assert deprecated.status(date(2027, 5, 7)) == "retired"

    active = _model(catalog, "gemini-3.8-flash")
    assert active.shutdown is None
    assert active.status(TODAY) == "active"
    assert active.status(date(2030, 1, 1), route="vertex") == "active"


def test_status_by_route(catalog: Catalog) -> None:
    model = _model(catalog, "gemini-2.5-flash")  # Vertex 2026-10-16, Gemini API 2026-12-01
    assert model.status(TODAY) == "retired"  # earliest route
    assert model.status(TODAY, route="vertex") == "retired"
    assert model.status(TODAY, route="developer-api") == "deprecated"
    assert model.status(date(2026, 12, 1), route="developer-api") == "retired"
    # Per-route dates recorded for Vertex only: nothing announced on the Gemini API.
    flash = _model(catalog, "gemini-3.5-flash")
    assert flash.status(TODAY, route="developer-api") == "active"
    assert flash.status(TODAY, route="vertex") == "deprecated"


@pytest.mark.parametrize(
    ("unknown", "expected"),
    [
        ("gemini-3.5-pro", "gemini-3.1-pro-preview"),
        ("models/gemini-3.5-pro", "gemini-3.1-pro-preview"),
        ("gemni-3.5-flash", "gemini-3.5-flash"),
        ("gemini-3.5-flahs", "gemini-3.5-flash"),
        ("gemini-4-flash", "gemini-3.8-flash"),
        ("gemini-4-flash-lite", "gemini-3.5-flash-lite"),
        ("gemini-4-flash-image", "gemini-3.1-flash-image"),
        ("gemini-flash-latset", "gemini-flash-latest"),
        ("gpt-4o", None),
        ("claude-3-opus", None),
        ("gemini-ultra", None),
        ("gemini-3.5-flash", None),  # known: nothing to suggest
    ],
)
def test_suggest(catalog: Catalog, unknown: str, expected: str | None) -> None:
    assert catalog.suggest(unknown, TODAY) == expected


def test_suggest_never_returns_a_retired_model(catalog: Catalog) -> None:
    # A typo of a retired model gets a live suggestion, never the retired one.
    for typo in ("gemini-2.0-flahs", "gemini-1.5-prro", "gemini-3-pro-previw", "text-bisno"):
        suggestion = catalog.suggest(typo, TODAY)
        if suggestion is not None:
            assert _model(catalog, suggestion).status(TODAY) != "retired", (typo, suggestion)
    # Before gemini-3-pro-preview was shut down, a typo of it still pointed at it.
    assert catalog.suggest("gemini-3-pro-previw", date(2026, 1, 1)) == "gemini-3-pro-preview"


def test_every_replacement_exists(catalog: Catalog) -> None:
    for model in catalog.models.values():
        if model.replacement is not None:
            assert model.replacement in catalog.models, model.id
            assert model.replacement != model.id


def test_every_entry_has_source_and_as_of(catalog: Catalog) -> None:
    assert len(catalog.models) >= 30
    for model in catalog.models.values():
        assert model.source.strip(), model.id
        assert isinstance(model.as_of, date), model.id
        assert catalog.as_of is not None and model.as_of <= catalog.as_of, model.id


def test_data_file_header_and_required_ids(catalog: Catalog) -> None:
    head = DATA.read_text(encoding="utf-8")[:1500]
    assert f"verified: {catalog.as_of}" in head
    for model_id in (
        "gemini-3.8-flash", "gemini-3.8-live", "gemini-3.8-live-extended-thinking",
        "gemini-3.8-flash-tts", "gemini-3.8-flash-lite-tts", "gemini-3.7-flash", "gemini-3.6-flash",
        "gemini-3.5-flash-lite", "gemini-3.5-flash", "gemini-3.1-flash-lite",
        "gemini-3.1-flash-lite-preview", "gemini-3.1-flash-image", "gemini-3.1-flash-image-preview",
        "gemini-3-pro-image", "gemini-3-pro-image-preview", "gemini-3.1-flash-lite-image",
        "gemini-3.1-pro-preview", "gemini-3-flash-preview", "gemini-3-pro-preview", "gemini-2.5-pro",
        "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.5-flash-image", "gemini-2.0-flash",
        "gemini-2.0-flash-lite", "gemini-1.5-pro", "gemini-1.5-flash-002", "gemini-1.0-pro",
        "text-bison", "chat-bison", "code-bison", "codechat-bison", "gemini-flash-latest",
        "gemini-flash-lite-latest", "gemini-pro-latest",
    ):  # fmt: skip
        assert catalog.get(model_id) is not None, model_id
    for model_id in ("text-bison", "chat-bison", "code-bison", "codechat-bison", "gemini-1.0-pro"):
        assert _model(catalog, model_id).status(TODAY) == "retired"
    for model_id in ("gemini-flash-latest", "gemini-flash-lite-latest", "gemini-pro-latest"):
        assert "v1beta" in _model(catalog, model_id).notes


def test_shutdown_is_earliest_route_date(catalog: Catalog) -> None:
    for model in catalog.models.values():
        if model.shutdown_by_route:
            assert model.shutdown == min(model.shutdown_by_route.values()), model.id
            assert set(model.shutdown_by_route) <= {"developer-api", "vertex"}


def test_model_is_hashable(catalog: Catalog) -> None:
    assert len({*catalog.models.values()}) == len(catalog.models)


def test_sdk_facts(catalog: Catalog) -> None:
    assert catalog.sdk_minimum("google-genai") == "1.56.0"
    assert catalog.sdk_minimum("no-such-package") is None
    boundaries = catalog.sdk_boundaries("google-genai")
    versions = [version for version, _ in boundaries]
    assert {"1.19.0", "1.47.0", "1.56.0", "2.15.0", "3.0.0"} <= set(versions)
    assert all(change for _, change in boundaries)
    assert catalog.sdk_boundaries("no-such-package") == []
    legacy = catalog.sdk["google-generativeai"]
    assert legacy["legacy"] is True
    assert legacy["support_ended"] == date(2025, 11, 30)
    assert legacy["replacement"] == "google-genai"
    for name in ("vertexai", "google-cloud-aiplatform"):
        assert catalog.sdk[name]["deprecated"] == date(2025, 6, 24)
        assert catalog.sdk[name]["removed"] == date(2026, 6, 24)


def test_default_catalog_is_cached() -> None:
    assert load_catalog() is load_catalog()


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _raw_data() -> dict[str, object]:
    loaded = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_copy_of_data_file_loads(tmp_path: Path) -> None:
    catalog = load_catalog(_write(tmp_path, _raw_data()))
    assert catalog.get("gemini-3.5-flash") is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stage": "beta"}, "stage"),
        ({"tier": "ultra"}, "tier"),
        ({"task": "music"}, "task"),
        ({"thinking": "lots"}, "thinking"),
        ({"tools": ["teleport"]}, "teleport"),
        ({"shutdown": "next year"}, "shutdown"),
        ({"as_of": None}, "as_of"),
        ({"input_token_limit": -5}, "input_token_limit"),
        ({"replacement": "gemini-9-ultra"}, "gemini-9-ultra"),
        ({"shutdown_by_route": {"moon": "2027-01-01"}}, "shutdown_by_route"),
        ({"shutdown": "2027-01-01", "shutdown_by_route": {"vertex": "2027-02-01"}}, "earliest"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_broken_entry_names_the_entry(tmp_path: Path, change: dict[str, object], message: str) -> None:
    data = _raw_data()
    models = data["models"]
    assert isinstance(models, list)
    entry = next(m for m in models if m["id"] == "gemini-3.6-flash")
    entry.update(change)
    path = _write(tmp_path, data)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    text = str(info.value)
    assert "gemini-3.6-flash" in text
    assert str(path) in text
    assert message in text


def test_missing_field_names_the_entry(tmp_path: Path) -> None:
    data = _raw_data()
    models = data["models"]
    assert isinstance(models, list)
    del models[3]["source"]
    with pytest.raises(CatalogError, match=rf"models\[3\] \({models[3]['id']}\).*source"):
        load_catalog(_write(tmp_path, data))


def test_duplicate_alias_is_rejected(tmp_path: Path) -> None:
    data = _raw_data()
    models = data["models"]
    assert isinstance(models, list)
    models[0]["aliases"] = ["gemini-2.0-flash-001"]
    with pytest.raises(CatalogError, match="listed twice"):
        load_catalog(_write(tmp_path, data))


def test_missing_and_invalid_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(CatalogError, match=re.escape("nope.yaml")):
        load_catalog(missing)
    bad = tmp_path / "bad.yaml"
    bad.write_text("models: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=re.escape("bad.yaml")):
        load_catalog(bad)
    bad.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="models"):
        load_catalog(bad)


def test_catalog_source_is_read_and_checked(tmp_path: Path) -> None:
    assert "gemini-facts.md" in load_catalog().source
    data = _raw_data()
    data["source"] = ["not", "a", "string"]
    with pytest.raises(CatalogError, match="source"):
        load_catalog(_write(tmp_path, data))
