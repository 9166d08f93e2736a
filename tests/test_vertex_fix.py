"""GP102's safe fix: a declaration of the Vertex AI SDK used for its legacy generative modules
gets google-genai added beside it, in the file's own style; the declaration itself stays."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

TODAY = "2026-11-24"
NEW = "google-genai>=1.56.0"  # the catalog's google-genai minimum
CODE = "from vertexai.generative_models import GenerativeModel\n\nmodel = GenerativeModel(NAME)\n"

CASES = {
    "requirements.txt": (
        "numpy==1.0\ngoogle-cloud-aiplatform[langchain]>=1.38 ; python_version>'3.9'  # vertex\nclick\n",
        f"numpy==1.0\ngoogle-cloud-aiplatform[langchain]>=1.38 ; python_version>'3.9'  # vertex\n"
        f"{NEW} ; python_version>'3.9'\nclick\n"),
    "requirements/base.txt": ("google-cloud-aiplatform==1.70.0\n",
                              f"google-cloud-aiplatform==1.70.0\n{NEW}\n"),
    "pyproject.toml": (
        '[project]\nname = "x"\ndependencies = [\n    "click",\n'
        "    'google-cloud-aiplatform>=1.38; python_version >= \"3.9\"'  # vertex\n]\n",
        '[project]\nname = "x"\ndependencies = [\n    "click",\n'
        "    'google-cloud-aiplatform>=1.38; python_version >= \"3.9\"',  # vertex\n"
        f"    '{NEW}; python_version >= \"3.9\"'\n]\n"),
    "inline/pyproject.toml": (
        '[project]\nname = "x"\ndependencies = ["google-cloud-aiplatform>=1.38", "click"]\n',
        f'[project]\nname = "x"\ndependencies = ["google-cloud-aiplatform>=1.38", "{NEW}", "click"]\n'),
    "poetry/pyproject.toml": (
        '[tool.poetry.dependencies]\npython = "^3.11"\n'
        "  \"google-cloud-aiplatform\" = { version = '^1.38', extras = [\"langchain\"] }\n",
        '[tool.poetry.dependencies]\npython = "^3.11"\n'
        "  \"google-cloud-aiplatform\" = { version = '^1.38', extras = [\"langchain\"] }\n"
        "  \"google-genai\" = '>=1.56.0'\n"),
    "Pipfile": ('[packages]\ngoogle-cloud-aiplatform = "*"\nrequests = "*"\n',
                '[packages]\ngoogle-cloud-aiplatform = "*"\ngoogle-genai = ">=1.56.0"\nrequests = "*"\n'),
    "setup.py": (
        'from setuptools import setup\n\nsetup(\n    name="x",\n    install_requires=[\n'
        '        "google-cloud-aiplatform>=1.38",\n        "click",\n    ],\n)\n',
        'from setuptools import setup\n\nsetup(\n    name="x",\n    install_requires=[\n'
        f'        "google-cloud-aiplatform>=1.38",\n        "{NEW}",\n        "click",\n    ],\n)\n'),
    "setup.cfg": ("[options]\ninstall_requires =\n    click\n    google-cloud-aiplatform~=1.70\n",
                  "[options]\ninstall_requires =\n    click\n    google-cloud-aiplatform~=1.70\n"
                  f"    {NEW}\n"),
    "keyline/setup.cfg": ("[options]\ninstall_requires = google-cloud-aiplatform\n",
                          f"[options]\ninstall_requires = google-cloud-aiplatform\n    {NEW}\n"),
    "environment.yml": ("name: x\ndependencies:\n  - python=3.11\n  - pip:\n"
                        "    - google-cloud-aiplatform==1.70.0  # vertex\n    - click\n",
                        "name: x\ndependencies:\n  - python=3.11\n  - pip:\n"
                        f"    - google-cloud-aiplatform==1.70.0  # vertex\n    - {NEW}\n    - click\n"),
    "install.sh": ('#!/bin/sh\npip install -q "google-cloud-aiplatform>=1.38" --upgrade\n',
                   f"#!/bin/sh\npip install -q '{NEW}' \"google-cloud-aiplatform>=1.38\" --upgrade\n"),
    "vertex/requirements.txt": ("vertexai\n", f"vertexai\n{NEW}\n"),  # the package that pins aiplatform
}


def audit(folder: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli("audit", ".", "--today", TODAY, "--select", "GP102", *args, cwd=folder)


def _tree(root: Path, name: str, text: str, code: str = CODE) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    folder = path.parent.parent if path.parent.name == "requirements" else path.parent
    (folder / "app.py").write_text(code)  # the code the declaration serves
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_google_genai_is_added_beside_the_declaration_in_its_style(tmp_path: Path, name: str) -> None:
    before, after = CASES[name]
    path = _tree(tmp_path, name, before)
    done = audit(tmp_path, "--fix")
    assert path.read_text() == after, done.stdout + done.stderr
    assert "1 fixed, 1 remaining." in done.stdout  # the import stays for `migrate`
    again = audit(tmp_path, "--fix")  # idempotent: google-genai is declared now
    assert path.read_text() == after and "0 fixed, 1 remaining." in again.stdout


def test_crlf_and_encoding_are_kept(tmp_path: Path) -> None:
    path = _tree(tmp_path, "requirements.txt", "")
    path.write_bytes("\ufeff# é\r\ngoogle-cloud-aiplatform\r\n".encode())
    audit(tmp_path, "--fix")
    assert path.read_bytes() == f"\ufeff# é\r\ngoogle-cloud-aiplatform\r\n{NEW}\r\n".encode()


def test_the_finding_names_the_legacy_use_and_what_to_do_with_the_declaration(tmp_path: Path) -> None:
    _tree(tmp_path, "requirements.txt", "google-cloud-aiplatform\n")
    only = audit(tmp_path).stdout
    assert ("requirements.txt:1:1: GP102 error requirements installs google-cloud-aiplatform for the "
            "legacy Vertex AI generative modules (app.py:1: vertexai.generative_models, removed on "
            "2026-06-24) but not google-genai") in only
    assert "then remove google-cloud-aiplatform once migrated" in only
    (tmp_path / "jobs.py").write_text("import vertexai\nfrom google.cloud import aiplatform\n")
    both = audit(tmp_path).stdout
    assert "then keep google-cloud-aiplatform for jobs.py:2: google.cloud.aiplatform" in both
    assert f"fixable with --fix: add {NEW} beside google-cloud-aiplatform, which stays" in both


def test_diff_shows_the_addition_and_writes_nothing(tmp_path: Path) -> None:
    path = _tree(tmp_path, "requirements.txt", "google-cloud-aiplatform==1.70.0\n")
    done = audit(tmp_path, "--diff")
    assert done.returncode == 1
    assert done.stdout == ("--- a/requirements.txt\n+++ b/requirements.txt\n@@ -1 +1,2 @@\n"
                           f" google-cloud-aiplatform==1.70.0\n+{NEW}\n")
    assert path.read_text() == "google-cloud-aiplatform==1.70.0\n"


def _notebook(*cells: list[str]) -> dict[str, Any]:
    return {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                       "source": source} for source in cells],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_a_notebook_pip_line_gets_the_package_on_the_same_line(tmp_path: Path) -> None:
    notebook = _notebook(['%pip install --upgrade --quiet "google-cloud-aiplatform>=1.38"\n'],
                         ["from vertexai.preview.generative_models import GenerativeModel"])
    path = tmp_path / "demo.ipynb"
    path.write_text(json.dumps(notebook, indent=1) + "\n")
    done = audit(tmp_path, "--fix")
    assert "1 fixed, 1 remaining." in done.stdout, done.stdout + done.stderr
    fixed = json.loads(path.read_text())
    assert fixed["cells"][0]["source"] == [
        f"%pip install --upgrade --quiet '{NEW}' \"google-cloud-aiplatform>=1.38\"\n"]
    assert fixed["cells"][1] == notebook["cells"][1]


def test_already_declared_and_look_alikes_stay_silent(tmp_path: Path) -> None:
    texts = {
        "declared/requirements.txt": "google-cloud-aiplatform\ngoogle-genai>=1.60\n",
        "lookalike/requirements.txt": "google-cloud-aiplatform-extras==1.0\nmy-vertexai==2\n",
        "other/requirements.txt": "google-cloud-aiplatform\n",  # its code uses no generative module
        "hashed/requirements.txt": "google-cloud-aiplatform==1.70.0 --hash=sha256:00\n",
    }
    for name, text in texts.items():
        _tree(tmp_path, name, text)
    (tmp_path / "other" / "app.py").write_text(
        "import vertexai\nfrom google.cloud import aiplatform\nfrom vertexai import agent_engines\n")
    notebook = _notebook(["!pip install google-cloud-aiplatform\n"], ["print('endpoints only')"])
    (tmp_path / "nb.ipynb").write_text(json.dumps(notebook))  # the notebook imports nothing legacy
    done = audit(tmp_path, "--fix")
    for name, text in texts.items():
        assert (tmp_path / name).read_text() == text
    lines = [line for line in done.stdout.splitlines() if " GP102 " in line]
    assert [line.split(":")[0] for line in lines if "installs" in line] == ["hashed/requirements.txt"]
    assert "hashed/requirements.txt:1:1: GP102 fix not applied" in done.stderr
    assert json.loads((tmp_path / "nb.ipynb").read_text()) == notebook
