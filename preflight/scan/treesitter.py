"""Parsers for the languages that are not Python, from tree-sitter's PyPI wheels.

A grammar is imported and its parser built on first use, in the process that
needs it: a file reaches a parser only after the byte-level prefilter let it
through, so an audit that meets no JavaScript never loads the JavaScript
grammar, and ``check`` never loads tree-sitter at all.

Each language names the wheel that holds its grammar and the function of that
wheel returning the grammar (``GRAMMARS``); a scanner asks for a parser or a
compiled query by that name. Positions in a tree are byte offsets of the
UTF-8 text: :class:`Source` turns them into the 1-based line and character
column that findings carry.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Language, Node, Parser, Query, Tree

# language -> (module of the grammar wheel, function returning the grammar, distribution on PyPI)
GRAMMARS: dict[str, tuple[str, str, str]] = {
    "javascript": ("tree_sitter_javascript", "language", "tree-sitter-javascript"),
    "typescript": ("tree_sitter_typescript", "language_typescript", "tree-sitter-typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx", "tree-sitter-typescript"),
    "go": ("tree_sitter_go", "language", "tree-sitter-go"),
    "java": ("tree_sitter_java", "language", "tree-sitter-java"),
    "kotlin": ("tree_sitter_kotlin", "language", "tree-sitter-kotlin"),
}


class Unavailable(Exception):
    """The grammar (or tree-sitter itself) is not installed: the message says what to install."""


@cache
def language(name: str) -> Language:
    """The tree-sitter grammar of ``name`` (a key of ``GRAMMARS``), loaded once per process."""
    module_name, function, distribution = GRAMMARS[name]
    try:
        from tree_sitter import Language

        module = importlib.import_module(module_name)
    except ImportError as exc:
        missing = "tree-sitter" if exc.name == "tree_sitter" else distribution
        raise Unavailable(f"{name} is not parsed: the {missing} package is missing "
                          f"(pip install {missing})") from None
    return Language(getattr(module, function)())


@cache
def parser(name: str) -> Parser:
    """A parser for ``name``; parsers are reused for every file of a process."""
    from tree_sitter import Parser

    return Parser(language(name))


@cache
def query(name: str, source: str) -> Query:
    """``source`` (an S-expression query) compiled for ``name``, once per process."""
    from tree_sitter import Query

    return Query(language(name), source)


def parse(name: str, data: bytes) -> Tree:
    return parser(name).parse(data)


def captures(name: str, source: str, node: Node) -> dict[str, list[Node]]:
    """The nodes under ``node`` captured by the query ``source``, by capture name."""
    from tree_sitter import QueryCursor

    return QueryCursor(query(name, source)).captures(node)


class Source:
    """The UTF-8 bytes a tree was parsed from, and positions as findings show them."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8", "surrogateescape")
        self._lines: list[bytes] | None = None

    def text(self, node: Node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "surrogateescape")

    def where(self, node: Node) -> tuple[int, int]:
        """1-based line and character column of the start of ``node``."""
        return self.position(*node.start_point)

    def end(self, node: Node) -> tuple[int, int]:
        """1-based line and character column just after the end of ``node``."""
        return self.position(*node.end_point)

    def position(self, row: int, byte_column: int) -> tuple[int, int]:
        """A tree-sitter point (0-based row, byte column) as 1-based line and character column."""
        if self._lines is None:
            self._lines = self.data.split(b"\n")
        line = self._lines[row] if row < len(self._lines) else b""
        prefix = line[:byte_column]
        column = byte_column if prefix.isascii() else len(prefix.decode("utf-8", "surrogateescape"))
        return row + 1, column + 1


class Parsed:
    """One text parsed with ``grammar``: its nodes, their code, and where needles stand."""

    def __init__(self, text: str, grammar: str) -> None:
        self.source = Source(text)
        self.grammar = grammar
        self.tree = parse(grammar, self.source.data)

    def text(self, node: Node | None) -> str:
        return "" if node is None else self.source.text(node)

    def short(self, node: Node) -> str:
        """The code of ``node`` for a message: one line, scrubbed of secrets, at most 60 characters."""
        from preflight.findings import scrub

        written = scrub(" ".join(self.text(node).split()))
        return written if len(written) <= 60 else written[:57] + "..."

    def nodes(self, needle: bytes) -> Iterator[Node]:
        """The smallest node around each occurrence of ``needle`` in the text."""
        data, root = self.source.data, self.tree.root_node
        start = data.find(needle)
        while start >= 0:
            node = root.descendant_for_byte_range(start, start + len(needle))
            if node is not None:
                yield node
            start = data.find(needle, start + len(needle))
