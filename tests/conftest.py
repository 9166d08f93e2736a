"""Shared test helpers: a fixed "today", and running the CLI as a user would.

:func:`run_cli` runs the command line in this process (``preflight.cli.main``,
the function the console script calls, with its exit codes and messages) in a
given folder and environment; :func:`run_script` runs the real ``python -m
preflight`` in a subprocess, for the few tests that need a process of its own
(start-up, signals, the installed script).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from preflight.findings import Finding

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample-configs"
TODAY = date(2026, 11, 24)  # time-dependent rules never read the real clock in tests


def run_script(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
               timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m preflight ARGS`` in a subprocess, from the source tree."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("GEMINI_PREFLIGHT")}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.pop("CI", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "preflight", *args],
        cwd=cwd or ROOT, env=full_env, capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the command line in this process, in ``cwd`` (default: the repository) with
    ``env`` added to a clean environment; the outcome as :func:`subprocess.run` gives it."""
    from click.testing import CliRunner

    from preflight import cli

    clean: dict[str, str | None] = {k: None for k in os.environ if k.startswith("GEMINI_PREFLIGHT")}
    clean.update({"CI": None, "NO_COLOR": None, **(env or {})})
    here, argv = os.getcwd(), sys.argv
    with CliRunner().isolation(env=clean) as (stdout, stderr, _):
        sys.argv = ["gemini-preflight", *args]
        os.chdir(cwd or ROOT)
        try:
            cli.main()
            code: int = 0
        except SystemExit as exc:
            if isinstance(exc.code, str):
                sys.stderr.write(exc.code + "\n")
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            os.chdir(here)
            sys.argv = argv
            sys.stdout.flush()
            sys.stderr.flush()
        out, err = stdout.getvalue().decode(), stderr.getvalue().decode()
    return subprocess.CompletedProcess(["gemini-preflight", *args], code, out, err)


def check_snippet(folder: Path, select: str | tuple[str, ...], text: str,
                  name: str = "gemini-deploy.yaml", today: date = TODAY,
                  options: Mapping[str, Mapping[str, Any]] | None = None) -> list[Finding]:
    """Write ``text`` to ``folder/name`` and run the selected rule(s) on it: a manifest with
    ``check``, any other file with ``audit``. The run must have no errors and no crashes."""
    from preflight import api

    path = folder / name
    path.write_text(text, encoding="utf-8")
    chosen = (select,) if isinstance(select, str) else select
    opts = api.Options(select=chosen, today=today, rule_options=options or {})
    manifest = name == "gemini-deploy.yaml"
    result = api.check([path], opts) if manifest else api.audit([folder], opts)
    assert not result.errors and not result.crashes, result.errors + result.crashes
    return result.findings


@pytest.fixture
def check_rule(tmp_path: Path) -> Callable[..., list[Finding]]:
    """One rule (or several) on one snippet: ``check_rule("GP502", text, name=..., options=...)``."""

    def run(select: str | tuple[str, ...], text: str, **kwargs: Any) -> list[Finding]:
        return check_snippet(tmp_path, select, text, **kwargs)

    return run


@pytest.fixture
def cli():  # type: ignore[no-untyped-def]
    return run_cli
