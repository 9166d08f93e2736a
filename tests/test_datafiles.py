"""The data files' JSON copies: current, the same data as the YAML, never used when stale."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from preflight import catalog, datafiles


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    datafiles.load_data.cache_clear()
    catalog._default_catalog.cache_clear()
    yield
    datafiles.load_data.cache_clear()
    catalog._default_catalog.cache_clear()


@pytest.mark.parametrize("name", datafiles.NAMES)
def test_json_copies_are_current(name: str) -> None:
    copy = datafiles.copy_path(name)
    assert copy.is_file(), f"{copy} is missing: run `python -m preflight.datafiles`"
    assert copy.read_text(encoding="utf-8") == datafiles.render_copy(name), (
        f"{copy.name} is older than {name}: run `python -m preflight.datafiles`")


@pytest.mark.parametrize("name", datafiles.NAMES)
def test_copy_holds_the_yaml_data_with_its_dates(name: str) -> None:
    from_yaml = datafiles.parse_yaml(datafiles.data_path(name).read_text(encoding="utf-8"))
    from_copy = datafiles.json_copy(name)
    assert from_copy is not None and from_copy == from_yaml
    assert datafiles.load_data(name) == from_yaml


def test_dates_come_back_as_dates() -> None:
    lifecycle = datafiles.load_data("keys.yaml")["lifecycle"]
    assert isinstance(lifecycle["all_rejected"], date)
    sdk = catalog.load_catalog().sdk["vertexai"]
    assert sdk["removed"] == date(2026, 6, 24)


def _data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(datafiles.DATA, folder)
    monkeypatch.setattr(datafiles, "DATA", folder)
    return folder


def test_a_stale_copy_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _data_folder(tmp_path, monkeypatch)
    keys = folder / "keys.yaml"
    keys.write_text(keys.read_text(encoding="utf-8").replace(
        "all_rejected_text: September 2026", "all_rejected_text: Sometime in 2026"), encoding="utf-8")
    assert datafiles.json_copy("keys.yaml") is None
    assert datafiles.load_data("keys.yaml")["lifecycle"]["all_rejected_text"] == "Sometime in 2026"


def test_an_edited_catalog_is_read_from_its_yaml(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _data_folder(tmp_path, monkeypatch)
    path = folder / "catalog.yaml"
    text, found = re.subn(r"(?m)^as_of: .*$", "as_of: 2031-01-02", path.read_text(encoding="utf-8"),
                          count=1)
    assert found == 1
    path.write_text(text, encoding="utf-8")
    assert catalog.load_catalog().as_of == date(2031, 1, 2)


def test_a_broken_copy_falls_back_to_the_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _data_folder(tmp_path, monkeypatch)
    (folder / "keys.yaml.json").write_text("{not json", encoding="utf-8")
    assert datafiles.json_copy("keys.yaml") is None
    assert "scrub" in datafiles.load_data("keys.yaml")
    (folder / "keys.yaml.json").unlink()
    assert "scrub" in datafiles.load_data.__wrapped__("keys.yaml")


@pytest.mark.parametrize("value", [{1: "a"}, {"$date": "2026-01-01", "x": 1}, {"when": b"bytes"},
                                   [{"at": __import__("datetime").datetime(2026, 1, 1, 12)}]])
def test_data_json_cannot_give_back_is_refused(value: object) -> None:
    with pytest.raises(ValueError):
        datafiles._encode(value)


def test_writing_the_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _data_folder(tmp_path, monkeypatch)
    for name in datafiles.NAMES:
        (folder / f"{name}.json").unlink()
    written = datafiles.write_copies()
    assert sorted(p.name for p in written) == sorted(f"{n}.json" for n in datafiles.NAMES)
    for name in datafiles.NAMES:
        assert datafiles.json_copy(name) == datafiles.parse_yaml(
            (folder / name).read_text(encoding="utf-8"))
