"""The tree-sitter loader: grammars load lazily, positions are characters, a missing wheel is named."""

from __future__ import annotations

import subprocess
import sys

import pytest

from preflight.scan import treesitter

SAMPLES = {"kotlin": b'val x = "gemini-3.5-flash"\n'}  # the others read this line as code too


@pytest.mark.parametrize("name", sorted(treesitter.GRAMMARS))
def test_every_grammar_parses_and_is_loaded_once(name: str) -> None:
    tree = treesitter.parse(name, SAMPLES.get(name, b'const x = "gemini-3.5-flash";\n'))
    assert not tree.root_node.has_error
    assert treesitter.parser(name) is treesitter.parser(name)
    assert treesitter.language(name) is treesitter.language(name)


def test_columns_count_characters_not_bytes() -> None:
    source = treesitter.Source('const é = "€"; import("@google/genai")\n')
    tree = treesitter.parse("javascript", source.data)
    strings = treesitter.captures("javascript", "(string) @s", tree.root_node)["s"]
    assert [source.where(n) for n in strings] == [(1, 11), (1, 23)]
    assert [source.text(n) for n in strings] == ['"€"', '"@google/genai"']


def test_undecodable_bytes_survive_the_round_trip() -> None:
    text = b'const s = "\xff";\nrequire("x")\n'.decode("utf-8", "surrogateescape")
    source = treesitter.Source(text)
    tree = treesitter.parse("javascript", source.data)
    call = treesitter.captures("javascript", "(call_expression) @c", tree.root_node)["c"][0]
    assert source.where(call) == (2, 1) and source.text(call) == 'require("x")'


def test_a_missing_grammar_names_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(treesitter.GRAMMARS, "cobol", ("tree_sitter_cobol_absent", "language",
                                                       "tree-sitter-cobol"))
    with pytest.raises(treesitter.Unavailable, match=r"pip install tree-sitter-cobol"):
        treesitter.language("cobol")


def test_importing_the_scanner_loads_no_grammar() -> None:
    code = ("import sys, preflight.scan, preflight.scan.treesitter, preflight.cli; "
            "print(sorted(m for m in sys.modules if m.startswith('tree_sitter')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
