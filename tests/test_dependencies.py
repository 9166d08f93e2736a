"""Every third-party module the tool imports is installed by a plain ``pip install``: a runtime
dependency, or an extra's, imported only by that extra's own package (probes: live, migrate:
migrate). A module the test environment happens to hold must not hide a missing dependency."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement

from tests.conftest import ROOT

EXTRA_PACKAGES = {"live": "preflight/probes", "migrate": "preflight/migrate"}


def _names(requirements: list[str]) -> set[str]:
    return {Requirement(r).name.lower().replace("_", "-") for r in requirements}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_every_imported_distribution_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _names(project["dependencies"])
    extras = {name: _names(project["optional-dependencies"][name]) for name in EXTRA_PACKAGES}
    owners = packages_distributions()
    missing = []
    for path in sorted([*ROOT.glob("preflight/**/*.py"), *ROOT.glob("rules/*.py")]):
        where = path.relative_to(ROOT).as_posix()
        allowed = set(runtime)
        for extra, folder in EXTRA_PACKAGES.items():
            if where.startswith(folder + "/"):
                allowed |= extras[extra]
        for module in _imports(path):
            if module in sys.stdlib_module_names or module in ("preflight", "rules", "__future__"):
                continue
            dists = {d.lower().replace("_", "-") for d in owners.get(module, [module])}
            if not dists & allowed:
                missing.append(f"{where}: {module} ({', '.join(sorted(dists))})")
    assert missing == [], "imported but not installed by a plain install:\n" + "\n".join(missing)
