"""Model families in the catalog and in the model-ID shape the scanners use."""

from __future__ import annotations

from datetime import date

import pytest

from preflight.catalog import Catalog, load_catalog
from preflight.scan.models import looks_like_model_id


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_gemini_35_flash_carries_the_product_brief(catalog: Catalog) -> None:
    model = catalog.get("gemini-3.5-flash")
    assert model is not None
    assert (model.stage, model.released) == ("ga", date(2026, 5, 19))
    assert (model.input_token_limit, model.output_token_limit) == (1_048_576, 65_536)
    assert model.tools is not None and "computer-use" not in model.tools
    assert {"function-calling", "code-execution", "file-search"} <= model.tools
    assert model.features == frozenset({"context-caching", "batch"})
    assert model.default_thinking_level == "medium"
    assert model.task == "text"
    assert "brief" in model.source


def test_current_pro_and_image_models(catalog: Catalog) -> None:
    pro = catalog.get("gemini-3.1-pro-preview")
    assert pro is not None and pro.stage == "preview" and "no gemini-3.5-pro" in pro.notes
    assert catalog.get("gemini-3.5-pro") is None
    assert catalog.suggest("gemini-3.5-pro", date(2026, 12, 2)) == "gemini-3.1-pro-preview"
    for image in ("gemini-3.1-flash-image", "gemini-3-pro-image"):
        model = catalog.get(image)
        assert model is not None and model.task == "image-generation" and model.stage == "ga"
    flash_image = catalog.get("gemini-3.1-flash-image")
    assert flash_image is not None and "recommended" in flash_image.notes


@pytest.mark.parametrize(
    ("model_id", "task", "stage"),
    [
        ("gemini-embedding-001", "embedding", "ga"),
        ("gemini-embedding-2", "embedding", "ga"),
        ("gemini-embedding-2-preview", "embedding", "preview"),
        ("gemini-embedding-exp-03-07", "embedding", "experimental"),
        ("text-embedding-004", "embedding", "ga"),
        ("gemini-live-2.5-flash-native-audio", "live", "ga"),
        ("gemini-2.5-flash-native-audio-preview-12-2025", "live", "preview"),
        ("gemini-3.1-flash-live-preview", "live", "preview"),
        ("imagen-4.0-generate-001", "image-generation", "ga"),
        ("imagen-3.0-generate-002", "image-generation", "ga"),
        ("gemini-robotics-er-2-preview", "text", "preview"),
        ("gemini-omni-flash-preview", "video-generation", "preview"),
    ],
)
def test_other_families_are_catalogued(catalog: Catalog, model_id: str, task: str, stage: str) -> None:
    model = catalog.get(model_id)
    assert model is not None, model_id
    assert (model.task, model.stage) == (task, stage)
    assert model.source and model.as_of
    assert looks_like_model_id(model_id)


def test_retired_members_of_new_families(catalog: Catalog) -> None:
    today = date(2026, 12, 2)
    for model_id in ("text-embedding-004", "gemini-embedding-exp", "gemini-2.0-flash-live-001",
                     "imagen-4.0-fast-generate-001"):
        model = catalog.get(model_id)
        assert model is not None and model.status(today) == "retired", model_id
        assert model.replacement is not None


def test_every_catalog_id_has_the_model_id_shape(catalog: Catalog) -> None:
    for model in catalog.models.values():
        for name in (model.id, *model.aliases):
            assert looks_like_model_id(name), name


def test_catalog_as_of_is_the_newest_entry(catalog: Catalog) -> None:
    assert catalog.as_of == max(m.as_of for m in catalog.models.values())


@pytest.mark.parametrize(
    "text",
    [
        "gemini-live", "gemini-live-demo", "gemini-embedding", "gemini-embeddings",
        "gemini-embedding-exporter", "gemini-robotics", "gemini-omni", "gemini-omnibus",
        "imagen", "imagen-pytorch", "imagen-4", "imagen-4.0-generate-001.png",
        "text-embedding-ada-002", "text-embedding-3-small", "text-embedding-0045",
        "https://ai.google.dev/gemini-api/docs/models/gemini-embedding-001",
        "see gemini-embedding-001", "gemini-live-2.5-flash--native",
    ],
)
def test_look_alikes_are_not_model_ids(text: str) -> None:
    assert not looks_like_model_id(text)


@pytest.mark.parametrize(
    "text",
    [
        "models/gemini-embedding-001", "publishers/google/models/imagen-4.0-fast-generate-001",
        "gemini-embedding-exp", "text-multilingual-embedding-002@001", "gemini-omni-1.1-flash-preview",
        "gemini-robotics-er-1.5-preview", "gemini-live-2.5-flash-preview-native-audio-09-2025",
    ],
)
def test_spellings_of_new_families_are_model_ids(text: str) -> None:
    assert looks_like_model_id(text)
