"""Where the cells of a notebook stand: offsets from the standard json decoder, tolerant of odd shapes."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from preflight.scan import cells, scan_file
from tests.audit_corpus import make_key


def _dump(book: object, indent: int | str | None = 1) -> str:
    return json.dumps(book, indent=indent, ensure_ascii=False)


@pytest.mark.parametrize("indent", [1, "\t", None])
def test_source_offsets_point_at_each_string(indent: int | str | None) -> None:
    source = ['é = "quoted" \\t\n', "x = 1\n", "y"]
    text = _dump({"metadata": {"source": ["not this"]},
                  "cells": [{"cell_type": "markdown", "source": "# title"},
                            {"cell_type": "code", "metadata": {"source": "nor this"},
                             "outputs": [], "source": source}]}, indent)
    book = cells.index(text)
    assert book is not None and [c.number for c in book] == [1, 2]
    parts = cells.source_parts(text, book[1])
    assert [p for _, p in parts] == source
    for at, part in parts:
        assert json.JSONDecoder().raw_decode(text, at)[0] == part
    assert [p for _, p in cells.source_parts(text, book[0])] == ["# title"]
    assert text[book[1].start] == "{" and text[book[1].end - 1] == "}"


def test_members_in_any_order_and_duplicate_keys_are_read_as_json_reads_them() -> None:
    source, outputs = ["x = 1\n", "y = 2"], [{"data": {"image/png": "QUJD"}}]
    shapes: list[list[tuple[str, object]]] = [  # (key as written, value)
        [('"cell_type"', "code"), ('"source"', source), ('"outputs"', outputs), ('"metadata"', {})],
        [('"metadata"', {"source": ["no"]}), ('"outputs"', outputs), ('"source"', source)],
        [('"source"', ["first"]), ('"outputs"', outputs), ('"source"', source)],
        [('"source"', ["first"]), ('"outputs"', outputs), ('"sourc\\u0065"', source)],
        [('"source"', ["first"]), ('"metadata"', {}), ('"sourc\\u0065"', source),
         ('"outputs"', outputs)],
        [('"outputs"', []), ('"source"', source), ('"outputs"', outputs), ('"id"', "a")],
    ]
    for indent in (1, None):
        entries = ("{" + ", ".join(f"{key}: {json.dumps(value, indent=indent)}" for key, value in shape)
                   + "}" for shape in shapes)
        text = '{"cells": [' + ", ".join(entries) + "]}"
        book = cells.index(text)
        assert book is not None and len(book) == len(shapes)
        for cell in book:
            assert cell.value["source"] == source
            parts = cells.source_parts(text, cell)
            assert [p for _, p in parts] == source, text[cell.start:cell.end]
            for at, part in parts:
                assert json.JSONDecoder().raw_decode(text, at)[0] == part
            (start, end), = cells.binary_spans(text, cell)
            assert text[start:end] == '"QUJD"'
    bare = '{"cells": [{}, {"cell_type": "markdown"}]}'
    book = cells.index(bare)
    assert book is not None
    assert [cells.source_parts(bare, c) for c in book] == [[], []]
    assert [cells.binary_spans(bare, c) for c in book] == [[], []]


def test_entries_that_are_not_objects_are_counted_but_skipped() -> None:
    text = _dump({"cells": [1, {"cell_type": "code", "source": []}, None, {"source": "x"}]})
    book = cells.index(text)
    assert book is not None and [c.number for c in book] == [2, 4]


def test_wrongly_typed_outputs_and_sources_are_stepped_over() -> None:
    odd = [{"cell_type": "code", "outputs": {"data": 3}, "source": 5},
           {"cell_type": "code", "outputs": [1, "x", {"data": []}, {"data": {"image/png": [3, "QUJD"]}}],
            "source": [1, None, "import os\n", ["nested"]]},
           {"cell_type": "code", "outputs": None, "source": None}]
    text = _dump({"cells": odd})
    book = cells.index(text)
    assert book is not None
    assert cells.source_parts(text, book[0]) == [] and cells.binary_spans(text, book[0]) == []
    assert [p for _, p in cells.source_parts(text, book[1])] == ["import os\n"]
    (start, end), = cells.binary_spans(text, book[1])
    assert text[start:end] == '"QUJD"'
    assert cells.binary_spans(text, book[2]) == []


def test_not_a_notebook_and_not_json() -> None:
    assert cells.index('[1, 2, "cells"]') is None
    assert cells.index('{"cells": {"a": 1}}') is None
    assert cells.index('{"cells": [], "cells": 3}') is None  # the last value counts, as in json
    for broken in ('{"cells": [}', '{"cells": []} x', '{"cells": [1,]}', ""):
        with pytest.raises(ValueError):
            cells.index(broken)


def test_a_hundred_thousand_cells() -> None:
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["x = 1\n"]}
    text = _dump({"cells": [cell] * 100_000, "metadata": {}})
    book = cells.index(text)
    assert book is not None and len(book) == 100_000 and book[-1].number == 100_000
    assert cells.source_parts(text, book[-1])[0][1] == "x = 1\n"


def test_keys_are_placed_in_their_cell_and_not_searched_in_images(tmp_path: Path) -> None:
    rng = random.Random(5)
    text_key, image_key, code_key = (make_key(rng) for _ in range(3))
    book = {"cells": [
        "stray entry",
        {"cell_type": "markdown", "source": ["intro\n"]},
        {"cell_type": "code", "outputs": [
            {"output_type": "stream", "text": [f"key {text_key}\n"]},
            {"output_type": "display_data",
             "data": {"image/png": f"iVBOR{image_key}AAA", "text/plain": ["<Figure>"]}}],
         "source": ["import google.generativeai as genai\n", f'genai.configure(api_key="{code_key}")\n']},
    ]}
    path = tmp_path / "nb.ipynb"
    path.write_text(_dump(book), encoding="utf-8")
    facts, note = scan_file(path, "nb.ipynb")
    assert note is None
    lines = path.read_text().split("\n")
    assert [(s.cell, lines[s.line - 1].strip()[:6]) for s in facts.secrets] == \
        [(3, '"key A'), (3, '"genai')]
    (imported,) = facts.imports
    assert imported.cell == 3 and lines[imported.line - 1][imported.column - 1:].startswith("import")


def test_the_cursor_places_offsets_as_the_line_table_does_in_any_order() -> None:
    from preflight.scan.notebook import Cursor
    from preflight.scan.secrets import Lines

    rng = random.Random(3)
    text = "".join(rng.choice(["a", "b", "\n", "é", "\r\n"]) for _ in range(3000))
    cursor, lines = Cursor(text), Lines(text)
    offsets = [rng.randrange(len(text) + 1) for _ in range(400)] + [0, len(text), len(text) - 1, 0]
    assert [cursor.at(o) for o in offsets] == [lines.at(o) for o in offsets]
