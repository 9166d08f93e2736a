"""Model IDs in Python that does not parse (line scan), tuning keywords, ``%%writefile`` cells."""

from __future__ import annotations

import json

import pytest

from preflight.scan.facts import SourceFile
from preflight.scan.notebook import scan_notebook
from preflight.scan.python import scan_lines, scan_python
from preflight.scan.secrets import Lines


def _models(source: str) -> list[tuple[int, str, str, str]]:
    out = SourceFile("x.py", "python")
    scan_lines(source, out)
    return [(m.line, m.model_id, m.usage, m.where) for m in out.models]


@pytest.mark.parametrize(
    ("source", "want"),
    [
        ("m = genai.GenerativeModel('gemini-2.0-flash')",
         [(1, "gemini-2.0-flash", "call", "GenerativeModel(…)")]),
        ("r = c.models.generate_content(model='gemini-3.5-flash')",
         [(1, "gemini-3.5-flash", "call", "model=")]),
        ("r = c.generate(\n    model = \"gemini-3.5-flash\",\n)",
         [(2, "gemini-3.5-flash", "call", "model=")]),
        ("x = os.environ.get('M', model='gemini-3.5-flash')",
         [(1, "gemini-3.5-flash", "config", "model=")]),
        ("job = c.tunings.tune(base_model='gemini-2.5-flash')",
         [(1, "gemini-2.5-flash", "call", "base_model=")]),
        ("sft.train(source_model='gemini-2.5-flash')", [(1, "gemini-2.5-flash", "call", "source_model=")]),
        ("MODEL = 'gemini-3.5-flash'", [(1, "gemini-3.5-flash", "config", "MODEL = …")]),
        ("model = 'gemini-3.5-flash'", [(1, "gemini-3.5-flash", "config", "model = …")]),
        # look-alikes: comments, strings, dict entries, other keywords
        ("# model='gemini-3.5-flash'", []),
        ("s = \"GenerativeModel('gemini-3.5-flash')\"", []),
        ("print(\"model='gemini-3.5-flash'\")", []),
        ("d = {'model': 'gemini-3.5-flash'}", []),
        ("f(name='gemini-3.5-flash')", []),
        ("f(model='gemini-live-demo')", []),
    ],
)
def test_line_scan(source: str, want: list[tuple[int, str, str, str]]) -> None:
    assert _models(source) == want


def test_an_unclosed_bracket_ends_at_the_next_statement() -> None:
    source = "x = f(\nprint 'py2'\ndef g():\n    pass\nMODEL = 'gemini-3.5-flash'\nimport vertexai\n"
    out = SourceFile("x.py", "python")
    scan_lines(source, out)
    assert [(m.line, m.usage) for m in out.models] == [(5, "config")]
    assert [i.module for i in out.imports] == ["vertexai"]


def test_parsed_code_sees_tuning_keywords() -> None:
    out = SourceFile("x.py", "python")
    assert scan_python("client.tunings.tune(base_model='gemini-2.5-flash')\n"
                       "sft.train(source_model='gemini-2.5-flash')\n", out)
    assert [(m.where, m.usage) for m in out.models] == [("base_model=", "call"), ("source_model=", "call")]


def _notebook(*cells: list[str]) -> SourceFile:
    data = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": c} for c in cells],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(data, indent=1)
    out = SourceFile("n.ipynb", "notebook")
    assert scan_notebook(text, Lines(text), out, code=True) is not None
    return out


@pytest.mark.parametrize("magic", ["%%writefile app.py", "%%writefile -a src/app.py", "%%file main",
                                   "%%writefile"])
def test_writefile_cells_of_python_files_are_python(magic: str) -> None:
    out = _notebook([f"{magic}\n", "import google.generativeai\n",
                     "m = GenerativeModel('gemini-2.0-flash')\n"])
    assert [i.module for i in out.imports] == ["google.generativeai"]
    assert [(m.model_id, m.cell) for m in out.models] == [("gemini-2.0-flash", 1)]


@pytest.mark.parametrize("magic", ["%%writefile requirements.txt", "%%writefile config/app.yaml",
                                   "%%html", "%%bash"])
def test_other_cells_are_not_python(magic: str) -> None:
    out = _notebook([f"{magic}\n", "import google.generativeai\n", "model='gemini-2.0-flash'\n"])
    assert out.imports == [] and out.models == []
