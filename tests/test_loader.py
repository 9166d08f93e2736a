"""The YAML loader: positions, duplicate keys, limits and bad input."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from preflight.loader import LoadError, load_yaml, parse_yaml

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_keys_and_values_keep_their_positions() -> None:
    doc = parse_yaml("version: 1\nmodels:\n  chat:\n    id: gemini-3.5-flash\n    tools: [a, b]\n")
    assert doc.data["models"]["chat"]["id"] == "gemini-3.5-flash"
    assert doc.locate(("models", "chat"), on="key") == doc.keys[("models", "chat")]
    assert (doc.keys[("models", "chat")].line, doc.keys[("models", "chat")].column) == (3, 3)
    assert doc.values[("models", "chat", "id")].line == 4
    assert doc.values[("models", "chat", "id")].column == 9
    assert doc.values[("models", "chat", "tools", 1)].line == 5


def test_missing_path_falls_back_to_nearest_ancestor() -> None:
    doc = parse_yaml("models:\n  chat:\n    id: x\n")
    assert doc.locate(("models", "chat", "max_output_tokens")).line == 2


def test_duplicate_keys_are_an_error_naming_both_lines() -> None:
    with pytest.raises(LoadError) as err:
        parse_yaml("app: a\nversion: 1\napp: b\n", "m.yaml")
    assert err.value.line == 3
    assert "duplicate key 'app' (first defined on line 1)" in str(err.value)


def test_merge_keys_are_supported() -> None:
    doc = parse_yaml("base: &b {route: vertex}\nprod:\n  <<: *b\n  location: global\n")
    assert doc.data["prod"] == {"route": "vertex", "location": "global"}


def test_alias_bomb_is_refused_fast_with_bounded_memory() -> None:
    # Correctness bounds, not a benchmark: 10^9 nodes would take minutes and gigabytes.
    # The time is compared with loading a plain document of as many nodes as the budget
    # allows (the same machine, the same load), not with a number of seconds.
    plain = "a: [" + ", ".join(["lol"] * 99_000) + "]\n"
    started = time.perf_counter()
    parse_yaml(plain)
    reference = time.perf_counter() - started
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(LoadError, match="alias bomb"):
        parse_yaml(BOMB)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 10 * reference
    assert peak < 100 * 1024 * 1024


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"# only a comment\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"app: caf\xe9\n", "not UTF-8"),
        (b"app: [unclosed\n", "invalid YAML"),
        (b"app: !!python/object:os.system x\n", "unsupported YAML tag"),
        (b"app: !custom {a: 1}\n", "unsupported YAML tag"),
    ],
)
def test_bad_files_give_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "gemini-deploy.yaml"
    path.write_bytes(content)
    with pytest.raises(LoadError, match=message) as err:
        load_yaml(path)
    assert str(err.value).startswith(str(path))


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes("app: démo\n".encode("utf-16"))
    assert load_yaml(path).data == {"app": "démo"}


def test_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("a: b\n" * 100)
    with pytest.raises(LoadError, match="too large"):
        load_yaml(path, max_bytes=100)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file"):
        load_yaml(tmp_path / "nope.yaml")
    with pytest.raises(LoadError, match="is a directory"):
        load_yaml(tmp_path)
