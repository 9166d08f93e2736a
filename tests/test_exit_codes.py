"""Exit codes are the contract of DESIGN.md section 5 in every mode and every format.

0: nothing at or above --fail-on; 1: findings at or above it; 2: the tool could not
do its job, with one clear message on standard error and no traceback.

The matrix runs the real entry point (``preflight.cli.main``) in this process, to keep
it fast; test_cli.py and the last test here run it as a subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from preflight.cli import cli, main
from preflight.report import formats
from tests.conftest import SAMPLES, TODAY, run_cli

COMMANDS = [c for c in ("check", "audit") if c in cli.commands]
FORMATS = formats()
DAY = ("--today", TODAY.isoformat())
IGNORE = "  # gemini-preflight: ignore[GP302]"


@pytest.fixture
def failing(tmp_path: Path) -> Path:
    """A folder whose manifest has GP302 findings on lines 12 and 20 (among others)."""
    shutil.copy(SAMPLES / "failing" / "GP302.yaml", tmp_path / "gemini-deploy.yaml")
    return tmp_path


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    shutil.copy(SAMPLES / "production.yaml", tmp_path / "gemini-deploy.yaml")
    shutil.copytree(SAMPLES / "app", tmp_path / "app")
    return tmp_path


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """``run(command, cwd, fmt, *args)`` -> (exit code, stdout, stderr), in this process."""
    for name in [k for k in os.environ if k.startswith("GEMINI_PREFLIGHT") or k == "CI"]:
        monkeypatch.delenv(name)

    def runner(command: str, cwd: Path, fmt: str, *args: str) -> tuple[int, str, str]:
        monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", ["gemini-preflight", command, ".", *DAY, "--format", fmt, *args])
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main()
        out, err = capsys.readouterr()
        code = exited.value.code
        assert isinstance(code, int)
        assert "Traceback" not in out + err
        if code != 2 and fmt in {"json", "sarif"}:
            json.loads(out)  # a machine format stays parseable
        if code != 2 and fmt == "junit":
            ET.fromstring(out)
        return code, out, err

    return runner


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
def test_clean_is_0(command: str, fmt: str, clean: Path, run: Run) -> None:
    code, _, err = run(command, clean, fmt)
    assert code == 0, err


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
def test_findings_are_1_and_never_is_0(command: str, fmt: str, failing: Path, run: Run) -> None:
    code, out, _ = run(command, failing, fmt, "--select", "GP302")
    assert code == 1 and "GP302" in out
    assert run(command, failing, fmt, "--select", "GP302", "--fail-on", "never")[0] == 0
    # GP302 is an error in production; --fail-on error still fails, info-only rules would not
    assert run(command, failing, fmt, "--select", "GP302", "--fail-on", "error")[0] == 1
    assert run(command, failing, fmt, "--select", "GP505", "--fail-on", "warning")[0] == 0


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
def test_baselined_findings_are_0_and_new_ones_1(command: str, fmt: str, failing: Path, run: Run) -> None:
    code, _, err = run(command, failing, fmt, "--write-baseline", "b.json")
    assert code == 0 and "wrote" in err
    assert run(command, failing, fmt, "--baseline", "b.json")[0] == 0
    manifest = failing / "gemini-deploy.yaml"
    manifest.write_text(manifest.read_text() + "  extra:\n    id: gemini-3.1-pro-preview\n")
    assert run(command, failing, fmt, "--baseline", "b.json")[0] == 1


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
def test_suppressed_findings_are_0_and_unused_suppression_1(command: str, fmt: str,
                                                            failing: Path, run: Run) -> None:
    manifest = failing / "gemini-deploy.yaml"
    lines = manifest.read_text().splitlines()
    for number in (12, 20):
        lines[number - 1] += IGNORE
    manifest.write_text("\n".join(lines) + "\n")
    assert run(command, failing, fmt, "--select", "GP302,GP001,GP002")[0] == 0
    manifest.write_text(manifest.read_text().replace("review_by: 2026-01-01", "review_by: 2027-01-01"))
    code, out, _ = run(command, failing, fmt, "--select", "GP302,GP001,GP002")
    assert code == 1 and "GP001" in out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
def test_tool_failures_are_2_with_one_message(command: str, fmt: str, failing: Path, run: Run) -> None:
    (failing / "gemini-deploy.yaml").write_text("version: 1\napp: x\nmodles: {}\n")
    code, _, err = run(command, failing, fmt)
    assert code == 2 and "did you mean 'models'?" in err
    (failing / "gemini-deploy.yaml").write_text("version: 1\napp: x\n")
    code, _, err = run(command, failing, fmt, "--baseline", "missing.json")
    assert code == 2 and err.count("gemini-preflight:") == 1 and "no such baseline file" in err
    (failing / ".gemini-preflight.yaml").write_text("fail_on: never\n")
    code, _, err = run(command, failing, fmt)
    assert code == 2 and "did you mean 'fail-on'?" in err
    (failing / ".gemini-preflight.yaml").unlink()
    code, _, err = run(command, failing, fmt, "--select", "GP999")
    assert code == 2 and "no rule matches GP999" in err


@pytest.mark.parametrize("command", COMMANDS)
def test_missing_input_is_2(command: str, tmp_path: Path) -> None:
    done = run_cli(command, "missing-thing", cwd=tmp_path)
    assert done.returncode == 2 and "no such file or folder" in done.stderr
    assert "Traceback" not in done.stderr
