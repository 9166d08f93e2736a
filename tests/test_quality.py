"""Quality gates: mypy --strict and ruff over the package and the rule pack."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import ROOT


def test_mypy_strict() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "preflight", "rules"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff() -> None:
    ruff = shutil.which("ruff") or "ruff"
    done = subprocess.run([ruff, "check", "preflight", "rules", "tests", "benchmarks"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
