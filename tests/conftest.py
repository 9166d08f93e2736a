"""Shared test helpers: a fixed "today", and running the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample-configs"
TODAY = date(2026, 11, 24)  # time-dependent rules never read the real clock in tests


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m preflight ARGS`` as a user would, from the source tree."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("GEMINI_PREFLIGHT")}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.pop("CI", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "preflight", *args],
        cwd=cwd or ROOT, env=full_env, capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def cli():  # type: ignore[no-untyped-def]
    return run_cli
