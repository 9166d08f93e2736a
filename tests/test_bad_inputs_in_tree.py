"""One bad input inside an audited tree is reported and the run goes on: an unreadable
folder, a path deeper than PATH_MAX, a broken manifest, a notebook with wrongly typed
parts, a file name that is not UTF-8. The real finding beside it is always reported."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from preflight import api
from tests.conftest import TODAY, run_cli
from tests.fakes.keys import api_key

OPTIONS = api.Options(today=TODAY)


def with_key(folder: Path) -> str:
    key = api_key()
    (folder / "app.py").write_text(f'KEY = "{key}"\n', encoding="utf-8")
    return key


def rules_of(result: api.Result) -> list[str]:
    return sorted(f.rule_id for f in result.findings)


def test_an_unreadable_folder_is_a_note_and_the_run_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders this user may not read or enter. Root reads everything, so the refusals the
    kernel gives another user (EACCES from scandir and stat) are given here by hand."""
    with_key(tmp_path)
    closed = tmp_path / "closed"
    (closed / "inner").mkdir(parents=True)
    (closed / "inner" / "x.py").write_text("import google.generativeai\n", encoding="utf-8")
    (tmp_path / "half" / "sub").mkdir(parents=True)  # listable, not enterable
    refused = (str(closed), str(tmp_path / "half") + os.sep)
    real_stat, real_scandir = os.stat, os.scandir

    def deny(path: object) -> None:
        text = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else ""
        if text == refused[0] or text.startswith(refused):
            raise PermissionError(13, "Permission denied", text)

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        deny(path)
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    def scandir(path: object = ".") -> object:
        deny(path)
        return real_scandir(path)  # type: ignore[call-overload]

    if os.geteuid() != 0:
        closed.chmod(0o000)
        (tmp_path / "half").chmod(0o644)
    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "scandir", scandir)
    try:
        result = api.audit([tmp_path], api.Options(today=TODAY))
    finally:
        monkeypatch.undo()
        closed.chmod(0o755)
        (tmp_path / "half").chmod(0o755)
    assert rules_of(result) == ["GP201"]
    assert any(note.startswith("skipped") and "closed" in note for note in result.notes), result.notes


def _deep_tree(top: Path, depth: int) -> None:
    """Folders nested beyond PATH_MAX (4096), made through folder descriptors."""
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d" * 200, dir_fd=fd)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open("deep.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, b"import google.generativeai\n")
        os.close(out)
    finally:
        os.close(fd)


def test_a_folder_deeper_than_path_max_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    with_key(tmp_path)
    (tmp_path / "deep").mkdir()
    _deep_tree(tmp_path / "deep", 25)
    result = api.audit([tmp_path], OPTIONS)
    assert rules_of(result) == ["GP201"]
    assert any("too long" in note for note in result.notes), result.notes[:3]
    done = run_cli("audit", ".", cwd=tmp_path)
    assert done.returncode == 1 and "internal error" not in done.stderr


@pytest.mark.parametrize("broken", [
    "models:\n  chat: {id: gemini-3.5-flash, max_output_tokens: " + "9" * 5000 + "}\n",
    "models:\n  chat: {id: gemini-3.5-flash}\n" + "x: " + "[" * 800 + "]" * 800 + "\n",
    "models: [\n",
    "sdk: {package: google-genai, version: '==1." + "9" * 5000 + "'}\n",
])
def test_a_broken_manifest_in_the_tree_never_hides_the_findings_beside_it(
        tmp_path: Path, broken: str) -> None:
    with_key(tmp_path)
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "gemini-deploy.yaml").write_text("version: 1\napp: demo\n" + broken,
                                                         encoding="utf-8")
    result = api.audit([tmp_path], OPTIONS)
    assert "GP201" in rules_of(result)
    done = run_cli("audit", ".", cwd=tmp_path)
    assert "GP201" in done.stdout and "internal error" not in done.stderr
    assert done.returncode in (1, 2) and "Traceback" not in done.stderr


def _notebook(code: dict[str, object], *others: object) -> str:
    return json.dumps({"cells": [*others, code], "metadata": {}, "nbformat": 4,
                       "nbformat_minor": 5}, indent=1)


OUTPUTS = {
    "number": 5, "list of numbers": [5], "string": "abc", "mapping": {"a": 1}, "null": None,
    "text a number": [{"output_type": "stream", "name": "stdout", "text": 5}],
    "data a number": [{"output_type": "display_data", "data": 5, "metadata": {}}],
    "png a number": [{"output_type": "display_data", "data": {"image/png": 5}, "metadata": {}}],
    "png a list": [{"output_type": "display_data", "data": {"image/png": [5, None]}}],
    "mixed text": [{"output_type": "stream", "text": ["a", 5, None]}],
    "type a number": [{"output_type": 5}], "nested lists": [[[]]],
}


@pytest.mark.parametrize("outputs", list(OUTPUTS), ids=list(OUTPUTS))
def test_a_notebook_with_wrongly_typed_outputs_is_still_scanned(tmp_path: Path, outputs: str) -> None:
    key = api_key()
    code = {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": OUTPUTS[outputs],
            "source": ["import google.generativeai\n", f"KEY = '{key}'\n"]}
    text = _notebook(code, {"cell_type": "markdown", "source": 5}, "junk", 7, {"cell_type": 3})
    (tmp_path / "book.ipynb").write_text(text, encoding="utf-8")
    result = api.audit([tmp_path / "book.ipynb"], OPTIONS)
    assert rules_of(result) == ["GP101", "GP201"], result.notes
    assert {f.location.cell for f in result.findings} == {5}


def test_a_notebook_whose_cells_are_not_a_list_is_searched_for_keys(tmp_path: Path) -> None:
    key = api_key()
    code = {"cell_type": "code", "source": f"KEY = '{key}'\n", "outputs": []}
    (tmp_path / "book.ipynb").write_text(json.dumps({"cells": {"a": code}, "nbformat": 4}),
                                         encoding="utf-8")
    result = api.audit([tmp_path / "book.ipynb"], OPTIONS)
    assert rules_of(result) == ["GP201"]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse such names")
@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github", "junit"])
def test_a_file_name_that_is_not_utf8_keeps_every_format_valid(tmp_path: Path, fmt: str) -> None:
    folder = os.fsencode(tmp_path / "src")
    os.mkdir(folder)
    with open(os.path.join(folder, b"\xff\xfe-legacy.py"), "wb") as handle:
        handle.write(b"import google.generativeai\n")
    done = run_cli("audit", "src", "--format", fmt, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "internal error" not in done.stderr
    if fmt == "json":
        [finding] = json.loads(done.stdout)["findings"]
        assert finding["path"] == "src/\\xff\\xfe-legacy.py"
    elif fmt == "sarif":
        [result] = json.loads(done.stdout)["runs"][0]["results"]
        assert result["ruleId"] == "GP101"
    elif fmt == "junit":
        import xml.etree.ElementTree as ET

        ET.fromstring(done.stdout)
    else:
        assert "xff" in done.stdout
