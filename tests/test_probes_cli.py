"""`probe` and `check --live` as users run them: fresh processes, exit codes, every format,
no secrets, no traceback; and `check` without --live never imports a Google library."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from preflight.report import formats
from tests.conftest import ROOT
from tests.fakes.sandbox import CLEARED, sandbox_environ
from tests.fakes.server import FakeGoogle, refused_url

HOOK = "GEMINI_PREFLIGHT_TEST_ENDPOINTS"
MANIFEST = """\
version: 1
app: demo
environments:
  development:
    route: developer-api
    auth: {method: api-key}
  production:
    route: vertex
    project: acme-genai-prod
    location: us-central1
    auth: {method: adc}
models:
  chat: {id: gemini-3.5-flash}
"""


def run(*args: str, env: dict[str, str], cwd: Path,
        code: str | None = None) -> subprocess.CompletedProcess[str]:
    """A fresh process with none of this machine's Google settings, only ``env``."""
    clean = {k: v for k, v in os.environ.items()
             if k not in CLEARED and not k.startswith("GEMINI_PREFLIGHT") and k != "CI"}
    clean["PYTHONPATH"] = str(ROOT) + os.pathsep + clean.get("PYTHONPATH", "")
    clean.update(env)
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "preflight", *args]
    return subprocess.run(command, cwd=cwd, env=clean, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "gemini-deploy.yaml").write_text(MANIFEST, encoding="utf-8")
    return tmp_path


def test_no_credentials_finishes_fast_and_says_what_it_looked_for(folder: Path) -> None:
    env = {"HOME": str(folder), "CLOUDSDK_CONFIG": str(folder / "gcloud"), "NO_GCE_CHECK": "true",
           HOOK: f"*={refused_url()}"}  # any network call would fail loudly: none is made
    started = time.monotonic()
    done = run("probe", "--env", "production", "--env", "development", env=env, cwd=folder)
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stdout + done.stderr
    assert elapsed < 10, f"probe without credentials took {elapsed:.1f} s"
    out = done.stdout
    assert "gemini-deploy.yaml:6:5: GP901 error environment 'development': no credentials for the " \
           "Developer API: no API key in GOOGLE_API_KEY or GEMINI_API_KEY" in out
    assert "GP901 error environment 'production': no credentials for Vertex AI: Your default " \
           "credentials were not found" in out
    assert "GOOGLE_APPLICATION_CREDENTIALS (unset)" in out
    assert f"gcloud ADC file {folder}/gcloud/application_default_credentials.json (missing)" in out
    assert "metadata server (not checked: NO_GCE_CHECK=true)" in out
    assert "Traceback" not in done.stderr


def test_no_network_is_exit_2_with_one_message(folder: Path) -> None:
    env = {"HOME": str(folder), "NO_GCE_CHECK": "true", HOOK: f"*={refused_url()}",
           "GOOGLE_API_KEY": "AIza" + "n" * 35}
    done = run("probe", "--env", "development", env=env, cwd=folder)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if "error:" in line]
    assert len(lines) == 1 and "cannot reach 127.0.0.1: Connection refused" in lines[0]
    assert "Traceback" not in done.stderr and "n" * 35 not in done.stderr + done.stdout


@pytest.mark.parametrize("fmt", formats())
def test_probe_findings_in_every_format_without_secrets(folder: Path, tmp_path: Path, fmt: str) -> None:
    with FakeGoogle() as fake:
        env = sandbox_environ(fake, tmp_path, "api-key")
        key = env["GOOGLE_API_KEY"]
        fake.on("POST", "*", 400, error=("INVALID_ARGUMENT", f"API key not valid: {key}", "API_KEY_INVALID"))
        done = run("probe", "--env", "development", "--format", fmt, env=env, cwd=folder)
    assert done.returncode == 1, done.stderr
    assert "GP902" in done.stdout and "API_KEY_INVALID" in done.stdout
    assert key not in done.stdout + done.stderr and key[4:-2] not in done.stdout + done.stderr


def test_metadata_server_identity_in_a_fresh_process(folder: Path, tmp_path: Path) -> None:
    with FakeGoogle() as fake:
        env = sandbox_environ(fake, tmp_path, "attached-service-account")
        done = run("probe", "--env", "production", env=env, cwd=folder)
        assert fake.calls("GET /computeMetadata/v1/instance/service-accounts/default/token")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "probed 'production' with an attached service account" in done.stderr


def test_check_live_adds_probe_findings_to_static_ones(folder: Path, tmp_path: Path) -> None:
    with FakeGoogle() as fake:
        env = sandbox_environ(fake, tmp_path, "service-account-key-file")
        fake.on("POST", "*/locations/us-central1/*:countTokens", 404, error=("NOT_FOUND", "not found"))
        done = run("check", "--live", "--env", "production", "--select", "GP303,GP9",
                   "--today", "2026-11-24", env=env, cwd=folder)
    assert done.returncode == 1, done.stderr
    assert "GP303" in done.stdout and "GP907" in done.stdout


def test_environment_choice_and_live_only_options_are_usage_errors(folder: Path) -> None:
    done = run("probe", env={"NO_GCE_CHECK": "true"}, cwd=folder)
    assert done.returncode == 2 and "choose which to probe with --env NAME" in done.stderr
    done = run("probe", "--env", "staging", env={"NO_GCE_CHECK": "true"}, cwd=folder)
    assert done.returncode == 2 and "no environment 'staging'" in done.stderr
    done = run("check", "--env", "production", env={}, cwd=folder)
    assert done.returncode == 2 and "add --live" in done.stderr


def test_check_without_live_imports_no_google_library(folder: Path) -> None:
    code = ("import sys\nfrom preflight.cli import main\nsys.argv = ['gemini-preflight', 'check']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('google', 'requests')))")
    done = run(env={}, cwd=folder, code=code)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_missing_live_extra_is_exit_2_with_one_message(folder: Path) -> None:
    code = ("import sys\n"
            "class Block:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'google' or name.startswith('google.'):\n"
            "            raise ModuleNotFoundError(f'No module named {name!r}')\n"
            "sys.meta_path.insert(0, Block())\n"
            "from preflight.cli import main\n"
            "sys.argv = ['gemini-preflight', *sys.argv[1:]]\nmain()\n")
    done = run("probe", "--env", "development", env={"GOOGLE_API_KEY": "AIza" + "m" * 35}, cwd=folder,
               code=code)
    assert done.returncode == 2
    assert "pip install 'gemini-preflight[live]'" in done.stderr and "Traceback" not in done.stderr


def test_rules_and_explain_show_the_probe_rules(folder: Path) -> None:
    listing = run("rules", env={}, cwd=folder).stdout
    for number in range(901, 911):
        assert f"GP{number}" in listing
    explained = run("explain", "GP907", env={}, cwd=folder).stdout
    assert "Checks: probe" in explained and "What it does" in explained and "countTokens" in explained


def test_inline_suppression_of_a_probe_rule_is_used_live_and_not_unused_without_live(
        tmp_path: Path) -> None:
    folder = tmp_path / "app"
    folder.mkdir()
    (folder / "gemini-deploy.yaml").write_text(MANIFEST.replace(
        "  chat: {id: gemini-3.5-flash}",
        "  chat: {id: gemini-3.5-flash}  # gemini-preflight: ignore[GP907]"))
    static = run("check", "--today", "2026-11-24", "--select", "GP001,GP9", env={}, cwd=folder)
    assert static.returncode == 0 and "GP001" not in static.stdout, static.stdout
    with FakeGoogle() as fake:
        env = sandbox_environ(fake, tmp_path, "service-account-key-file")
        fake.on("POST", "*:countTokens", 404, error=("NOT_FOUND", "not found"))
        live = run("check", "--live", "--env", "production", "--today", "2026-11-24", "--select",
                   "GP001,GP9", env=env, cwd=folder)
    assert live.returncode == 0 and "GP907" not in live.stdout and "GP001" not in live.stdout, live.stdout
