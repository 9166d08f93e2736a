"""Quality gates: mypy --strict over the package, the rule pack and the tests; ruff over all."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_mypy_strict() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "preflight", "rules", "tests"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff() -> None:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "preflight", "rules", "tests",
                           "benchmarks"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
