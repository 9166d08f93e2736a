"""A JSON parser that remembers where each string, object and array stands.

Strings are decoded with the C scanner of :mod:`json`, so big strings (a
notebook's base64 images) cost little; the structure is walked here to keep
offsets. Used for notebooks, whose findings need the file line of a cell.
"""

from __future__ import annotations

import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_CONSTANTS = {"true": True, "false": False, "null": None}


class PStr(str):
    """A string value with the offsets of its opening and closing quotes."""

    start: int
    end: int


class PDict(dict[str, Any]):
    start: int
    end: int


class PList(list[Any]):
    start: int
    end: int


def parse(text: str) -> Any:
    """Parse ``text``; raises ValueError (or RecursionError) on invalid JSON."""
    value, end = _value(text, _WS.match(text, 0).end())  # type: ignore[union-attr]
    end = _WS.match(text, end).end()  # type: ignore[union-attr]
    if end != len(text):
        raise ValueError(f"extra data at offset {end}")
    return value


def _skip(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]


def _value(text: str, i: int) -> tuple[Any, int]:
    char = text[i:i + 1]
    if char == '"':
        decoded, end = scanstring(text, i + 1, True)
        s = PStr(decoded)
        s.start, s.end = i, end
        return s, end
    if char == "{":
        return _object(text, i)
    if char == "[":
        return _array(text, i)
    for word, constant in _CONSTANTS.items():
        if text.startswith(word, i):
            return constant, i + len(word)
    number = _NUMBER.match(text, i)
    if number is None:
        raise ValueError(f"unexpected character at offset {i}")
    literal = number.group(0)
    return (float(literal) if any(c in literal for c in ".eE") else int(literal)), number.end()


def _object(text: str, start: int) -> tuple[PDict, int]:
    result = PDict()
    i = _skip(text, start + 1)
    if text[i:i + 1] == "}":
        result.start, result.end = start, i + 1
        return result, i + 1
    while True:
        if text[i:i + 1] != '"':
            raise ValueError(f"expected a key at offset {i}")
        key, i = scanstring(text, i + 1, True)
        i = _skip(text, i)
        if text[i:i + 1] != ":":
            raise ValueError(f"expected ':' at offset {i}")
        result[key], i = _value(text, _skip(text, i + 1))
        i = _skip(text, i)
        if text[i:i + 1] == "}":
            result.start, result.end = start, i + 1
            return result, i + 1
        if text[i:i + 1] != ",":
            raise ValueError(f"expected ',' or '}}' at offset {i}")
        i = _skip(text, i + 1)


def _array(text: str, start: int) -> tuple[PList, int]:
    result = PList()
    i = _skip(text, start + 1)
    if text[i:i + 1] == "]":
        result.start, result.end = start, i + 1
        return result, i + 1
    while True:
        item, i = _value(text, i)
        result.append(item)
        i = _skip(text, i)
        if text[i:i + 1] == "]":
            result.start, result.end = start, i + 1
            return result, i + 1
        if text[i:i + 1] != ",":
            raise ValueError(f"expected ',' or ']' at offset {i}")
        i = _skip(text, i + 1)
