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
import operator
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
    _by_type: dict[type, list[int]] | None = field(default=None, repr=False, compare=False)
    _indexed: int = field(default=0, repr=False, compare=False)  # len(found) when indexed

    def of(self, *types: type[ast.AST]) -> list[ast.AST]:
        """The collected nodes of ``types``, in the order of the source."""
        found = self.found
        return [found[at][0] for at in self._where(types)]

    def with_function(self, *types: type[ast.AST]) -> list[tuple[ast.AST, str]]:
        """The collected nodes of ``types`` with the name of the function each is in ("" at top)."""
        found = self.found
        return [found[at] for at in self._where(types)]

    def by_scope(self, *types: type[ast.AST]) -> dict[int, list[ast.AST]]:
        """The collected nodes of ``types`` by the id of the function, class or lambda whose own
        code they are in (as :func:`preflight.scan.pyresolve.walk_local` of it finds them)."""
        grouped: dict[int, list[ast.AST]] = {}
        found, scopes = self.found, self.scopes
        for at in self._where(types):
            scope = scopes[at]
            if scope is not None:
                grouped.setdefault(id(scope), []).append(found[at][0])
        return grouped

    def _where(self, types: tuple[type[ast.AST], ...]) -> list[int]:
        """The indexes in ``found`` of the nodes of ``types`` (as isinstance), in order."""
        if self._by_type is None or self._indexed != len(self.found):
            self._by_type, self._indexed = {}, len(self.found)
            for at, (node, _) in enumerate(self.found):
                self._by_type.setdefault(node.__class__, []).append(at)
        lists = [at for cls, at in self._by_type.items() if issubclass(cls, types)]
        if len(lists) == 1:
            return lists[0]
        return sorted(at for one in lists for at in one)


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
    (by name) and the function, class or lambda whose own code they are in.

    The hot loop of a parsed file: the children of each node type are read by one
    ``attrgetter`` (fields in reverse, so they leave the stack in order), leaves (names,
    constants) are dropped as they are popped, and a marker left below a scope's children
    restores the enclosing function and scope once they are done.
    """
    if not _MANY:
        _learn()
    wanted = frozenset(types)
    skip = _LEAVES - wanted
    one, many = _ONE, _MANY
    stack: list[Any] = [tree]
    pop, push, extend, append, in_scope = stack.pop, stack.append, stack.extend, found.append, scopes.append
    function, scope = "", None
    while stack:
        node = pop()
        cls = node.__class__
        if cls in skip:
            continue
        if cls in wanted:
            append((node, function))
            in_scope(scope)
        elif cls is _Restore:
            function, scope = node.function, node.scope
            continue
        if cls in _SCOPES:
            push(_Restore(function, scope))
            scope = node
            if cls is not ast.ClassDef and cls is not ast.Lambda:
                function = node.name
        getter = one.get(cls)
        if getter is not None:
            value = getter(node)
            if value.__class__ is list:
                extend(value[::-1])
            else:
                push(value)
            continue
        getter = many.get(cls)
        if getter is None:
            continue
        for value in getter(node):
            if value.__class__ is list:
                extend(value[::-1])
            else:
                push(value)


class _Restore:
    """Below a scope's children on the stack: the function and scope around it."""

    __slots__ = ("function", "scope")

    def __init__(self, function: str, scope: ast.AST | None) -> None:
        self.function, self.scope = function, scope


_SCOPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda})
# Fields that never hold a node worth visiting: names, flags, contexts and operators.
_SCALAR_FIELDS = frozenset({"ctx", "op", "ops", "id", "arg", "attr", "name", "module", "level",
                            "kind", "type_comment", "conversion", "is_async", "kwd_attrs", "rest",
                            "tag", "simple", "lineno", "col_offset", "asname"})
# Popped and dropped: nodes without children worth visiting, and what is not a node at all.
_LEAVES = frozenset({type(None), str, bytes, int, float, complex, bool, type(...), ast.Name,
                     ast.Constant, ast.Pass, ast.Break, ast.Continue, ast.alias, ast.Global,
                     ast.Nonlocal})
_CHILDLESS: frozenset[type] = frozenset({ast.Global, ast.Nonlocal, ast.Constant})  # names, values
_ONE: dict[type, Callable[[Any], Any]] = {}  # node type -> getter of its one child field
_MANY: dict[type, Callable[[Any], Any] | None] = {}  # -> getter of its child fields (reversed)


def _learn() -> None:
    """The child fields of every node type of this Python's ``ast``."""
    todo: list[type] = [ast.AST]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        fields = () if cls in _CHILDLESS else tuple(
            f for f in getattr(cls, "_fields", ()) if f not in _SCALAR_FIELDS)[::-1]
        if len(fields) == 1:
            _ONE[cls] = operator.attrgetter(fields[0])
        else:
            _MANY[cls] = operator.attrgetter(*fields) if fields else None
