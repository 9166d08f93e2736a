"""Facts from Python source, parsed with ``ast`` (never imported or executed).

Code that does not parse (syntax newer than the running interpreter, such as
PEP 695 generics on 3.11, or a notebook cell of shell) falls back to a line
scan, so a file is never skipped for being unusual.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable
from typing import Any

import preflight.scan.pywalk as pywalk
from preflight.scan.facts import Import, ModelRef, SourceFile, Usage
from preflight.scan.models import DEFAULT_CALLS, MODEL_CALLS, MODEL_KEYWORDS, looks_like_model_id
from preflight.scan.models import NEEDLES as MODEL_NEEDLES

Place = pywalk.Place


def same_place(line: int, column: int) -> tuple[int, int, int | None]:
    return line, column, None


# Bounds on the AST parse (time and memory per file): a bigger source, or one with a longer
# line (generated or minified code), is line-scanned. ast on one 10 MB line took 30 s and 3 GB.
MAX_PARSE_CHARS = 2 * 1024 * 1024
MAX_LINE_CHARS = 20_000


def too_big_to_parse(source: str) -> bool:
    if len(source) > MAX_PARSE_CHARS:
        return True
    if len(source) <= MAX_LINE_CHARS:
        return False
    start = 0
    while start < len(source):
        end = source.find("\n", start)
        end = len(source) if end < 0 else end
        if end - start > MAX_LINE_CHARS:
            return True
        start = end + 1
    return False


def scan_python(source: str, out: SourceFile, place: Place = same_place, parse: bool = True) -> bool:
    """Add the facts of ``source`` to ``out``; False when it fell back to a line scan
    (code that does not parse, ``parse=False``, or a source too big to parse)."""
    if not parse or too_big_to_parse(source):
        scan_lines(source, out, place)
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes in old code
            tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        scan_lines(source, out, place)
        return False
    pywalk.run(tree, source, re.split(r"\r\n|\r|\n", source), place, out)
    return True


_NODES = (ast.Import, ast.ImportFrom, ast.Call, ast.Assign, ast.AnnAssign, ast.FunctionDef,
          ast.AsyncFunctionDef, ast.Dict)


def _extract(parsed: pywalk.Parsed) -> None:
    visitor = _Visitor(parsed.out, parsed.place, parsed.lines)
    handlers: dict[type[ast.AST], Callable[[Any], None]] = {
        ast.Import: visitor.visit_Import, ast.ImportFrom: visitor.visit_ImportFrom,
        ast.Call: visitor.visit_Call, ast.Assign: visitor.visit_Assign,
        ast.AnnAssign: visitor.visit_AnnAssign, ast.FunctionDef: visitor.visit_FunctionDef,
        ast.AsyncFunctionDef: visitor.visit_FunctionDef, ast.Dict: visitor.visit_Dict,
    }
    for node in parsed.of(*_NODES):
        handlers[node.__class__](node)


# Imports (any, in a parsed file) and model-ID literals. Its needles: the SDK module names
# (google.generativeai, generativelanguage, vertexai, google.genai) and the model-ID shapes.
EXTRACTOR = pywalk.Extractor(
    "imports-and-models", ("generativ", "vertexai", "enterprise", "genai",
                           *(n.decode() for n in MODEL_NEEDLES)), _NODES, _extract)


class _Visitor:
    """Collects imports and model-ID literals from the nodes of the shared walk."""

    def __init__(self, out: SourceFile, place: Place, lines: list[str]) -> None:
        self.out, self.place, self.lines = out, place, lines

    def _where(self, node: ast.AST) -> tuple[int, int, int | None]:
        line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
        if 0 < line <= len(self.lines):
            text = self.lines[line - 1]
            if not text.isascii():  # ast columns count UTF-8 bytes
                col = len(text.encode("utf-8")[:col].decode("utf-8", "ignore"))
        return self.place(line, col + 1)

    def visit_Import(self, node: ast.Import) -> None:
        line, col, cell = self._where(node)
        self.out.imports.extend(Import(alias.name, line, col, cell) for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module:
            line, col, cell = self._where(node)
            names = tuple(a.name for a in node.names if a.name != "*")
            self.out.imports.append(Import(node.module, line, col, cell, names))

    def _model(self, value: ast.AST | None, usage: Usage, where: str, env: str = "") -> None:
        if isinstance(value, ast.Constant) and isinstance(value.value, str) \
                and looks_like_model_id(value.value):
            line, col, cell = self._where(value)
            self.out.models.append(ModelRef(value.value, line, col, cell, usage, where, env))

    def visit_Call(self, node: ast.Call) -> None:
        name = _last_name(node.func)
        defaults = name in DEFAULT_CALLS
        for kw in node.keywords:
            if kw.arg in MODEL_KEYWORDS:
                self._model(kw.value, "config" if defaults else "call", f"{kw.arg}=")
            elif kw.arg == "default" and defaults:
                self._model(kw.value, "config", f"{name}(default=…)")
        if defaults:
            env = _literal(node.args[0]) if node.args else ""
            for arg in node.args[1:]:
                self._model(arg, "config", f"{name}(…, default)", env)
        elif name in MODEL_CALLS and node.args:
            self._model(node.args[0], "call", f"{name}(…)")

    def visit_Assign(self, node: ast.Assign) -> None:
        if _is_model_id(node.value):  # most assignments are not: the description is made for a few
            self._model(node.value, "config", f"{_target_name(node.targets[0])} = …")

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if _is_model_id(node.value):
            self._model(node.value, "config", f"{_target_name(node.target)} = …")

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        args = node.args
        if not (args.defaults or args.kw_defaults):
            return
        names = [a.arg for a in args.posonlyargs + args.args]
        for arg, default in zip(names[-len(args.defaults):] if args.defaults else [],
                                args.defaults, strict=False):
            if _is_model_id(default):
                self._model(default, "config", f"{node.name}({arg}=…)")
        for kwarg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            if _is_model_id(kw_default):
                self._model(kw_default, "config", f"{node.name}({kwarg.arg}=…)")

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str) \
                    and "model" in key.value.lower():
                self._model(value, "config", f'"{key.value}": …')


def _is_model_id(value: ast.AST | None) -> bool:
    return isinstance(value, ast.Constant) and isinstance(value.value, str) \
        and looks_like_model_id(value.value)


def _literal(node: ast.AST | None) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def _last_name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _target_name(target: ast.AST) -> str:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return "…"


_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*)")
_FROM = re.compile(r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+\(?([\w, \t]+)")
_KEYWORD = "|".join(sorted(MODEL_KEYWORDS))
# Matched against the line with string contents blanked (a model ID is then a run of spaces).
_KWARG = re.compile(rf"""(?<![\w.])({_KEYWORD})[ \t]*=[ \t]*[rRuU]?(["'])( {{1,160}})\2""")
_CALL = re.compile(rf"""(?<!\w)({"|".join(sorted(MODEL_CALLS))})[ \t]*\([ \t]*[rRuU]?(["'])( {{1,160}})\2""")
_ASSIGN = re.compile(r"""^[ \t]*([A-Za-z_][\w.]*)[ \t]*(?::[^=\n]+)?=[ \t]*(["'])([^"'\n]{1,160})\2""")
_STRING = re.compile(r"""(["'])(?:\\.|(?!\1)[^\\\n])*\1""")
_CALLEE = re.compile(r"([A-Za-z_]\w*)[ \t]*$")
_ID_HINTS = ("gemini-", "-bison", "imagen-", "embedding-")
_STATEMENTS = ("def ", "class ", "import ", "from ", "@", "async def ", "if __name__")


def scan_lines(source: str, out: SourceFile, place: Place = same_place) -> None:
    """The line-scan fallback: imports, model IDs passed into calls and model assignments.

    Brackets are tracked across lines (string contents and comments blanked), so a
    ``model="…"`` keyword inside a call that spans lines counts as a use in a call, the
    same keyword inside ``os.environ.get(…)``-like calls as configuration, and
    ``MODEL = "…"`` at statement level as configuration.
    """
    stack: list[str] = []  # callee name of each open "(", "" for "[" and "{"
    for number, text in enumerate(re.split(r"\r\n|\r|\n", source), 1):
        if text.startswith(_STATEMENTS):
            stack.clear()  # a bracket left open above (why the file did not parse) ends here
        if "import" in text and not stack:
            _imports(text, number, out, place)
        code = _STRING.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - 2) + m.group(1), text)
        code = code.split("#", 1)[0]
        if not any(hint in text for hint in _ID_HINTS):
            _track(code, stack, len(code))
            continue
        found: list[tuple[int, str, str, bool]] = []  # (offset, model id, where, is a keyword)
        for match in _CALL.finditer(code):  # string contents are blank in ``code``
            found.append((match.start(3), text[match.start(3):match.end(3)], f"{match.group(1)}(…)", False))
        for match in _KWARG.finditer(code):
            found.append((match.start(3), text[match.start(3):match.end(3)], f"{match.group(1)}=", True))
        assign = None if stack else _ASSIGN.match(text)
        seen, used = 0, set()
        for offset, model_id, where, keyword in sorted(found):
            seen = _track(code, stack, offset, seen)
            if keyword and (not stack or not stack[-1]):
                continue  # not inside a call (an assignment, or a dict)
            usage: Usage = "config" if keyword and stack[-1] in DEFAULT_CALLS else "call"
            if offset < len(code) and looks_like_model_id(model_id):
                line, col, cell = place(number, offset)
                out.models.append(ModelRef(model_id, line, col, cell, usage, where))
                used.add(offset)
        if assign and looks_like_model_id(assign.group(3)) and assign.start(3) < len(code) \
                and assign.start(3) not in used:
            line, col, cell = place(number, assign.start(3))
            out.models.append(ModelRef(assign.group(3), line, col, cell, "config",
                                       f"{assign.group(1)} = …"))
        _track(code, stack, len(code), seen)


def _track(code: str, stack: list[str], stop: int, start: int = 0) -> int:
    """Update the open brackets with ``code[start:stop]``; returns ``stop``."""
    for index in range(start, min(stop, len(code))):
        char = code[index]
        if char in "([{":
            callee = _CALLEE.search(code, 0, index) if char == "(" else None
            stack.append(callee.group(1) if callee else "")
        elif char in ")]}" and stack:
            stack.pop()
    return stop


def _imports(text: str, number: int, out: SourceFile, place: Place) -> None:
    if found := _IMPORT.match(text):
        for module in found.group(1).split(","):
            line, col, cell = place(number, text.index(module.strip()) + 1)
            out.imports.append(Import(module.strip(), line, col, cell))
    elif found := _FROM.match(text):
        names = tuple(n.split()[0] for n in found.group(2).split(",") if n.strip())
        line, col, cell = place(number, text.index("from") + 1)
        out.imports.append(Import(found.group(1), line, col, cell, names))
