"""Reading values out of a Python file's AST: imported names, constants, numbers, positions.

Used by :mod:`preflight.scan.pycalls`. Nothing here imports or runs the code:
a name resolves only through the file's own imports and its own single
assignments, so a value defined elsewhere stays unknown (``None``).
"""

from __future__ import annotations

import ast
import operator
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from preflight.scan.facts import Span

Place = Callable[[int, int], tuple[int, int, "int | None"]]
_OPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Mult: operator.mul, ast.Add: operator.add, ast.Sub: operator.sub,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Pow: operator.pow,
}


class Names:
    """The file's imports (local name -> dotted origin) and its unambiguous assignments."""

    NODES = (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign)  # what it is built from

    def __init__(self, tree: ast.Module, nodes: list[ast.AST] | None = None) -> None:
        """``nodes``: the tree's nodes of the types in NODES, when a walk already found them."""
        self.origin: dict[str, str] = {}
        self.assigned: dict[str, list[ast.expr]] = defaultdict(list)
        self.module_level: set[str] = set()
        for node in ast.walk(tree) if nodes is None else nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.origin[alias.asname] = alias.name
                    else:
                        root = alias.name.split(".")[0]
                        self.origin.setdefault(root, root)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    self.origin[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    name = target_name(target)
                    if name:
                        self.assigned[name].append(node.value)
        for stmt in tree.body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                self.module_level.update(t.id for t in targets if isinstance(t, ast.Name))

    def qualify(self, node: ast.AST) -> str:
        """``genai.Client`` -> ``google.genai.Client`` through the imports; "" when not imported."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.origin:
            return ""
        return ".".join([self.origin[node.id], *reversed(parts)])

    def imports(self, *prefixes: str) -> bool:
        return any(o == p or o.startswith(p + ".") for o in self.origin.values() for p in prefixes)

    def value(self, node: ast.AST | None, depth: int = 0) -> ast.AST | None:
        """Follow a name to its single assignment in the file (a few steps at most)."""
        while isinstance(node, ast.Name) and depth < 4:
            found = self.assigned.get(node.id, [])
            if len(found) != 1:
                return node
            node, depth = found[0], depth + 1
        return node

    def constant(self, node: ast.AST | None) -> str:
        """A string literal, or a module-level constant holding one."""
        if isinstance(node, ast.Name) and node.id in self.module_level:
            node = self.value(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return ""

    def number(self, node: ast.AST | None) -> float | None:
        """A number written as a literal, simple arithmetic of literals, or a constant name."""
        node = self.value(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            return float(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = self.number(node.operand)
            return None if inner is None else -inner
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            left, right = self.number(node.left), self.number(node.right)
            if left is None or right is None:
                return None
            try:
                result = _OPS[type(node.op)](left, right)
            except (ArithmeticError, ValueError):
                return None
            return float(result) if isinstance(result, (int, float)) and abs(result) < 1e15 else None
        return None


def target_name(target: ast.AST) -> str:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return ""


def last_name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call):
        return last_name(node.func)
    return ""


def chain(node: ast.AST) -> list[str]:
    """``client.aio.models`` -> ["client", "aio", "models"] (calls and subscripts are skipped)."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, (ast.Call, ast.Subscript)):
            node = node.func if isinstance(node, ast.Call) else node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            break
        else:
            break
    return parts[::-1]


def keywords(node: ast.AST | None) -> dict[str, ast.expr] | None:
    """The keyword arguments of a call, or the string keys of a dict; None for anything else."""
    if isinstance(node, ast.Call):
        if any(kw.arg is None for kw in node.keywords):
            return None
        return {kw.arg: kw.value for kw in node.keywords if kw.arg}
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            return None
        return {k.value: v for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    return None


def walk_local(node: ast.AST) -> list[ast.AST]:
    """Every node under ``node`` without entering nested functions, classes or lambdas."""
    found: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(node))
    while stack:
        item = stack.pop()
        found.append(item)
        if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(item))
    return found


class Where:
    """Positions in the file as reports show them (1-based columns, notebook cells)."""

    def __init__(self, lines: list[str], place: Place) -> None:
        self.lines, self.place = lines, place

    def _column(self, line: int, col: int) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if not text.isascii():  # ast columns count UTF-8 bytes
            col = len(text.encode("utf-8")[:col].decode("utf-8", "ignore"))
        return col

    def at(self, node: ast.AST) -> tuple[int, int, int | None]:
        line = getattr(node, "lineno", 1)
        return self.place(line, self._column(line, getattr(node, "col_offset", 0)) + 1)

    def span(self, node: ast.AST) -> Span:
        line, col, cell = self.at(node)
        start: int = getattr(node, "lineno", 1)
        end_line: int = getattr(node, "end_lineno", None) or start
        end_offset: int = getattr(node, "end_col_offset", None) or 0
        end = self._column(end_line, end_offset) + 1
        mapped_end, mapped_col, _ = self.place(end_line, end)
        try:
            text = ast.unparse(node)
        except (ValueError, RecursionError):  # pragma: no cover - unparse of a parsed tree
            text = ""
        return Span(line, col, mapped_end, mapped_col, cell, text if len(text) <= 80 else "")
