"""``--fix`` / ``--diff``: the safe fixes, one pass per file, idempotent, atomic, lossless."""

from __future__ import annotations

import codecs
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from preflight import fixer, textfile
from preflight.edits import Edit, Fix, replace_literal
from preflight.findings import Finding, Location, Severity
from tests.conftest import run_cli

TODAY = "2026-11-24"
MIN = "1.56.0"  # the catalog's google-genai minimum

CASES = {
    "requirements.txt": ("numpy==1.0\ngoogle-generativeai==0.8.3 ; python_version>'3.8'  # legacy\n",
                         f"numpy==1.0\ngoogle-genai>={MIN} ; python_version>'3.8'  # legacy\n"),
    "pyproject.toml": (
        '[project]\nname = "x"\ndependencies = ["google-generativeai>=0.8", "click"]\n\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\n'
        'google-generativeai = { version = "^0.8.3", optional = true }\n',
        f'[project]\nname = "x"\ndependencies = ["google-genai>={MIN}", "click"]\n\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\n'
        f'google-genai = {{ version = ">={MIN}", optional = true }}\n'),
    "Pipfile": ('[packages]\nGoogle_GenerativeAI = "*"\nrequests = "*"\n',
                f'[packages]\ngoogle-genai = ">={MIN}"\nrequests = "*"\n'),
    "setup.py": ('from setuptools import setup\n'
                 'setup(name="x", install_requires=["google-generativeai>=0.7", "click"])\n',
                 'from setuptools import setup\n'
                 f'setup(name="x", install_requires=["google-genai>={MIN}", "click"])\n'),
    "setup.cfg": ("[options]\ninstall_requires =\n    click\n    google-generativeai~=0.8\n",
                  f"[options]\ninstall_requires =\n    click\n    google-genai>={MIN}\n"),
    "environment.yml": ("name: x\ndependencies:\n  - python=3.11\n  - pip:\n"
                        "    - google-generativeai==0.8.3\n",
                        f"name: x\ndependencies:\n  - python=3.11\n  - pip:\n    - google-genai>={MIN}\n"),
    "package.json": ('{\n  "dependencies": {\n    "@google/generative-ai": "^0.21.0",\n'
                     '    "left-pad": "1.0.0"\n  }\n}\n',
                     '{\n  "dependencies": {\n    "@google/genai": "^1.0.0",\n'
                     '    "left-pad": "1.0.0"\n  }\n}\n'),
    "install.sh": ("#!/bin/sh\npip install -q google-generativeai==0.8.3 requests\n"
                   "pip install \"google-generativeai\"\n",
                   f"#!/bin/sh\npip install -q 'google-genai>={MIN}' requests\n"
                   f"pip install \"google-genai>={MIN}\"\n"),
}


def audit(folder: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli("audit", ".", "--today", TODAY, "--select", "GP101,GP102,GP306", *args, cwd=folder)


@pytest.mark.parametrize("name", sorted(CASES))
def test_dependency_declarations_are_renamed_with_the_catalog_minimum(tmp_path: Path, name: str) -> None:
    before, after = CASES[name]
    (tmp_path / name).write_text(before)
    done = audit(tmp_path, "--fix")
    assert (tmp_path / name).read_text() == after, done.stdout + done.stderr
    assert done.returncode == 0, done.stdout
    assert done.stdout.rstrip().endswith("fixed, 0 remaining.")
    again = audit(tmp_path, "--fix")  # idempotent: nothing left to change
    assert (tmp_path / name).read_text() == after
    assert "0 fixed, 0 remaining." in again.stdout


def test_diff_shows_everything_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    for name, (before, _) in CASES.items():
        (tmp_path / name).write_text(before)
    done = audit(tmp_path, "--diff")
    assert done.returncode == 1
    for name, (before, _) in CASES.items():
        assert (tmp_path / name).read_text() == before
        assert f"--- a/{name}\n+++ b/{name}\n" in done.stdout
    assert "+google-genai>=1.56.0 ; python_version>'3.8'  # legacy" in done.stdout
    assert "Would fix 10, 0 remaining." in done.stderr
    (tmp_path / "requirements.txt").write_text("google-genai>=1.56.0\n")
    for name in CASES:
        if name != "requirements.txt":
            (tmp_path / name).unlink()
    clean = audit(tmp_path, "--diff")
    assert clean.returncode == 0 and clean.stdout == ""


def test_a_file_that_already_declares_the_replacement_is_left_alone(tmp_path: Path) -> None:
    text = "google-genai>=1.60\ngoogle-generativeai\n"
    (tmp_path / "requirements.txt").write_text(text)
    (tmp_path / "package.json").write_text(
        '{"dependencies": {"@google/generative-ai": "1", "@google-cloud/vertexai": "1"}}\n')
    done = audit(tmp_path, "--fix")
    assert (tmp_path / "requirements.txt").read_text() == text
    assert json.loads((tmp_path / "package.json").read_text())["dependencies"] == {
        "@google/genai": "^1.0.0", "@google-cloud/vertexai": "1"}  # never a duplicate key
    assert "1 fixed, 2 remaining." in done.stdout


@pytest.mark.parametrize(("bom", "codec"), [(codecs.BOM_UTF8, "utf-8"),
                                            (codecs.BOM_UTF16_LE, "utf-16-le"),
                                            (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_encoding_bom_and_crlf_survive(tmp_path: Path, bom: bytes, codec: str) -> None:
    before = "# é\r\ngoogle-generativeai==0.8.3\r\nrequests\r\n"
    target = tmp_path / "requirements.txt"
    target.write_bytes(bom + before.encode(codec))
    target.chmod(0o640)
    audit(tmp_path, "--fix")
    raw = target.read_bytes()
    assert raw.startswith(bom)
    assert raw[len(bom):].decode(codec) == f"# é\r\ngoogle-genai>={MIN}\r\nrequests\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["requirements.txt"]  # no temporary left


def test_notebook_stays_valid_with_outputs_untouched(tmp_path: Path) -> None:
    output = {"name": "stdout", "output_type": "stream", "text": ["gemini-3.1-flash-lite-preview\n"]}
    notebook: dict[str, Any] = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["%pip install google-generativeai"]},
            {"cell_type": "code", "execution_count": 1, "metadata": {"id": "a"}, "outputs": [output],
             "source": ["%pip install -q google-generativeai\n",
                        'MODEL_ID = "gemini-3.1-flash-lite-preview"  # @param']},
        ],
        "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5,
    }
    path = tmp_path / "demo.ipynb"
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
    done = audit(tmp_path, "--fix")
    assert "2 fixed, 0 remaining." in done.stdout, done.stdout + done.stderr
    fixed = json.loads(path.read_text())
    assert fixed["cells"][1]["source"] == [f"%pip install -q 'google-genai>={MIN}'\n",
                                           'MODEL_ID = "gemini-3.1-flash-lite"  # @param']
    assert fixed["cells"][1]["outputs"] == [output]
    assert fixed["cells"][0] == notebook["cells"][0]  # markdown is prose
    assert {k: v for k, v in fixed.items() if k != "cells"} == {
        k: v for k, v in notebook.items() if k != "cells"}


def test_retired_model_in_code_configuration_only(tmp_path: Path) -> None:
    code = ('import os\nMODEL = "gemini-3.1-flash-lite-preview"\n'
            'CHAT = os.environ.get("CHAT_MODEL", "models/gemini-3.1-flash-lite-preview")\n'
            'client.models.generate_content(model="gemini-3.1-flash-lite-preview", contents="hi")\n'
            'OLD = "gemini-1.5-flash"\n')
    (tmp_path / "app.py").write_text(code)
    done = audit(tmp_path, "--fix")
    assert (tmp_path / "app.py").read_text() == (
        'import os\nMODEL = "gemini-3.1-flash-lite"\n'
        'CHAT = os.environ.get("CHAT_MODEL", "models/gemini-3.1-flash-lite")\n'
        'client.models.generate_content(model="gemini-3.1-flash-lite-preview", contents="hi")\n'
        'OLD = "gemini-1.5-flash"\n')  # a call is not configuration; no catalog replacement
    assert "2 fixed, 2 remaining." in done.stdout


MANIFEST = """version: 1
app: demo
sdk:
  package: google-generativeai   # legacy
  version: "0.8.6"
models:
  chat:
    id: gemini-3.1-flash-lite-preview
    id_env: CHAT_MODEL
"""


def test_check_fixes_the_manifest(tmp_path: Path) -> None:
    path = tmp_path / "gemini-deploy.yaml"
    path.write_text(MANIFEST.replace("\n", "\r\n"))
    done = run_cli("check", "--today", TODAY, "--select", "GP101,GP306", "--fix", cwd=tmp_path)
    assert path.read_bytes().decode() == MANIFEST.replace("\n", "\r\n").replace(
        "google-generativeai", "google-genai").replace('"0.8.6"', f'">={MIN}"').replace(
        "id: gemini-3.1-flash-lite-preview", "id: gemini-3.1-flash-lite")
    assert "2 fixed, 0 remaining." in done.stdout and done.returncode == 0


def test_lock_files_are_never_edited_and_a_relock_is_asked(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\ndependencies = ["google-generativeai"]\n')
    (tmp_path / "uv.lock").write_text('[[package]]\nname = "google-generativeai"\n')
    done = audit(tmp_path, "--fix")
    assert (tmp_path / "uv.lock").read_text() == '[[package]]\nname = "google-generativeai"\n'
    assert "uv.lock was not edited: re-lock (uv lock)" in done.stderr


def _finding(path: Path, fix: Fix) -> Finding:
    return Finding("GP999", "demo", Severity.ERROR, "m", Location(path.as_posix(), 1, 1), autofix=fix)


def test_a_file_changed_during_the_run_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("old\n")
    started = path.stat().st_mtime_ns - 1  # the file changed after the run started
    report = fixer.apply_fixes([_finding(path, replace_literal(1, 1, "old", "new"))], started_ns=started)
    assert path.read_text() == "old\n" and report.changes == []
    assert "changed on disk during the run" in report.notes[0]
    with pytest.raises(textfile.TextFileError, match="changed on disk"):
        textfile.write_atomic(path, b"new\n", expect=b"something else\n")
    assert path.read_text() == "old\n"


def test_stale_positions_and_overlaps_never_touch_the_wrong_text(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("alpha beta\n")
    stale = replace_literal(1, 1, "gamma", "delta")
    first = replace_literal(1, 1, "alpha", "one")
    overlapping = Fix("x", (Edit(1, 1, ((r"alpha beta", "two"),)),))
    report = fixer.apply_fixes([_finding(path, stale), _finding(path, first),
                                _finding(path, overlapping)])
    assert path.read_text() == "one beta\n"
    assert report.fixed == 1 and any("not applied" in n for n in report.notes)


def test_a_fix_that_would_break_the_syntax_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text("x = 1\n")
    broken = Fix("x", (Edit(1, 1, ((r"=", "=("),)),))
    report = fixer.apply_fixes([_finding(path, broken)])
    assert path.read_text() == "x = 1\n" and "would not parse" in report.notes[0]


def test_writes_go_through_a_symbolic_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("a\n")
    link = tmp_path / "link.txt"
    os.symlink(real, link)
    textfile.write_atomic(link, b"b\n")
    assert link.is_symlink() and real.read_text() == "b\n"


def test_rules_and_explain_show_fixability() -> None:
    listing = json.loads(run_cli("rules", "--format", "json").stdout)
    by_id = {r["id"]: r["fix"] for r in listing}
    assert by_id["GP101"] == {"availability": "sometimes", "safe": True}
    assert by_id["GP201"] is None
    assert "Fix: sometimes (safe)" in run_cli("explain", "GP306").stdout


UNSAFE_MANIFEST = """version: 1
app: demo
models:
  architect:
    id: gemini-3.1-pro-preview
    task: text
    max_output_tokens: 8192
  chat:
    id: gemini-3.5-pro  # a typo
    id_env: CHAT_MODEL
"""


def test_unsafe_fixes_need_unsafe_fixes(tmp_path: Path) -> None:
    (tmp_path / "gemini-deploy.yaml").write_text(UNSAFE_MANIFEST)
    (tmp_path / "app.py").write_text(
        "from google import genai\nfrom google.genai import types\n\n"
        "client = genai.Client(http_options=types.HttpOptions(timeout=30))\n"
        "slow = genai.Client(http_options=types.HttpOptions(timeout=120_000))\n"
        'MODEL = "gemini-3.5-pro"\n')
    args = ("audit", ".", "--today", TODAY, "--select", "GP301,GP302,GP505")
    safe = run_cli(*args, "--fix", cwd=tmp_path)
    assert "0 fixed" in safe.stdout and (tmp_path / "gemini-deploy.yaml").read_text() == UNSAFE_MANIFEST
    assert "fixable with --fix --unsafe-fixes" in safe.stdout
    done = run_cli(*args, "--fix", "--unsafe-fixes", cwd=tmp_path)
    assert "4 fixed" in done.stdout, done.stdout + done.stderr
    assert (tmp_path / "app.py").read_text().splitlines()[3:] == [
        "client = genai.Client(http_options=types.HttpOptions(timeout=30 * 1000))",
        "slow = genai.Client(http_options=types.HttpOptions(timeout=120_000))",  # already ms
        'MODEL = "gemini-3.1-pro-preview"']
    assert (tmp_path / "gemini-deploy.yaml").read_text() == UNSAFE_MANIFEST.replace(
        "    max_output_tokens: 8192\n",
        "    max_output_tokens: 8192\n    migration_plan:\n      fallback: gemini-3.8-flash\n"
        "      review_by: 2027-02-22\n").replace("id: gemini-3.5-pro  # a typo",
                                             "id: gemini-3.1-pro-preview  # a typo")
    from preflight.catalog import load_catalog

    fallback = load_catalog().get("gemini-3.8-flash")
    assert fallback is not None and fallback.stage == "ga"


def test_no_skeleton_for_a_flow_style_slot(tmp_path: Path) -> None:
    text = "version: 1\napp: demo\nmodels:\n  architect: {id: gemini-3.1-pro-preview}\n"
    (tmp_path / "gemini-deploy.yaml").write_text(text)
    done = run_cli("check", "--today", TODAY, "--select", "GP302", "--fix", "--unsafe-fixes",
                   cwd=tmp_path)
    assert (tmp_path / "gemini-deploy.yaml").read_text() == text
    assert "0 fixed, 1 remaining." in done.stdout


def test_the_npm_minimum_is_catalog_data(tmp_path: Path) -> None:
    import yaml

    from preflight import depfix
    from preflight.catalog import load_catalog
    from preflight.datafiles import data_path
    from preflight.scan.facts import Dependency, SourceFile

    packaged = load_catalog()
    assert packaged.sdk_minimum("@google/genai") == "1.0.0"
    assert packaged.sdk["@google/genai"]["source"] and packaged.sdk["@google/genai"]["as_of"]
    dep = Dependency("@google/generative-ai", "^0.21.0", 1, 2, origin="package.json", ecosystem="npm")
    file = SourceFile("package.json", "package.json", dependencies=[dep])
    data = yaml.safe_load(data_path("catalog.yaml").read_text(encoding="utf-8"))
    data["sdk"]["@google/genai"]["minimum"] = "2.5.0"  # an update touches data, not code
    (tmp_path / "catalog.yaml").write_text(yaml.safe_dump(data))
    fix = depfix.npm_fix(dep, file, load_catalog(tmp_path / "catalog.yaml"))
    assert fix is not None and fix.edits[0].choices[0][1].endswith('"^2.5.0"')
    del data["sdk"]["@google/genai"]["minimum"]
    (tmp_path / "catalog.yaml").write_text(yaml.safe_dump(data))
    assert depfix.npm_fix(dep, file, load_catalog(tmp_path / "catalog.yaml")) is None
