"""Where the cells of a notebook stand in its text.

The standard :mod:`json` decoder parses every value (its C scanner, the one
``json.loads`` uses): each cell is parsed by one call of it. This module only
steps over the commas of the notebook object and of its ``cells`` list, so it
knows where each cell starts. Where a finding needs more, it steps through that
one cell the same way: the offset of each string of its ``source`` (to place a
line of code), the spans of its binary outputs (``image/png`` strings, not
searched for keys). The work is linear in the size of the file, and anything not
shaped like a notebook (a cell that is not an object, outputs that are not a
list) is stepped over, never an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

_scan_once: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_WS = re.compile(r"[ \t\n\r]*")
# Outputs whose strings are binary payloads (base64), not text a person wrote.
BINARY_MIME = ("image/", "video/", "audio/", "application/pdf")


@dataclass(frozen=True, slots=True)
class Cell:
    number: int  # 1-based, counting every entry of ``cells``
    start: int  # offset of the cell's "{"
    end: int  # offset just after its "}"
    value: dict[str, Any]  # the parsed cell


def index(text: str) -> list[Cell] | None:
    """The cells of the notebook ``text``; None when it is JSON but not a notebook.

    Raises ValueError (or RecursionError for absurd nesting) when it is not JSON.
    An entry of ``cells`` that is not an object is counted but not returned.
    """
    found: list[Cell] | None = None

    def top(key: str, at: int) -> int:
        nonlocal found
        if key != "cells" or not text.startswith("[", at):
            if key == "cells":
                found = None
            return _value(text, at)[1]
        found = []
        entries, count = found, 0

        def entry(at: int) -> int:
            nonlocal count
            value, end = _value(text, at)
            count += 1
            if isinstance(value, dict):
                entries.append(Cell(count, at, end, value))
            return end

        return _array(text, at, entry)

    at = _skip(text, 0)
    end = _object(text, at, top) if text.startswith("{", at) else _value(text, at)[1]
    if _skip(text, end) != len(text):
        raise ValueError(f"extra data at offset {_skip(text, end)}")
    return found


def source_parts(text: str, cell: Cell) -> list[tuple[int, str]]:
    """Each string of the cell's ``source`` (a string or a list of them) and its offset."""
    at = _member(text, cell, "source")
    parts: list[tuple[int, str]] = []

    def part(at: int) -> int:
        value, end = _value(text, at)
        if isinstance(value, str):
            parts.append((at, value))
        return end

    if at is not None:
        _array(text, at, part) if text.startswith("[", at) else part(at)
    return parts


def binary_spans(text: str, cell: Cell) -> list[tuple[int, int]]:
    """The spans of the cell's binary outputs (``"image/png": "iVBOR…"``), in order."""
    at = _member(text, cell, "outputs")
    spans: list[tuple[int, int]] = []

    def binary(at: int) -> int:
        value, end = _value(text, at)
        if isinstance(value, str):
            spans.append((at, end))
        return end

    def mime(key: str, at: int) -> int:
        if not key.startswith(BINARY_MIME):
            return _value(text, at)[1]
        return _array(text, at, binary) if text.startswith("[", at) else binary(at)

    def output_member(key: str, at: int) -> int:
        if key == "data" and text.startswith("{", at):
            return _object(text, at, mime)
        return _value(text, at)[1]

    def output(at: int) -> int:
        if text.startswith("{", at):
            return _object(text, at, output_member)
        return _value(text, at)[1]

    if at is not None and text.startswith("[", at):
        _array(text, at, output)
    return spans


def _member(text: str, cell: Cell, name: str) -> int | None:
    """The offset of the value of the cell's member ``name`` (the last one, as JSON reads it).

    Each shortcut gives the right answer or None (cannot tell): ``source`` is looked for at
    the end first (where Jupyter, which sorts the keys, writes it), the others from the start
    (``outputs`` comes before ``source``: the end shortcut would decode it whole to find that out).
    """
    shortcuts = (_last_member, _early_member) if name == "source" else (_early_member, _last_member)
    for shortcut in shortcuts:
        at = shortcut(text, cell, name)
        if at is not None:
            return None if at == ABSENT else at
    found: int | None = None

    def member(key: str, at: int) -> int:
        nonlocal found
        if key == name:
            found = at
        return _value(text, at)[1]

    _object(text, cell.start, member)
    return found


def _early_member(text: str, cell: Cell, name: str) -> int | None:
    """The offset of the value of ``name`` when it comes before the cell's ``outputs`` (some
    writers put ``source`` first), found without stepping over the outputs; ABSENT when the
    cell has no such member; None when this cannot tell.

    The members are stepped through from the start, stopping at ``outputs`` (the large one);
    the member found counts when no later ``"name"`` is in the cell's text and its value is
    the one the decoder kept (a duplicate key, the last of which JSON reads, is stepped through).
    """
    at = _skip(text, cell.start + 1)
    if text.startswith("}", at):
        return ABSENT
    while text.startswith('"', at):
        key, at = scanstring(text, at + 1, True)
        at = _skip(text, at)
        if not text.startswith(":", at):
            return None
        at = _skip(text, at + 1)
        if key == name:
            value, end = _value(text, at)
            if text.find(json.dumps(name), end, cell.end) >= 0 or value != cell.value.get(name):
                return None
            return at
        if key == "outputs":
            return None
        at = _skip(text, _value(text, at)[1])
        if text.startswith("}", at):
            return ABSENT
        if not text.startswith(",", at):
            return None
        at = _skip(text, at + 1)
    return None


ABSENT = -1


def _last_member(text: str, cell: Cell, name: str) -> int | None:
    """The offset of the value of ``name`` when it is the cell's last member (Jupyter writes
    the keys sorted: ``source`` comes last), found without stepping over the outputs.

    The last ``"name"`` in the cell's text is a key of the cell itself when a ``:`` follows
    it and its value ends where the cell's closing brace stands; else None (step through).
    """
    key = json.dumps(name)
    at = text.rfind(key, cell.start, cell.end)
    if at < 0:
        return None
    value = _skip(text, at + len(key))
    if not text.startswith(":", value):
        return None
    value = _skip(text, value + 1)
    try:
        end = _value(text, value)[1]
    except ValueError:
        return None
    return value if _skip(text, end) == cell.end - 1 else None


def _skip(text: str, at: int) -> int:
    return _WS.match(text, at).end()  # type: ignore[union-attr]


def _value(text: str, at: int) -> tuple[Any, int]:
    try:
        return _scan_once(text, at)
    except StopIteration as stop:
        raise ValueError(f"invalid JSON at offset {stop.value}") from None


def _object(text: str, at: int, member: Callable[[str, int], int]) -> int:
    """Step over the object at ``at``; ``member(key, offset)`` returns where each value ends."""
    at = _skip(text, at + 1)
    if text.startswith("}", at):
        return at + 1
    while True:
        if not text.startswith('"', at):
            raise ValueError(f"expected a key at offset {at}")
        key, at = scanstring(text, at + 1, True)
        at = _skip(text, at)
        if not text.startswith(":", at):
            raise ValueError(f"expected ':' at offset {at}")
        at = _skip(text, member(key, _skip(text, at + 1)))
        if text.startswith("}", at):
            return at + 1
        if not text.startswith(",", at):
            raise ValueError(f"expected ',' or '}}' at offset {at}")
        at = _skip(text, at + 1)


def _array(text: str, at: int, item: Callable[[int], int]) -> int:
    """Step over the array at ``at``; ``item(offset)`` returns where each item ends."""
    at = _skip(text, at + 1)
    if text.startswith("]", at):
        return at + 1
    while True:
        at = _skip(text, item(at))
        if text.startswith("]", at):
            return at + 1
        if not text.startswith(",", at):
            raise ValueError(f"expected ',' or ']' at offset {at}")
        at = _skip(text, at + 1)
