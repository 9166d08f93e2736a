"""The command line as users run it: exit codes 0/1/2 and one clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_cli

TODAY = "--today=2026-11-24"


def test_production_sample_is_clean() -> None:
    done = run_cli("check", str(SAMPLES / "production.yaml"), TODAY)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No problems found in 2 files." in done.stdout  # the manifest and app/assistant.py


def test_failing_sample_exits_1_with_file_line_col_rule() -> None:
    done = run_cli("check", "sample-configs/failing/GP302.yaml", TODAY, "--select", "GP302")
    assert done.returncode == 1
    assert "sample-configs/failing/GP302.yaml:12:3: GP302 error " in done.stdout
    assert "\x1b[" not in done.stdout  # no colour in a pipe


def test_fail_on_never_and_error() -> None:
    args = ("check", "sample-configs/failing/GP302.yaml", TODAY, "--select", "GP302")
    assert run_cli(*args, "--fail-on", "never").returncode == 0
    assert run_cli(*args, "--fail-on", "error").returncode == 1


def test_json_output_is_stable_and_parseable(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    args = ("check", "sample-configs/failing/GP302.yaml", TODAY, "--format", "json")
    first = run_cli(*args, "-o", str(out))
    assert first.returncode == 1 and first.stdout == ""
    data = json.loads(out.read_text())
    assert data["schema_version"] == 1
    assert {"rule_id", "severity", "path", "line", "column", "fingerprint"} <= set(data["findings"][0])
    assert run_cli(*args).stdout == out.read_text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("version: 1\napp: x\napp: y\n", "duplicate key 'app'"),
        ("version: 1\napp: [\n", "invalid YAML"),
        ("version: 1\napp: x\nmodles: {}\n", "did you mean 'models'?"),
        ("version: 1\napp: x\nmodels:\n  a:\n    id: g\n    max_output_tokens: big\n",
         "valid integer"),
        ("", "is empty"),
    ],
)
def test_bad_manifest_is_exit_2_without_traceback(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "gemini-deploy.yaml"
    path.write_text(content)
    done = run_cli("check", str(path))
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_yaml_bomb_and_binary_are_exit_2(tmp_path: Path) -> None:
    from tests.test_loader import BOMB

    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\x00\x01\x02")
    for path, message in ((bomb, "alias bomb"), (binary, "binary file")):
        done = run_cli("check", str(path))
        assert done.returncode == 2 and message in done.stderr
        assert "Traceback" not in done.stderr


def test_missing_file_and_folder_without_manifest(tmp_path: Path) -> None:
    done = run_cli("check", str(tmp_path / "missing.yaml"))
    assert done.returncode == 2 and "no such file or folder" in done.stderr
    done = run_cli("check", str(tmp_path))
    assert done.returncode == 2 and "no manifest in" in done.stderr
    assert "gemini-deploy.yaml" in done.stderr


def test_folder_discovery(tmp_path: Path) -> None:
    (tmp_path / ".gemini").mkdir()
    (tmp_path / ".gemini" / "deploy.yaml").write_text("version: 1\napp: x\n")
    done = run_cli("check", ".", TODAY, "--select", "GP302", cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_bad_options_are_exit_2() -> None:
    assert run_cli("check", "--format", "xml").returncode == 2
    done = run_cli("check", "sample-configs/production.yaml", "--select", "GP999")
    assert done.returncode == 2 and "no rule matches GP999" in done.stderr
    done = run_cli("check", "sample-configs/production.yaml", "--today", "tomorrow")
    assert done.returncode == 2 and "not a date" in done.stderr


def test_rules_explain_schema() -> None:
    listing = run_cli("rules")
    assert listing.returncode == 0 and "GP302  preview-without-migration-plan" in listing.stdout
    rules = json.loads(run_cli("rules", "--format", "json").stdout)
    assert any(r["id"] == "GP302" for r in rules)
    explained = run_cli("explain", "gp302")
    assert explained.returncode == 0
    assert "## " not in explained.stdout and "Why is this bad?" in explained.stdout
    unknown = run_cli("explain", "GP3O2")
    assert unknown.returncode == 2 and "did you mean GP302?" in unknown.stderr
    schema = json.loads(run_cli("schema").stdout)
    assert "models" in schema["properties"]


def test_version_and_help() -> None:
    assert run_cli("--version").stdout.startswith("gemini-preflight, version ")
    assert run_cli("--help").returncode == 0
