"""The ``<script>`` blocks of HTML, Vue and Svelte files, found by the standard HTML parser.

A block's text is cut from the file exactly (from the end of its start tag to
its end tag), so positions inside it map back to the file. Scripts in HTML
comments are not scripts. ``type="importmap"`` blocks are JSON: the URLs they
map packages to count as imports; other non-JavaScript types (JSON data,
templates) are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

_JS_TYPES = frozenset({"", "module", "text/javascript", "application/javascript", "text/babel",
                       "text/jsx", "application/x-javascript", "text/ecmascript"})


@dataclass
class Block:
    """One script: its text and where it starts (1-based line, 0-based column), or its ``src``."""

    grammar: str  # "javascript" | "typescript" | "tsx" | "importmap" | "" (not read)
    text: str
    line: int
    column: int
    src: str = ""

    def place(self, line: int, column: int) -> tuple[int, int]:
        """A position in the block -> the position in the file."""
        return self.line + line - 1, column + self.column if line == 1 else column


class _Scripts(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.blocks: list[Block] = []
        self.starts = [0]
        for number, char in enumerate(text):
            if char == "\n":
                self.starts.append(number + 1)
        self.open: tuple[str, int] | None = None  # (grammar, offset of the content)

    def index(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column if line - 1 < len(self.starts) else len(self.text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        found = {name.lower(): (value or "").strip() for name, value in attrs}
        line, column = self.getpos()
        if found.get("src"):
            self.blocks.append(Block("", "", line, column, found["src"]))
        kind, lang = found.get("type", "").lower(), found.get("lang", "").lower()
        grammar = ""
        if lang in ("ts", "typescript") or kind in ("text/typescript", "application/typescript"):
            grammar = "typescript"
        elif lang == "tsx":
            grammar = "tsx"
        elif kind == "importmap":
            grammar = "importmap"
        elif kind in _JS_TYPES and lang in ("", "js", "javascript", "jsx"):
            grammar = "javascript"
        end = self.text.find(">", self.index())
        self.open = (grammar, end + 1 if end >= 0 else self.index())

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self.open is None:
            return
        grammar, start = self.open
        self.open = None
        if grammar:
            line = self.text.count("\n", 0, start) + 1
            column = start - self.starts[line - 1]
            self.blocks.append(Block(grammar, self.text[start:self.index()], line, column))


def scripts(text: str) -> list[Block]:
    parser = _Scripts(text)
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):  # malformed markup: keep what was read
        pass
    return parser.blocks


def import_map(block: Block) -> Iterator[tuple[str, int, int]]:
    """``(url, line, column)`` of each address an import map maps a specifier to."""
    try:
        data = json.loads(block.text)
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    scopes = data.get("scopes")
    tables = [data.get("imports"), *(scopes.values() if isinstance(scopes, dict) else ())]
    offset = 0
    for table in tables:
        for url in (table or {}).values() if isinstance(table, dict) else ():
            if not isinstance(url, str):
                continue
            at = block.text.find(json.dumps(url), offset)
            at = block.text.find(json.dumps(url)) if at < 0 else at
            offset = max(at, offset)
            line = block.text.count("\n", 0, max(at, 0)) + 1
            column = max(at, 0) - (block.text.rfind("\n", 0, max(at, 0)) + 1) + 2
            yield (url, *block.place(line, column))
