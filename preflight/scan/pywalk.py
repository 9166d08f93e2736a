"""One walk over a parsed Python tree, shared by every extractor of facts.

An extractor is a module of ``preflight.scan`` whose name starts with ``py`` and
that defines ``EXTRACTOR`` (found by listing the package on first use: no list
here names them). It declares

- ``needles``: strings of which one must be in a file (its bytes) or in a
  notebook cell (its source) for the extractor to run. A file or cell holding
  no extractor's needle is not parsed at all;
- ``nodes``: the node types it looks at. The tree is walked once, collecting
  only the nodes of the types the running extractors asked for, each with the
  name of the function it is in;
- ``extract``: called with the :class:`Parsed` file once the walk is done.
"""

from __future__ import annotations

import ast
import functools
import importlib
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from preflight.scan.facts import SourceFile

# (line, column) in the parsed text -> (line, column, cell) in the file
Place = Callable[[int, int], tuple[int, int, "int | None"]]
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Extractor:
    name: str
    needles: tuple[str, ...]
    nodes: tuple[type[ast.AST], ...]
    extract: Callable[[Parsed], None]

    def wanted(self, source: str) -> bool:
        return any(n in source for n in self.needles)


@dataclass
class Parsed:
    """A parsed file (or notebook cell) and the nodes its extractors asked for."""

    tree: ast.Module
    lines: list[str]
    place: Place
    out: SourceFile
    found: list[tuple[ast.AST, str]] = field(default_factory=list)  # (node, enclosing function)
    # of each found node: the function, class or lambda whose own code it is in (None: the module)
    scopes: list[ast.AST | None] = field(default_factory=list)

    def of(self, *types: type[ast.AST]) -> list[ast.AST]:
        """The collected nodes of ``types``, in the order of the source."""
        return [node for node, _ in self.found if isinstance(node, types)]

    def with_function(self, *types: type[ast.AST]) -> list[tuple[ast.AST, str]]:
        """The collected nodes of ``types`` with the name of the function each is in ("" at top)."""
        return [(node, function) for node, function in self.found if isinstance(node, types)]

    def by_scope(self, *types: type[ast.AST]) -> dict[int, list[ast.AST]]:
        """The collected nodes of ``types`` by the id of the function, class or lambda whose own
        code they are in (as :func:`preflight.scan.pyresolve.walk_local` of it finds them)."""
        grouped: dict[int, list[ast.AST]] = {}
        for (node, _), scope in zip(self.found, self.scopes, strict=True):
            if scope is not None and isinstance(node, types):
                grouped.setdefault(id(scope), []).append(node)
        return grouped


@functools.lru_cache(maxsize=1)
def extractors() -> tuple[Extractor, ...]:
    found = []  # the modules beside this one, in the preflight.scan package
    for module in sorted(m.name for m in pkgutil.iter_modules([os.path.dirname(__file__)])):
        if module.startswith("py") and module != "pywalk":
            extractor = getattr(importlib.import_module(f"preflight.scan.{module}"), "EXTRACTOR", None)
            if isinstance(extractor, Extractor):
                found.append(extractor)
    return tuple(found)


@functools.lru_cache(maxsize=1)
def needles() -> tuple[str, ...]:
    """Every extractor's needles: a source holding none of them is not parsed."""
    return tuple(dict.fromkeys(n for e in extractors() for n in e.needles))


def wanted(source: str) -> bool:
    return any(n in source for n in needles())


def run(tree: ast.Module, source: str, lines: list[str], place: Place, out: SourceFile) -> None:
    """Walk ``tree`` once and hand it to every extractor whose needles are in ``source``."""
    active = [e for e in extractors() if e.wanted(source)]
    if not active:
        return
    parsed = Parsed(tree, lines, place, out)
    _walk(tree, tuple({t for e in active for t in e.nodes}), parsed.found, parsed.scopes)
    for extractor in active:
        extractor.extract(parsed)


def _walk(tree: ast.AST, types: tuple[type[ast.AST], ...], found: list[tuple[ast.AST, str]],
          scopes: list[ast.AST | None]) -> None:
    """Depth-first, in source order; nodes of ``types`` are kept with their enclosing function
    (by name) and the function, class or lambda whose own code they are in."""
    wanted = frozenset(types)
    stack: list[tuple[ast.AST, str, ast.AST | None]] = [(tree, "", None)]
    pop, push, append, in_scope = stack.pop, stack.append, found.append, scopes.append
    while stack:
        node, function, scope = pop()
        cls = node.__class__
        if cls in wanted:
            append((node, function))
            in_scope(scope)
        if cls in _SCOPES:
            scope = node
            if cls is not ast.ClassDef and cls is not ast.Lambda:
                function = node.name  # type: ignore[attr-defined]
        fields = _FIELDS.get(cls)
        if fields is None:
            fields = _FIELDS[cls] = tuple(f for f in cls._fields if f not in _SCALAR_FIELDS)
        for name in reversed(fields):
            value = getattr(node, name, None)
            if value.__class__ is list:
                for item in reversed(value):
                    if isinstance(item, ast.AST):
                        push((item, function, scope))
            elif isinstance(value, ast.AST):
                push((value, function, scope))


_SCOPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda})
# Fields that never hold a node worth visiting: names, flags, contexts and operators.
_SCALAR_FIELDS = frozenset({"ctx", "op", "ops", "id", "arg", "attr", "name", "module", "level",
                            "kind", "type_comment", "conversion", "is_async", "kwd_attrs", "rest",
                            "tag", "simple", "lineno", "col_offset"})
_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}
