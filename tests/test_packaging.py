"""The distribution: wheel layout, and the tool working from a wheel, an editable
install and the source tree, with the rule pack always at ``preflight.rules``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    (built,) = out.glob("gemini_preflight-*.whl")
    return built


def test_wheel_layout(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"preflight"}, f"only preflight/ may be installed, got {tops}"
    assert "preflight/rules/__init__.py" in names
    assert "preflight/rules/gp302_preview_without_migration_plan.py" in names
    assert "preflight/data/catalog.yaml" in names and "preflight/data/keys.yaml" in names
    assert "preflight/py.typed" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "gemini-preflight = preflight.__main__:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_tool_runs_from_the_wheel(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    # The venv's own site-packages comes first, so this exercises the wheel's files.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    zipfile.ZipFile(wheel).extractall(site)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [str(python), "-c",
         "import preflight, preflight.rules, preflight.cli, sys; "
         "print(preflight.rules.__file__); sys.argv=['gemini-preflight','rules']; preflight.cli.main()"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    first, *rest = done.stdout.splitlines()
    assert first.startswith(site), "the rule pack must come from the wheel"
    assert any(line.startswith("GP302") for line in rest)


def test_console_script_of_the_installed_tool(tmp_path: Path) -> None:
    exe = shutil.which("gemini-preflight")
    if exe is None:
        pytest.skip("gemini-preflight is not installed (pip install -e '.[test]')")
    done = subprocess.run([exe, "check", str(SAMPLES / "production.yaml"), "--today", "2026-11-24"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_top_level_rules_module_is_importable_from_an_install(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", "import importlib.util as u; import preflight.rules; "
         "spec = u.find_spec('rules'); print(spec.origin if spec else None)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"
