"""The API owns the pipeline: it returns what the command line reports, and the modules
that build it import each other one way only."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from preflight import api
from preflight.cli import cli
from tests.conftest import ROOT, TODAY

MANIFEST = """version: 1
app: demo
models:
  chat:
    id: gemini-3.5-flash{comment}
    max_output_tokens: 2048
"""
IGNORE = "  # gemini-preflight: ignore[GP305]"


def cli_json(*args: str) -> tuple[int, list[tuple[str, int, str]]]:
    """Run the command line in this process; its exit code and (path, line, rule) of findings."""
    done = CliRunner().invoke(cli, [*args, "--format", "json", "--today", TODAY.isoformat()])
    assert done.exception is None or isinstance(done.exception, SystemExit), done.output
    found = json.loads(done.stdout)["findings"]
    return done.exit_code, sorted((f["path"], f["line"], f["rule_id"]) for f in found)


def api_found(result: api.Result) -> list[tuple[str, int, str]]:
    return sorted((f.location.path, f.location.line, f.rule_id) for f in result.findings)


def test_api_check_applies_inline_suppressions(tmp_path: Path) -> None:
    path = tmp_path / "gemini-deploy.yaml"
    path.write_text(MANIFEST.format(comment=IGNORE))
    result = api.check([path], api.Options(today=TODAY, select=("GP305", "GP001")))
    assert result.findings == []
    path.write_text(MANIFEST.format(comment=""))
    result = api.check([path], api.Options(today=TODAY, select=("GP305", "GP001")))
    assert [f.rule_id for f in result.findings] == ["GP305"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with a manifest, code with findings, a config file; the working folder."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "gemini-deploy.yaml").write_text(MANIFEST.format(comment=IGNORE))
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text(
        "import google.generativeai as genai\nMODEL = 'gemini-3.5-flash'\n")
    (tmp_path / "app" / "quiet.py").write_text(
        "import google.generativeai as genai  # gemini-preflight: ignore[GP101]\n")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "old.py").write_text("import google.generativeai as genai\n")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "lib.py").write_text("import google.generativeai as genai\n")
    (tmp_path / ".gemini-preflight.yaml").write_text(
        "per-file-ignores:\n  'scripts/*': [GP101]\nexclude: [vendor]\nfail-on: error\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def options_of(config: Path, **extra: object) -> api.Options:
    from preflight.cli import cli_options

    options = cli_options(config, (), (), TODAY, None)
    from dataclasses import replace

    return replace(options, **extra)  # type: ignore[arg-type]


def test_api_and_cli_agree_on_every_post_processing_step(project: Path) -> None:
    config = project / ".gemini-preflight.yaml"
    options = options_of(config)
    result = api.audit([Path(".")], options)
    code, found = cli_json("audit", ".")
    assert api_found(result) == found
    paths = {path for path, _, _ in found}
    assert "vendor/lib.py" not in paths  # exclude
    assert "scripts/old.py" not in paths  # per-file ignores
    assert ("app/quiet.py", 1, "GP101") not in found  # inline suppression
    assert ("gemini-deploy.yaml", 5, "GP305") not in found  # ... in the manifest too
    assert ("app/main.py", 1, "GP101") in found
    assert result.exit_code() == code == 1  # fail-on error from the configuration file

    baseline = project / "baseline.json"
    written = api.audit([Path(".")], options_of(config, write_baseline=baseline))
    assert written.baseline_notes and baseline.is_file()
    (project / "app" / "new.py").write_text("import google.generativeai as genai\n")
    result = api.audit([Path(".")], options_of(config, baseline=baseline))
    code, found = cli_json("audit", ".", "--baseline", str(baseline))
    assert api_found(result) == found == [("app/new.py", 1, "GP101")]
    assert result.exit_code() == code == 1
    result = api.audit([Path(".")], options_of(config, baseline=baseline, fail_on="never"))
    code, _ = cli_json("audit", ".", "--baseline", str(baseline), "--fail-on", "never")
    assert result.exit_code() == code == 0


def test_sarif_fingerprints_do_not_depend_on_the_working_folder(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def sarif(arg: str) -> str:
        done = CliRunner().invoke(cli, ["audit", arg, "--format", "sarif", "--select", "GP101"])
        return done.stdout

    from_root = sarif("app")
    monkeypatch.chdir(project / "app")
    from_app = sarif(".")
    prints = [[r["partialFingerprints"] for r in json.loads(text)["runs"][0]["results"]]
              for text in (from_root, from_app)]
    assert prints[0] and prints[0] == prints[1]


@pytest.mark.parametrize("command", ["check", "audit"])
def test_sarif_is_byte_identical_from_any_folder_of_the_repository(
        project: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    (project / "app" / "deep").mkdir()
    outputs = []
    for folder, target in (("", "."), ("app", ".."), ("app/deep", "../.."), ("scripts", "..")):
        monkeypatch.chdir(project / folder)
        arg = target if command == "check" else f"{target}/app"
        done = CliRunner().invoke(cli, [command, arg, "--format", "sarif",
                                        "--today", TODAY.isoformat()])
        assert done.exit_code == 1, done.output
        outputs.append(done.stdout)
    assert json.loads(outputs[0])["runs"][0]["results"]
    assert outputs[1:] == outputs[:1] * 3


def test_a_baseline_written_in_one_folder_matches_from_another(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = project / "baseline.json"
    code, _ = cli_json("audit", "app", "--write-baseline", str(baseline))
    assert code == 0
    monkeypatch.chdir(project / "app")
    code, found = cli_json("audit", ".", "--baseline", str(baseline))
    assert (code, found) == (0, [])
    monkeypatch.chdir(project / "scripts")
    code, found = cli_json("audit", "../app", "--baseline", "../baseline.json")
    assert (code, found) == (0, [])
    (project / "app" / "main.py").write_text("import google.generativeai as genai\n"
                                            "import google.generativeai\n")
    code, found = cli_json("audit", "../app", "--baseline", "../baseline.json")
    assert (code, found) == (1, [("../app/main.py", 2, "GP101")])


def _module_imports(path: Path, name: str) -> set[str]:
    """Modules ``name`` imports when it is loaded (top level, including type-checking blocks)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    nodes = list(tree.body)
    for node in nodes:
        if isinstance(node, ast.If):
            nodes.extend(node.body + node.orelse)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_no_import_cycle_among_preflight_modules() -> None:
    files = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
             for p in (ROOT / "preflight").rglob("*.py")}

    def owner(module: str) -> str | None:  # a name's module, or the package it is in
        while module and module not in files:
            module = module.rpartition(".")[0]
        return module or None

    def loads(module: str, importer: str) -> set[str]:
        """A module and the packages above it, except those already loading for ``importer``
        (its own packages: ``from preflight.scan import facts`` inside preflight.scan.x)."""
        chain = {module}
        while "." in module:
            module = module.rpartition(".")[0]
            chain.add(module)
        return {m for m in chain if m in files and not (importer + ".").startswith(m + ".")}

    graph = {name: {loaded for m in map(owner, _module_imports(path, name)) if m
                    for loaded in loads(m, name)}
             for name, path in files.items()}
    cycles = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []
