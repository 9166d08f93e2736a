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
