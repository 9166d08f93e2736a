"""Configuration: discovery, validation with clear errors, and command-line precedence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from preflight.config import ConfigError, find_config, load_config, path_matches
from tests.conftest import SAMPLES, TODAY, run_cli

DAY = ("--today", TODAY.isoformat())


def project(tmp_path: Path, config: str = "", name: str = ".gemini-preflight.yaml") -> Path:
    """A git work tree with the GP302 sample as its manifest and an optional config file."""
    (tmp_path / ".git").mkdir()
    shutil.copy(SAMPLES / "failing" / "GP302.yaml", tmp_path / "gemini-deploy.yaml")
    if config:
        (tmp_path / name).write_text(config)
    return tmp_path


def rules_found(stdout: str) -> set[str]:
    return {f["rule_id"] for f in json.loads(stdout)["findings"]}


def test_yaml_config_selects_and_sets_fail_on(tmp_path: Path) -> None:
    root = project(tmp_path, "select: [GP302]\nfail-on: never\n")
    done = run_cli("check", *DAY, "--format", "json", cwd=root)
    assert done.returncode == 0, done.stderr
    assert rules_found(done.stdout) == {"GP302"}


def test_pyproject_table_is_found_from_a_subfolder(tmp_path: Path) -> None:
    root = project(tmp_path, '[project]\nname = "x"\n\n[tool.gemini-preflight]\n'
                             'select = ["GP305"]\n', name="pyproject.toml")
    (root / "src").mkdir()
    done = run_cli("check", "..", *DAY, "--format", "json", cwd=root / "src")
    assert rules_found(done.stdout) == {"GP305"}


def test_yaml_wins_over_pyproject_and_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    root = project(tmp_path, "select: GP302\n")
    (root / "pyproject.toml").write_text('[tool.gemini-preflight]\nselect = ["GP305"]\n')
    assert find_config(root) == root / ".gemini-preflight.yaml"
    sub = root / "pkg"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "pkg"\n')
    assert find_config(sub) == root / ".gemini-preflight.yaml"


def test_discovery_stops_at_the_git_root(tmp_path: Path) -> None:
    (tmp_path / ".gemini-preflight.yaml").write_text("select: [GP302]\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    project(repo)
    assert find_config(repo) is None
    done = run_cli("check", *DAY, "--format", "json", cwd=repo)
    assert len(rules_found(done.stdout)) > 1


def test_explicit_config_file_overrides_discovery(tmp_path: Path) -> None:
    root = project(tmp_path, "select: [GP302]\n")
    other = tmp_path / "ci.yaml"
    other.write_text("select: [GP305]\n")
    done = run_cli("check", *DAY, "--format", "json", "--config", "ci.yaml", cwd=root)
    assert rules_found(done.stdout) == {"GP305"}


def test_command_line_overrides_config(tmp_path: Path) -> None:
    root = project(tmp_path, "select: [GP302]\nfail-on: never\ntoday: 2025-12-01\n")
    assert run_cli("check", cwd=root).returncode == 0
    done = run_cli("check", "--select", "GP305", "--fail-on", "warning", "--format", "json", *DAY,
                   cwd=root)
    assert done.returncode == 1 and rules_found(done.stdout) == {"GP305"}


def test_today_from_config(tmp_path: Path) -> None:
    # GP302.yaml's review_by is 2026-01-01: due on TODAY, not yet on 2025-12-01.
    root = project(tmp_path, "select: [GP302]\ntoday: 2025-12-01\n")
    early = json.loads(run_cli("check", "--format", "json", cwd=root).stdout)["findings"]
    late = json.loads(run_cli("check", "--format", "json", *DAY, cwd=root).stdout)["findings"]
    assert len(late) == len(early) + 1


def test_rule_options_reach_the_rule(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "gemini-deploy.yaml").write_text(
        "version: 1\napp: x\nretry:\n  max_retries: 3\n  initial_delay_s: 1.0\n"
        "  multiplier: 2.0\n  retry_on: [429, 500, 503, 504]\n")
    assert run_cli("check", "--select", "GP502", *DAY, cwd=root).returncode == 1
    (root / ".gemini-preflight.yaml").write_text("rules:\n  GP502:\n    max_retries: 3\n")
    assert run_cli("check", "--select", "GP502", *DAY, cwd=root).returncode == 0


def test_per_file_ignores_and_exclude(tmp_path: Path) -> None:
    root = project(tmp_path, "per-file-ignores:\n  'gemini-deploy.yaml': [GP3, GP4]\n")
    found = rules_found(run_cli("check", "--format", "json", *DAY, cwd=root).stdout)
    assert found and not any(r.startswith(("GP3", "GP4")) for r in found)
    (root / ".gemini-preflight.yaml").write_text("exclude: ['*.yaml']\n")
    done = run_cli("check", "--format", "json", *DAY, cwd=root)
    assert done.returncode == 0 and rules_found(done.stdout) == set()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("fail_on: error\n", "unknown key 'fail_on' (did you mean 'fail-on'?)"),
        ("selct: [GP302]\n", "unknown key 'selct' (did you mean 'select'?)"),
        ("fail-on: sometimes\n", "fail-on"),
        ("select: [GP3O2]\n", "select: no rule matches 'GP3O2' (did you mean GP302?)"),
        ("per-file-ignores:\n  'tests/*': [GP9999]\n", "no rule matches 'GP9999'"),
        ("rules:\n  GP502:\n    max_retry: 3\n", "unknown option 'max_retry' (did you mean 'max_retries'?)"),
        ("rules:\n  GP502:\n    max_retries: many\n", "max_retries must be int"),
        ("rules:\n  GP302:\n    x: 1\n", "GP302 takes no options"),
        ("rules:\n  GP777: {}\n", "unknown rule 'GP777'"),
        ("today: someday\n", "today"),
        ("- select\n", "must be a mapping"),
        ("select: [GP302\n", "invalid YAML"),
    ],
)
def test_bad_config_is_exit_2_with_one_clear_message(tmp_path: Path, content: str, message: str) -> None:
    root = project(tmp_path, content)
    done = run_cli("check", *DAY, cwd=root)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert ".gemini-preflight.yaml" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_bad_pyproject_and_missing_config_file(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "broken.toml").write_text("[tool.gemini-preflight\n")
    done = run_cli("check", "--config", "broken.toml", cwd=root)
    assert done.returncode == 2 and "invalid TOML" in done.stderr
    (root / "other.toml").write_text('[tool.black]\nline-length = 100\n')
    done = run_cli("check", "--config", "other.toml", cwd=root)
    assert done.returncode == 2 and "no [tool.gemini-preflight] table" in done.stderr
    done = run_cli("check", "--config", "missing.yaml", cwd=root)
    assert done.returncode == 2 and "no such configuration file" in done.stderr


def test_load_config_values(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.gemini-preflight]\nselect = "GP3, GP5"\nfail-on = "error"\n'
                    'today = 2026-01-02\nexclude = ["build"]\n'
                    '[tool.gemini-preflight.per-file-ignores]\n"tests/**" = ["GP302"]\n'
                    '[tool.gemini-preflight.rules.GP502]\nmax_retries = 4\n')
    config = load_config(path)
    assert config.select == ("GP3", "GP5") and config.fail_on == "error"
    assert config.today is not None and config.today.isoformat() == "2026-01-02"
    assert config.per_file_ignores == (("tests/**", ("GP302",)),)
    assert config.rules == {"GP502": {"max_retries": 4}} and config.root == tmp_path.resolve()
    with pytest.raises(ConfigError, match=r"pyproject.toml: \[tool.gemini-preflight\]"):
        path.write_text('[tool.gemini-preflight]\nselekt = []\n')
        load_config(path)


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("tests/fixtures/a.py", "tests/fixtures", True),
        ("tests/fixtures/a.py", "**/fixtures/**", True),
        ("fixtures/a.py", "**/fixtures/**", True),
        ("src/fixtures_x/a.py", "**/fixtures/**", False),
        ("nb/deep/x.ipynb", "*.ipynb", True),
        ("src/app.py", "*.ipynb", False),
        ("src/app.py", "src/*.py", True),
        ("src/pkg/app.py", "src/*.py", False),
        ("src/pkg/app.py", "src/**/*.py", True),
        ("src/app.py", "src/**/*.py", True),
        ("./build/x", "build", True),
        ("rebuild/x", "build", False),
        ("a/.env.local", ".env*", True),
    ],
)
def test_path_matches(path: str, pattern: str, expected: bool) -> None:
    assert path_matches(path, pattern) is expected


@pytest.mark.parametrize("text", [
    '[tool.gemini-preflight]\nselect = ["GP1"]\n',
    '[ tool . "gemini-preflight" ]\nselect = ["GP1"]\n',
    "[tool.'gemini-preflight']\nselect = ['GP1']\n",
    '[tool.gemini-preflight.per-file-ignores]\n"tests/*" = ["GP305"]\n',
    '[tool]\ngemini-preflight = { select = ["GP1"] }\n',
    '[tool]\ngemini-preflight.select = ["GP1"]\n',
    'tool.gemini-preflight.select = ["GP1"]\n',
    'tool = { "gemini-preflight" = { select = ["GP1"] } }\n',
    '[tool."gemini\\u002dpreflight"]\nselect = ["GP1"]\n',
    '[project]\ndependencies = ["gemini-preflight>=0.1"]\n',
    '[project]\noptional-dependencies.dev = ["gemini-preflight"]\n',
    '[tool.poetry.group.dev.dependencies]\ngemini-preflight = "^0.1"\n',
    '[project]\nname = "gemini-preflight"\n[tool.black]\nline-length = 100\n',
    '[tool.gemini-preflight-extra]\nx = 1\n',
    '[project.scripts]\ngemini-preflight = "preflight.__main__:main"\n',
    '[project.scripts]\ngemini-preflight = "x:main"\n[tool]\ngemini-preflight = { select = ["GP1"] }\n',
    '[ "tool" ]\nx = [\n  ["a"],\n  ["b"]\n]\n"gemini-preflight" = { select = ["GP1"] }\n',
    'gemini-preflight = { select = ["GP1"] }\n',
    '[[tool]]\ngemini-preflight = { select = ["GP1"] }\n',
])
def test_a_pyproject_is_parsed_unless_it_cannot_hold_our_table(tmp_path: Path, text: str) -> None:
    import tomllib

    from preflight.config import _has_table, _may_hold_table

    tool = tomllib.loads(text).get("tool", {})
    holds = "gemini-preflight" in tool
    assert _may_hold_table(text) or not holds  # skipped only when it cannot hold it
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    assert _has_table(tmp_path / "pyproject.toml") == holds
    if text.startswith(("[project]\ndependencies", "[project.scripts]\ngemini-preflight = \"preflight")):
        assert not _may_hold_table(text)  # a dependency on the tool is not parsed for
