"""A pre-commit run imports only what it needs (the timing itself is benchmarks/check_startup.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _imported(*args: str, cwd: Path) -> set[str]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "preflight", *args],
                          cwd=cwd, capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return {line.split("|")[-1].strip() for line in done.stderr.splitlines()
            if line.startswith("import time:")}


def test_audit_of_one_python_file_imports_no_pydantic_report_or_pool(tmp_path: Path) -> None:
    source = tmp_path / "app.py"
    source.write_text('import google.generativeai as genai\nm = genai.GenerativeModel("gemini-1.5-flash")\n')
    modules = _imported("audit", str(source), "--today", "2026-11-24", cwd=tmp_path)
    assert "preflight.scan.python" in modules  # the file was scanned
    unwanted = {m for m in modules if m.split(".")[0] in ("pydantic", "concurrent", "multiprocessing")
                or m in ("preflight.manifest", "preflight.report.sarif", "preflight.report.json",
                         "preflight.report.junit", "preflight.report.github")}
    assert not unwanted, sorted(unwanted)
