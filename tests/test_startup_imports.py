"""A pre-commit run imports only what it needs (the timing itself is benchmarks/check_startup.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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


# Runs the command line in a fresh interpreter and prints every module it imported
# (``sys.modules`` also holds what importlib.import_module loaded, which -X importtime misses).
_MODULES_AFTER = """
import json, sys
from preflight.cli import main
sys.argv = ["gemini-preflight", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def _modules_after(*args: str, cwd: Path) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _MODULES_AFTER, *args], cwd=cwd,
                          capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    line = done.stderr.rsplit("\nMODULES ", 1)
    assert len(line) == 2, done.stderr[-2000:]
    return set(json.loads(line[1]))


def _under(modules: set[str], *packages: str) -> set[str]:
    return {m for m in modules if m in packages or m.startswith(tuple(p + "." for p in packages))}


# Loaded only by runs that need them: never by a pre-commit run of one file or manifest.
_NEVER = ("concurrent", "multiprocessing", "preflight.probes", "tree_sitter", "google",
          "preflight.report.sarif", "preflight.report.json",
          "preflight.report.junit", "preflight.report.github", "preflight.migrate", "libcst")


def test_audit_of_one_python_file_loads_no_yaml_pydantic_packaging_or_probes(tmp_path: Path) -> None:
    source = tmp_path / "app.py"
    source.write_text('import google.generativeai as genai\nm = genai.GenerativeModel("gemini-1.5-flash")\n')
    modules = _modules_after("audit", str(source), "--today", "2026-11-24", cwd=tmp_path)
    assert "preflight.scan.python" in modules and "preflight.rules.gp101_legacy_sdk" in modules
    # the catalog and key patterns come from the data files' JSON copies: no YAML parser
    unwanted = _under(modules, "pydantic", "yaml", "packaging", "tomllib", "preflight.manifest",
                      "preflight.scan.deps", "subprocess", "difflib", "importlib.metadata", *_NEVER)
    assert not unwanted, sorted(unwanted)


@pytest.mark.parametrize("pyproject", ["", "[tool.black]\nline-length = 100\n"])
def test_check_of_one_manifest_loads_no_probes_pool_or_other_reports(tmp_path: Path,
                                                                     pyproject: str) -> None:
    if pyproject:  # the configuration is looked for in it, but without our table it is not parsed
        (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / "deploy").mkdir()  # the manifest's folder is scanned: no dependency file in it
    (tmp_path / "deploy" / "gemini-deploy.yaml").write_text(
        "version: 1\napp: demo\nenvironments:\n  production:\n    route: developer-api\n"
        "models:\n  chat:\n    id: gemini-3.5-flash\n")
    modules = _modules_after("check", "deploy", "--today", "2026-11-24", cwd=tmp_path)
    assert "preflight.manifest" in modules and "preflight.rules.gp301_unknown_model" in modules
    # no installed distribution declares a pydantic plugin: pydantic's lookup (which imports
    # importlib.metadata) is spared (preflight/startup.py)
    unwanted = _under(modules, "tomllib", "packaging", "importlib.metadata", *_NEVER)
    assert not unwanted, sorted(unwanted)


def test_the_collector_paused_for_start_up_is_resumed_before_files_are_read(tmp_path: Path) -> None:
    # the console script pauses the cyclic garbage collector (preflight/startup.py); the run
    # resumes it before it reads files, so a long audit and the workers it forks collect as usual
    script = ("import gc, sys\nfrom preflight import api, startup\n"
              "startup.pause(); assert not gc.isenabled()\n"
              "api.audit([], api.Options()); sys.stdout.write(str(gc.isenabled()))")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.stdout == "True", done.stderr[-2000:]


def test_the_collector_is_left_alone_when_it_was_not_paused() -> None:
    import gc

    from preflight import startup

    gc.disable()  # a program using the API turned it off itself
    try:
        startup.resume()
        assert not gc.isenabled()
    finally:
        gc.enable()


_PLUGIN = """
class Plugin:
    def new_schema_validator(self, schema, schema_type, path, kind, config, settings):
        print("plugin saw", schema_type.__name__)
        return None, None, None


plugin = Plugin()
"""


def test_a_declared_pydantic_plugin_still_sees_the_manifest_models(tmp_path: Path) -> None:
    # the plugin lookup is spared only when no distribution declares one
    (tmp_path / "fakeplug_mod.py").write_text(_PLUGIN)
    info = tmp_path / "fakeplug-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fakeplug\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pydantic]\nfake = fakeplug_mod:plugin\n")
    (tmp_path / "gemini-deploy.yaml").write_text("version: 1\napp: demo\n")
    script = ("from pathlib import Path\nfrom preflight.loader import load_yaml\n"
              "from preflight.manifest import parse_manifest\n"
              "print(parse_manifest(load_yaml(Path('gemini-deploy.yaml'))).app)")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          check=False, env={"PYTHONPATH": f"{tmp_path}:{ROOT}", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "plugin saw Manifest" in done.stdout and done.stdout.endswith("demo\n")


def test_entry_points_are_looked_for_in_the_distributions_on_the_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from preflight.startup import may_declare_entry_points

    info = tmp_path / "other-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text("[console_scripts]\nother = other:main\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), str(tmp_path / "missing")])
    assert not may_declare_entry_points("pydantic")
    (info / "entry_points.txt").write_text("[console_scripts]\nother = other:main\n[pydantic]\n"
                                           "x = other:plugin\n")
    assert may_declare_entry_points("pydantic")
    zipped = tmp_path / "wheel.zip"
    zipped.write_bytes(b"")
    monkeypatch.setattr(sys, "path", [str(zipped)])  # a zip is not looked into: maybe
    assert may_declare_entry_points("pydantic")


def test_the_stand_in_plugin_loader_hands_any_other_name_to_pydantics_own(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from preflight import startup

    stand_in = startup._NoPydanticPlugins(startup._LOADER)
    monkeypatch.setitem(sys.modules, startup._LOADER, stand_in)
    assert stand_in.get_plugins() == ()
    assert stand_in.PYDANTIC_ENTRY_POINT_GROUP == "pydantic"  # the real module's
    assert sys.modules[startup._LOADER] is not stand_in
