"""``gemini-preflight migrate``: legacy SDK code rewritten to google-genai, proved by mypy."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from preflight import api
from preflight.migrate import MISSING, MigrateError, migrate_paths
from preflight.migrate.codemod import migrate_code
from preflight.migrate.finish import MARK
from tests.conftest import ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "migrate"
LEGACY = sorted((FIXTURES / "legacy").glob("*.py"))
BY_HAND = sorted((FIXTURES / "by_hand").glob("*.py"))


@pytest.mark.parametrize("path", LEGACY, ids=lambda p: p.stem)
def test_each_fixture_migrates_to_its_reviewed_result(path: Path) -> None:
    done = migrate_code(path.read_text())
    assert done.by_hand == []
    assert done.code == (FIXTURES / "migrated" / path.name).read_text()
    assert done.rewritten >= 2


@pytest.mark.parametrize("path", LEGACY + BY_HAND, ids=lambda p: p.stem)
def test_migration_is_idempotent(path: Path) -> None:
    once = migrate_code(path.read_text())
    twice = migrate_code(once.code)
    assert twice.code == once.code and twice.rewritten == 0


def test_every_call_and_keyword_written_exists_in_the_installed_google_genai(tmp_path: Path) -> None:
    """mypy over the migrated fixtures, against the real SDK (Optional narrowing aside).

    One mypy run (analysing google-genai is most of its time) checks the migrated fixtures
    and, beside them, a file with a keyword google-genai does not have: that file must be
    the only one with errors, which shows the check can fail.
    """
    pytest.importorskip("google.genai", reason="the test extra installs google-genai")
    folder = tmp_path / "migrated"
    shutil.copytree(FIXTURES / "migrated", folder)
    wrong = tmp_path / "wrong" / "wrong.py"
    wrong.parent.mkdir()
    wrong.write_text(
        "from google import genai\nclient = genai.Client()\n"
        "client.models.generate_content(model='m', contents='x', generation_config=None)\n")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
         "--disable-error-code=union-attr", "--disable-error-code=index",
         "--follow-imports=silent", str(folder), str(wrong)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert done.returncode == 1, done.stdout + done.stderr
    where = f"{wrong.relative_to(tmp_path)}:"  # mypy names files as given, relative to its cwd
    assert errors and all(line.startswith(where) for line in errors), done.stdout
    assert any('Unexpected keyword argument "generation_config"' in line for line in errors)
    assert f"(checked {len(LEGACY) + 1} source files)" in done.stdout, done.stdout


def test_migrated_fixtures_audit_clean_of_legacy_sdk_findings() -> None:
    before = api.audit([FIXTURES / "legacy"], api.Options(select=("GP101", "GP102")))
    assert {Path(f.location.path).name for f in before.findings} == {p.name for p in LEGACY}
    after = api.audit([FIXTURES / "migrated"], api.Options(select=("GP101", "GP102")))
    assert after.findings == []


def test_what_cannot_be_translated_is_left_alone_marked_and_reported() -> None:
    for path in BY_HAND:
        source = path.read_text()
        done = migrate_code(source)
        assert done.by_hand and done.rewritten == 0
        kept = [line for line in done.code.splitlines() if not line.strip().startswith(MARK)]
        assert kept == source.splitlines()  # untouched apart from the comments
        marks = [line for line in done.code.splitlines() if line.strip().startswith(MARK)]
        assert len(marks) == len(set(done.by_hand))
    history = migrate_code((FIXTURES / "by_hand" / "history.py").read_text())
    assert [reason for _, reason in history.by_hand] == [
        "start_chat(history=...): legacy history entries need types.Content",
        "stream= or a switch that is not a literal True/False"]


def test_cli_previews_and_writes_only_with_write(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "legacy", tmp_path / "src")
    shutil.copy(FIXTURES / "by_hand" / "history.py", tmp_path / "src" / "history.py")
    preview = run_cli("migrate", "src", cwd=tmp_path)
    assert preview.returncode == 1
    assert "--- a/src/chat.py\n+++ b/src/chat.py\n" in preview.stdout
    assert "src/history.py:5: migrate by hand: start_chat(history=...)" in preview.stderr
    for path in LEGACY:
        assert (tmp_path / "src" / path.name).read_text() == path.read_text()
    written = run_cli("migrate", "src", "--write", cwd=tmp_path)
    assert written.returncode == 1  # places left for a human
    assert (tmp_path / "src" / "chat.py").read_text() == (FIXTURES / "migrated" / "chat.py").read_text()
    again = run_cli("migrate", "src", "--write", cwd=tmp_path)
    assert "0 files changed (0 calls rewritten)" in again.stderr


def test_notebooks_are_migrated_cell_by_cell_outputs_untouched(tmp_path: Path) -> None:
    output = {"name": "stdout", "output_type": "stream", "text": ["Hello!\n"]}
    cells: list[dict[str, Any]] = [
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
         "source": ["%pip install -q google-generativeai\n", "import google.generativeai as genai\n",
                    "genai.configure(api_key=KEY)"]},
        {"cell_type": "markdown", "metadata": {}, "source": ["model = genai.GenerativeModel('x')"]},
        {"cell_type": "code", "execution_count": 2, "metadata": {"id": "m"}, "outputs": [],
         "source": ["model = genai.GenerativeModel('gemini-2.5-flash')"]},
        {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [output],
         "source": ["!echo hi\n", "print(model.generate_content('Hello').text)"]},
    ]
    notebook = {"cells": cells, "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4,
                "nbformat_minor": 5}
    path = tmp_path / "demo.ipynb"
    path.write_text(json.dumps(notebook, indent=1) + "\n")
    report = migrate_paths([tmp_path], write=True)
    assert [f.rewritten for f in report.files] == [3]
    new = json.loads(path.read_text())
    sources = ["".join(c["source"]) for c in new["cells"]]
    assert sources[0] == ("%pip install -q google-generativeai\nfrom google import genai\n"
                          "client = genai.Client(api_key=KEY)")
    assert sources[1] == "model = genai.GenerativeModel('x')"  # markdown is prose
    assert sources[2] == "model = 'gemini-2.5-flash'"
    assert sources[3] == "!echo hi\nprint(client.models.generate_content(model=model, contents='Hello').text)"
    assert [c["outputs"] for c in new["cells"] if "outputs" in c] == [[], [], [output]]
    assert [c["metadata"] for c in new["cells"]] == [c["metadata"] for c in cells]
    assert migrate_paths([tmp_path], write=True).files[0].changed is False


def test_code_is_parsed_never_run_and_a_file_that_does_not_parse_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "boom.py").write_text(
        "import google.generativeai as genai\nopen('ran', 'w').write('x')\n"
        "model = genai.GenerativeModel('gemini-2.5-flash')\n")
    (tmp_path / "broken.py").write_text("import google.generativeai as genai\ndef (:\n")
    report = migrate_paths([tmp_path], write=True)
    assert not (tmp_path / "ran").exists()
    broken = next(f for f in report.files if f.path.endswith("broken.py"))
    assert broken.error.startswith("does not parse") and not broken.changed
    assert (tmp_path / "broken.py").read_text() == "import google.generativeai as genai\ndef (:\n"


def test_without_libcst_the_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "libcst", None)
    with pytest.raises(MigrateError, match="pip install 'gemini-preflight\\[migrate\\]'"):
        migrate_paths([tmp_path])
    assert "libcst" in MISSING
