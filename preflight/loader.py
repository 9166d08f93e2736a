"""Safe YAML loading that keeps the position of every key and value.

The file is composed into a node graph with PyYAML's safe composer (libyaml
when available) and converted to plain Python data here, so that:

* every key and value keeps its 1-based line and column (``Document.locate``);
* duplicate keys are an error that names both lines;
* aliases are expanded under a node budget, so a "billion laughs" file is
  refused at once with bounded memory;
* binary, empty, oversized and undecodable files get one clear message.
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # PyYAML loads with the first YAML file, not with the types of this module
    import yaml

    from preflight import suppress

MAX_BYTES = 1024 * 1024  # a manifest is a few KiB; 1 MiB is generous
MAX_NODES = 100_000  # expanded nodes, aliases counted each time they are used
MAX_DEPTH = 64  # nesting levels (a manifest needs about 6; 500+ overflowed the stack)

_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}"
               for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}

KeyPath = tuple[str | int, ...]


class LoadError(Exception):
    """A file that cannot be loaded; ``str()`` is the one-line message."""

    def __init__(self, path: str, message: str, line: int = 0, column: int = 0) -> None:
        self.path, self.message, self.line, self.column = path, message, line, column
        where = f"{path}:{line}:{column}" if line else path
        super().__init__(f"{where}: {message}")


class Mark(NamedTuple):
    line: int  # 1-based
    column: int  # 1-based


class Document:
    """Loaded YAML: the data, where each part of it stands, and the raw lines.

    A plain class (a dataclass compiles its generated methods at every start)."""

    def __init__(self, path: str, data: Any, lines: list[str],
                 keys: dict[KeyPath, Mark] | None = None, values: dict[KeyPath, Mark] | None = None,
                 suppressions: list[suppress.Mark] | None = None) -> None:
        self.path = path
        self.data = data
        self.lines = lines
        self.keys: dict[KeyPath, Mark] = {} if keys is None else keys
        self.values: dict[KeyPath, Mark] = {} if values is None else values
        # its suppression comments
        self.suppressions: list[suppress.Mark] = [] if suppressions is None else suppressions

    def locate(self, path: KeyPath, on: str = "value") -> Mark:
        """Where ``path`` stands; a missing path falls back to its nearest ancestor.

        ``on="key"`` prefers the key (``chat:``) over the value.
        """
        first, second = (self.keys, self.values) if on == "key" else (self.values, self.keys)
        probe = tuple(path)
        mark = first.get(probe) or second.get(probe)
        while mark is None and probe:
            probe = probe[:-1]  # a missing key: point at the key of its nearest ancestor
            mark = self.keys.get(probe) or self.values.get(probe)
        return mark or Mark(1, 1)


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a text file for loading, refusing binary, huge or undecodable content."""
    name = str(path)
    try:  # non-blocking: a FIFO never makes the run wait; only a regular file is read
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise LoadError(name, "is a directory, not a file")
            if not stat.S_ISREG(info.st_mode):
                raise LoadError(name, "is not a regular file (a pipe, device or socket)")
            if info.st_size > max_bytes:
                raise LoadError(name, f"file is too large ({info.st_size} bytes; the limit is "
                                      f"{max_bytes})")
            raw = _read_capped(fd, max_bytes)
        finally:
            os.close(fd)
        if len(raw) > max_bytes:  # grew while being read
            raise LoadError(name, f"file is too large (over {max_bytes} bytes)")
    except IsADirectoryError:
        raise LoadError(name, "is a directory, not a file") from None
    except FileNotFoundError:
        raise LoadError(name, "no such file") from None
    except PermissionError:
        raise LoadError(name, "permission denied") from None
    except OSError as exc:
        raise LoadError(name, f"cannot read file: {exc.strerror or exc}") from None
    return decode(name, raw)


def _read_capped(fd: int, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes, so a file that grows is caught without reading it all."""
    chunks, total = [], 0
    while total <= max_bytes:
        chunk = os.read(fd, min(65536, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def decode(name: str, raw: bytes) -> str:
    """Decode YAML bytes: UTF-8 (BOM allowed) or UTF-16/32 with a BOM."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise LoadError(name, "is not valid UTF-16 text") from None
    if b"\x00" in raw:
        raise LoadError(name, "is a binary file, not YAML text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(name, f"is not UTF-8 text (bad byte at offset {exc.start})") from None


def load_yaml(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    """Load one YAML file into a :class:`Document`; raise :class:`LoadError` otherwise."""
    return parse_yaml(read_text(path, max_bytes), str(path))


@functools.cache
def _constructor() -> yaml.constructor.SafeConstructor:
    import yaml

    return yaml.constructor.SafeConstructor()


def parse_yaml(text: str, name: str = "<string>") -> Document:
    import yaml

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except RecursionError:
        raise LoadError(name, f"nesting deeper than {MAX_DEPTH} levels") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise LoadError(name, f"invalid YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise LoadError(name, f"invalid YAML: {exc}") from None
    if node is None:
        raise LoadError(name, "is empty (no YAML document)")
    doc = Document(path=name, data=None, lines=text.splitlines())
    if "gemini-preflight" in text.lower():  # suppression comments: facts of the file
        from preflight.suppress import find

        doc.suppressions = find(text)
    doc.data = _Converter(doc).convert(node, ())
    return doc


def _short(exc: BaseException) -> str:
    text = str(exc).split(";")[0].strip()
    return text if len(text) <= 80 else text[:77] + "..."


class _Converter:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.budget = MAX_NODES

    def _mark(self, node: yaml.Node) -> Mark:
        return Mark(node.start_mark.line + 1, node.start_mark.column + 1)

    def convert(self, node: yaml.Node, path: KeyPath) -> Any:
        import yaml

        if len(path) > MAX_DEPTH:
            mark = self._mark(node)
            raise LoadError(self.doc.path, f"nesting deeper than {MAX_DEPTH} levels",
                            mark.line, mark.column)
        self.budget -= 1
        if self.budget < 0:
            raise LoadError(
                self.doc.path,
                f"too many YAML nodes after expanding aliases (limit {MAX_NODES}): "
                "refusing a possible alias bomb",
            )
        self.doc.values.setdefault(path, self._mark(node))
        if node.tag not in _PLAIN_TAGS:
            mark = self._mark(node)
            raise LoadError(self.doc.path, f"unsupported YAML tag {node.tag!r}",
                            mark.line, mark.column)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            return _constructor().construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            mark = self._mark(node)
            problem = getattr(exc, "problem", None) or "cannot read this value"
            raise LoadError(self.doc.path, f"bad value: {problem}", mark.line, mark.column) from None
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            # PyYAML's own constructors: 4,300+ digit integers, !!int 0xZZ, 2026-02-30,
            # a !!timestamp that is no timestamp
            mark = self._mark(node)
            kind = node.tag.rsplit(":", 1)[-1]
            raise LoadError(self.doc.path, f"bad value: not a valid {kind} ({_short(exc)})",
                            mark.line, mark.column) from None

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Any, Any]:
        import yaml

        result: dict[Any, Any] = {}
        merged: dict[Any, Any] = {}
        seen: dict[Any, Mark] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    value = self.convert(source, path)
                    if not isinstance(value, dict):
                        mark = self._mark(source)
                        raise LoadError(self.doc.path, "a merge key (<<) needs a mapping",
                                        mark.line, mark.column)
                    merged = {**value, **merged}
                continue
            key = self.convert(key_node, (*path, "<key>"))
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                mark = self._mark(key_node)
                raise LoadError(self.doc.path, "mapping keys must be plain scalars",
                                mark.line, mark.column)
            mark = self._mark(key_node)
            if key in seen:
                first = seen[key]
                raise LoadError(self.doc.path,
                                f"duplicate key {key!r} (first defined on line {first.line})",
                                mark.line, mark.column)
            seen[key] = mark
            child: KeyPath = (*path, key if isinstance(key, (str, int)) else str(key))
            self.doc.keys[child] = mark
            result[key] = self.convert(value_node, child)
        self.doc.values.pop((*path, "<key>"), None)
        return {**merged, **result}
