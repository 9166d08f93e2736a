"""Manifest inputs that crashed the loader or a rule: each is an exit-2 error naming
file:line:column, and the other manifests of the same run are still checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run_cli

TODAY = "--today=2026-11-24"
HEAD = "version: 1\napp: demo\n"
GOOD = HEAD + "models:\n  chat:\n    id: gemini-3.1-pro-preview\n"  # GP302: a real finding
DEEP_FLOW = "x: " + "[" * 700 + "]" * 700 + "\n"
DEEP_BLOCK = "x:\n" + "".join(" " * i + "a:\n" for i in range(1, 600))

BAD = {
    "14 integer over 4,300 digits": "models:\n  chat:\n    id: gemini-3.5-flash\n"
                                    f"    max_output_tokens: {'9' * 5000}\n",
    "15 maybe for a bool": "environments:\n  p:\n    route: vertex\n"
                           "    quotas: {billing_alerts: maybe}\n",
    "15 yes-no keys": "environments:\n  on: {route: vertex}\n  no: {route: vertex}\n",
    "15 y for a route": "environments:\n  p: {route: y}\n",
    "16 impossible date": "app: 2026-02-30\n",
    "16 impossible date in a model": "models:\n  chat: {id: gemini-3.5-flash, retires: 2026-02-30}\n",
    "17 bad hex int": "models:\n  chat: {id: gemini-3.5-flash, max_output_tokens: !!int 0xZZ}\n",
    "17 bad timestamp": "app: !!timestamp nope\n",
    "17 bad timestamp month": "app: !!timestamp 2026-13-01\n",
    "17 bad float": "models:\n  chat: {id: gemini-3.5-flash, temperature: !!float abc}\n",
    "18 700 flow levels": DEEP_FLOW,
    "18 600 block levels": DEEP_BLOCK,
    "18 1000 flow levels": "x: " + "[" * 1000 + "]" * 1000 + "\n",
    "19 huge version pin": f"sdk: {{package: google-genai, version: '==1.{'9' * 5000}'}}\n",
}


@pytest.mark.parametrize("case", list(BAD))
def test_each_crashing_input_is_a_positioned_exit_2_and_the_others_are_checked(
        tmp_path: Path, case: str) -> None:
    bad = tmp_path / "bad" / "gemini-deploy.yaml"
    bad.parent.mkdir()
    bad.write_text(HEAD + BAD[case], encoding="utf-8")
    good = tmp_path / "good" / "gemini-deploy.yaml"
    good.parent.mkdir()
    good.write_text(GOOD, encoding="utf-8")
    done = run_cli("check", str(bad), str(good), TODAY, "--select", "GP302")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert re.search(r"bad/gemini-deploy\.yaml:\d+:\d+: ", done.stderr), done.stderr[:500]
    assert "good/gemini-deploy.yaml:4:3: GP302" in done.stdout  # the other manifest: checked
    assert "No problems found" not in done.stdout  # item 20


def test_a_failed_check_never_says_no_problems_found(tmp_path: Path) -> None:
    path = tmp_path / "gemini-deploy.yaml"
    path.write_text(HEAD + "models: [\n", encoding="utf-8")
    done = run_cli("check", str(path))
    assert done.returncode == 2
    assert "No problems found in 1 file" not in done.stdout
    assert "Not checked completely: 1 error" in done.stdout


def test_a_huge_pin_in_a_requirements_file_is_a_finding_in_audit(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(f"google-genai==1.{'9' * 5000}\n",
                                               encoding="utf-8")
    (tmp_path / "app.py").write_text("import google.generativeai\n", encoding="utf-8")
    done = run_cli("audit", ".", TODAY, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert "requirements.txt:1:1: GP103" in done.stdout and "not a readable PEP 440" in done.stdout
    assert "app.py:1:1: GP101" in done.stdout
    assert len(done.stdout) < 5000  # the 5,000-digit pin is not printed whole


@pytest.mark.parametrize("case", ["14 integer over 4,300 digits", "18 700 flow levels",
                                  "17 bad hex int", "19 huge version pin"])
def test_a_crashing_manifest_inside_an_audit_is_positioned_and_the_audit_goes_on(
        tmp_path: Path, case: str) -> None:
    (tmp_path / "gemini-deploy.yaml").write_text(HEAD + BAD[case], encoding="utf-8")
    (tmp_path / "app.py").write_text("import google.generativeai\n", encoding="utf-8")
    done = run_cli("audit", ".", TODAY, cwd=tmp_path)
    assert "app.py:1:1: GP101" in done.stdout
    assert re.search(r"gemini-deploy\.yaml:\d+:\d+: ", done.stderr), done.stderr[:500]
    assert "internal error" not in done.stderr and done.returncode == 2
