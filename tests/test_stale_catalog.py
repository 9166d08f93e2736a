"""An old model catalog is noted once on standard error, and nowhere else.

Each run below is made twice with the same date: once as it is (the catalog is old on
that date, so the note is printed) and once with the age limit raised out of reach (no
note). Everything but standard error must be the same: the report, the exit code and
any file written with ``-o``.
"""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from preflight import catalog_report
from preflight.catalog import load_catalog
from tests.conftest import SAMPLES, run_cli, run_script
from tests.fakes.server import refused_url

AS_OF = load_catalog().as_of or date.min
LATE = (AS_OF + timedelta(days=catalog_report.STALE_AFTER_DAYS + 10)).isoformat()
NOTE = "model catalog is from"


def twice(monkeypatch: pytest.MonkeyPatch, *args: str, env: dict[str, str] | None = None,
          output: Path | None = None) -> tuple[subprocess.CompletedProcess[str], ...]:
    """The run with the note, then without it; with ``output``, the file's text replaces stdout."""
    runs = []
    for limit in (catalog_report.STALE_AFTER_DAYS, 10**6):
        monkeypatch.setattr(catalog_report, "STALE_AFTER_DAYS", limit)
        done = run_cli(*args, env=env)
        if output is not None:
            done.stdout = output.read_text(encoding="utf-8")
        runs.append(done)
    monkeypatch.undo()
    return tuple(runs)


def assert_noted_once(noted: subprocess.CompletedProcess[str],
                      quiet: subprocess.CompletedProcess[str]) -> None:
    assert noted.stderr.count(NOTE) == 1, noted.stderr
    line = next(line for line in noted.stderr.splitlines() if NOTE in line)
    days = (date.fromisoformat(LATE) - AS_OF).days
    assert line == (f"gemini-preflight: note: the model catalog is from {AS_OF.isoformat()}, {days} "
                    f"days before {LATE}: model facts may have changed; update gemini-preflight "
                    "(pip install -U gemini-preflight)")
    assert NOTE not in quiet.stderr
    assert NOTE not in noted.stdout
    assert noted.stdout == quiet.stdout
    assert noted.returncode == quiet.returncode
    assert noted.stderr.replace(line + "\n", "") == quiet.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
@pytest.mark.parametrize("sample", ["production.yaml", "failing/GP308.yaml"])
def test_check_notes_once_and_reports_stay_identical(monkeypatch: pytest.MonkeyPatch, fmt: str,
                                                     sample: str) -> None:
    fail_on = "never" if sample == "production.yaml" else "warning"
    noted, quiet = twice(monkeypatch, "check", str(SAMPLES / sample), "--today", LATE,
                         "--format", fmt, "--fail-on", fail_on)
    assert_noted_once(noted, quiet)
    assert noted.returncode == (0 if fail_on == "never" else 1), noted.stdout


def test_output_file_and_several_manifests(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    report = tmp_path / "report.sarif"
    noted, quiet = twice(monkeypatch, "check", str(SAMPLES / "failing/GP302.yaml"),
                         str(SAMPLES / "failing/GP307.yaml"), "--today", LATE, "--format", "sarif",
                         "-o", str(report), output=report)
    assert_noted_once(noted, quiet)
    assert noted.returncode == 1


def test_check_with_fix_notes_once(tmp_path: Path) -> None:
    manifest = tmp_path / "gemini-deploy.yaml"
    text = ("version: 1\napp: a\nmodels:\n  chat:\n    id: gemini-3.1-flash-lite-preview\n"
            "    id_env: CHAT_MODEL\n")
    manifest.write_text(text, encoding="utf-8")
    noted = run_cli("check", str(manifest), "--today", LATE, "--fix")
    assert noted.stderr.count(NOTE) == 1, noted.stderr
    assert "flash-lite-preview" not in manifest.read_text(encoding="utf-8")  # the fix ran


def test_audit_notes_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import google.generativeai as genai\n", encoding="utf-8")
    for fmt in ("text", "json"):
        noted, quiet = twice(monkeypatch, "audit", str(tmp_path), "--today", LATE, "--format", fmt)
        assert_noted_once(noted, quiet)
        assert noted.returncode == 1


def test_probe_notes_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    manifest = tmp_path / "gemini-deploy.yaml"
    manifest.write_text("version: 1\napp: a\nenvironments:\n  dev:\n    route: developer-api\n"
                        "    auth: {method: api-key}\nmodels:\n  chat: {id: gemini-3.5-flash}\n",
                        encoding="utf-8")
    env = {"HOME": str(tmp_path), "NO_GCE_CHECK": "true", "GOOGLE_API_KEY": "", "GEMINI_API_KEY": "",
           "GEMINI_PREFLIGHT_TEST_ENDPOINTS": f"*={refused_url()}"}  # no key: no call is made
    noted, quiet = twice(monkeypatch, "probe", str(manifest), "--today", LATE, "--format", "json",
                         env=env)
    assert_noted_once(noted, quiet)
    assert noted.returncode == 1 and "GP901" in noted.stdout


def test_catalog_command_notes_once(monkeypatch: pytest.MonkeyPatch) -> None:
    for fmt in ("text", "json"):
        noted, quiet = twice(monkeypatch, "catalog", "--today", LATE, "--format", fmt)
        assert_noted_once(noted, quiet)
        assert noted.returncode == 0


def test_a_recent_catalog_is_not_noted() -> None:
    close = (AS_OF + timedelta(days=catalog_report.STALE_AFTER_DAYS)).isoformat()
    for args in (("check", str(SAMPLES / "production.yaml")), ("catalog",)):
        never = ("--fail-on", "never") if args[0] == "check" else ()
        done = run_cli(*args, "--today", close, *never)
        assert NOTE not in done.stderr and done.returncode == 0, done.stderr


def test_the_limit_is_exclusive() -> None:
    catalog = load_catalog()
    limit = catalog_report.STALE_AFTER_DAYS
    assert catalog_report.stale_note(catalog, AS_OF + timedelta(days=limit)) is None
    assert catalog_report.stale_note(catalog, AS_OF - timedelta(days=400)) is None
    note = catalog_report.stale_note(catalog, AS_OF + timedelta(days=limit + 1))
    assert note is not None and f"{limit + 1} days before" in note


def test_a_real_process_notes_once_and_keeps_its_exit_code() -> None:
    done = run_script("check", str(SAMPLES / "failing/GP308.yaml"), "--today", LATE,
                      "--format", "json")
    assert done.returncode == 1 and done.stderr.count(NOTE) == 1
    assert done.stdout.lstrip().startswith("{")


def test_init_notes_once_by_the_real_date(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("from google import genai\n", encoding="utf-8")
    out = tmp_path / "gemini-deploy.yaml"
    monkeypatch.setattr(catalog_report, "STALE_AFTER_DAYS", -10**6)  # any catalog is old today
    noted = run_cli("init", str(tmp_path))
    assert noted.returncode == 0 and noted.stderr.count(NOTE) == 1, noted.stderr
    written = out.read_text(encoding="utf-8")
    assert NOTE not in written
    monkeypatch.setattr(catalog_report, "STALE_AFTER_DAYS", 10**6)
    quiet = run_cli("init", str(tmp_path), "--force")
    assert NOTE not in quiet.stderr and out.read_text(encoding="utf-8") == written
