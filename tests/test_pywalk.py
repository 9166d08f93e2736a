"""Extractors register themselves with needles and node types; one walk serves them all."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from preflight.scan import pywalk, scan_file
from preflight.scan.facts import SourceFile
from preflight.scan.python import scan_python

FIXTURES = Path(__file__).parent / "fixtures" / "audit"


def test_extractors_are_found_and_their_needles_join_the_prefilter() -> None:
    names = {e.name for e in pywalk.extractors()}
    assert {"imports-and-models", "clients-calls-retries"} <= names
    for extractor in pywalk.extractors():
        assert extractor.needles and extractor.nodes
        assert set(extractor.needles) <= set(pywalk.needles())


def test_one_walk_collects_the_asked_types_in_source_order_with_their_function() -> None:
    tree = ast.parse("a = f()\ndef outer():\n    g()\n    def inner():\n        h()\n    k()\nm()\n")
    parsed = pywalk.Parsed(tree, [], lambda line, col: (line, col, None), SourceFile("x.py", "python"))
    pywalk._walk(tree, (ast.Call,), parsed.found, parsed.scopes)
    calls = [(n.func.id, f) for n, f in parsed.with_function(ast.Call)]  # type: ignore[attr-defined]
    assert calls == [("f", ""), ("g", "outer"), ("h", "inner"), ("k", "outer"), ("m", "")]
    assert parsed.of(ast.Assign) == []  # not asked for, not collected


def test_the_walk_groups_calls_by_scope_as_walk_local_finds_them() -> None:
    from preflight.scan.pyresolve import walk_local

    sources = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.py"))]
    sources.append("class A:\n    @deco(x())\n    def m(self, d=y()):\n        f = lambda: z()\n"
                   "        class B:\n            w = v()\n        return [q() for _ in r()]\n")
    checked = 0
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        parsed = pywalk.Parsed(tree, [], lambda line, col: (line, col, None), SourceFile("x.py", "python"))
        pywalk._walk(tree, (ast.Call,), parsed.found, parsed.scopes)
        grouped = parsed.by_scope(ast.Call)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                local = [n for n in walk_local(node) if isinstance(n, ast.Call)]
                assert {id(n) for n in grouped.get(id(node), [])} == {id(n) for n in local}
                checked += 1
    assert checked > 20


def test_a_source_without_needles_runs_no_extractor() -> None:
    out = SourceFile("x.py", "python")
    assert scan_python("import numpy\nx = numpy.zeros(3)\n", out)
    assert out.imports == []
    scan_python("import numpy\nimport google.generativeai as genai\n", out)
    assert [i.module for i in out.imports] == ["numpy", "google.generativeai"]


def test_notebook_cells_without_needles_are_not_parsed(tmp_path: Path) -> None:
    cells = [{"cell_type": "code", "source": ["import pandas as pd\n"]},
             {"cell_type": "code", "source": ["%pip install -q google-genai\n"]},
             {"cell_type": "code", "source": ["import google.generativeai as genai\n",
                                              "m = genai.GenerativeModel('gemini-1.5-flash')\n"]}]
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells}, indent=1))
    facts, _ = scan_file(path, "nb.ipynb")
    assert [(i.module, i.cell) for i in facts.imports] == [("google.generativeai", 3)]
    assert [(d.name, d.cell) for d in facts.dependencies] == [("google-genai", 2)]
    assert [(m.model_id, m.cell) for m in facts.models] == [("gemini-1.5-flash", 3)]


def test_the_one_pass_prefilter_sees_the_same_signals_as_separate_searches(tmp_path: Path) -> None:
    from preflight.scan import classify, signals

    samples = {"a.py": "import time\nt = time.perf_counter()\nprint(r.usage_metadata)\n",
               "b.ipynb": json.dumps({"cells": [{"cell_type": "code", "source": ["latency = 1\n"]}]}),
               "c.txt": "GOOGLE_CLOUD_LOCATION=us-central1 and usage_metadata\n",
               "d.js": "const t0 = performance.now();\n", "e.md": "nothing here\n"}
    for name, text in samples.items():
        path = tmp_path / name
        path.write_text(text)
        facts, _ = scan_file(path, name)
        assert facts.signals == signals.observe(classify(path), text.encode()), name
    assert scan_file(tmp_path / "a.py", "a.py")[0].signals == {"usage", "latency"}


TRICKY = '''
import os, sys as system
from . import sibling
@decorate(call(1), key=f"{value!r:>{width()}}")
class Box(Base, metaclass=Meta, **extra):
    field: Annotated[str, Field(default=pick())] = other()
    def method(self, a=default(), /, b: hint() = 2, *rest, c=lambda x=inner(): x, **kw) -> ret():
        global counter
        nonlocal_value = {**spread(), "k": v(), None: w}
        match command(x):
            case Point(x=0, y=check()) | [1, *others] if guard():
                pass
            case {"key": value, **rest_of} if value > limit():
                return [item() for item in items() if test(item) for _ in range(n())]
            case str() | None:
                ...
        try:
            async_thing = (yield from source())
        except* (ValueError, TypeError()) as group:
            raise Wrapped() from group
        finally:
            del target()[index()]
        x = a if cond() else b()
        y = [z async for z in agen()] if False else {k: v for k, v in pairs()}
        with open(p()) as fh, ctx() as (one, two):
            assert check(), message()
        return await later(), (yield)
lambda: (yield)
'''


def test_the_walk_visits_every_node_in_the_order_and_scope_of_a_plain_recursive_walk() -> None:
    sources = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.py"))] + [TRICKY]
    scoping = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)

    def plain(node: ast.AST, function: str, scope: ast.AST | None,
              out: list[tuple[ast.AST, str, ast.AST | None]]) -> None:
        if isinstance(node, (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)):
            return  # contexts and operators: never asked for, not visited
        out.append((node, function, scope))
        if isinstance(node, scoping):
            scope = node
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                function = node.name
        for child in ast.iter_child_nodes(node):
            plain(child, function, scope, out)

    walked = 0
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        expected: list[tuple[ast.AST, str, ast.AST | None]] = []
        plain(tree, "", None, expected)
        every = tuple({type(n) for n, _, _ in expected})
        for types in (every, (ast.Call,), (ast.Name, ast.Constant, ast.Lambda)):
            found: list[tuple[ast.AST, str]] = []
            scopes: list[ast.AST | None] = []
            pywalk._walk(tree, types, found, scopes)
            want = [(n, f, s) for n, f, s in expected if isinstance(n, types)]
            assert [(id(n), f) for n, f in found] == [(id(n), f) for n, f, _ in want]
            assert [id(s) for s in scopes] == [id(s) for _, _, s in want]
            walked += len(found)
    assert walked > 2000
