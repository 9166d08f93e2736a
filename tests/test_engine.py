"""The engine: discovery (built-in and plugins), selection, stage severity, crashes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from preflight import api, engine
from preflight.catalog import load_catalog
from preflight.findings import Location, Severity
from preflight.loader import load_yaml
from preflight.manifest import parse_manifest
from preflight.rule import ManifestContext, Problem, Rule
from tests.conftest import SAMPLES, TODAY, run_script

DOC = "Doc.\n\n## What it does\nx\n\n## Why is this bad?\ny\n\n## Example\n```yaml\na: 1\n```\n"


def _rule(rule_id: str, check: object = None, prod: Severity | None = None) -> Rule:
    return Rule(id=rule_id, name=f"test-{rule_id.lower()}", severity=Severity.WARNING,
                production_severity=prod, checklist="test", doc=DOC,
                check_manifest=check)  # type: ignore[arg-type]


def test_every_builtin_rule_is_discovered_once() -> None:
    rules = engine.all_rules()
    assert list(rules) == sorted(rules)
    assert {"GP101", "GP302", "GP605", "GP201", "GP901"} <= set(rules)
    assert all(rule.id == rule_id for rule_id, rule in rules.items())


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [((), (), ["GP301", "GP302", "GP501"]), (("GP3",), (), ["GP301", "GP302"]),
     (("gp30",), ("GP302",), ["GP301"]), ((), ("GP5", "GP301"), ["GP302"])],
)
def test_select_and_ignore_by_id_or_prefix(select: tuple[str, ...], ignore: tuple[str, ...],
                                           expected: list[str]) -> None:
    rules = [_rule("GP301"), _rule("GP302"), _rule("GP501")]
    assert [r.id for r in engine.select_rules(rules, select, ignore)] == expected
    assert engine.unknown_patterns(["GP3", "GP999", "gp50"], rules) == ["GP999"]


def test_production_stage_makes_a_rule_stricter() -> None:
    rule = _rule("GP301", prod=Severity.ERROR)
    here = Location("m.yaml", 1, 1)
    assert engine.stamp(rule, Problem("x"), here, "development").severity is Severity.WARNING
    assert engine.stamp(rule, Problem("x"), here, "production").severity is Severity.ERROR
    milder = Problem("x", severity=Severity.INFO)  # a case the rule documents as milder
    assert engine.stamp(rule, milder, here, "production").severity is Severity.INFO


def test_a_crashing_rule_is_reported_and_the_run_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "AIza" + "Sy" + "Q" * 33

    def boom(ctx: ManifestContext) -> Iterator[Problem]:
        raise RuntimeError(f"bad state near {secret}")

    def fine(ctx: ManifestContext) -> Iterator[Problem]:
        yield Problem("still here", path=("app",))

    rules = {"GP998": _rule("GP998", boom), "GP999": _rule("GP999", fine)}
    monkeypatch.setattr(engine, "all_rules", lambda: rules)
    result = api.check([SAMPLES / "production.yaml"], api.Options(today=TODAY, select=("GP99",)))
    assert [f.rule_id for f in result.findings] == ["GP999"]
    (crash,) = result.crashes
    assert crash.rule_id == "GP998" and "RuntimeError" in str(crash)
    assert secret not in str(crash) and "AIza…" in str(crash)
    assert result.exit_code(Severity.ERROR) == 2


def test_duplicate_rule_ids_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    module = type(sys)("fake_rules")
    module.RULE = engine.all_rules()["GP302"]  # type: ignore[attr-defined]
    monkeypatch.setattr(engine, "_plugin_modules", lambda: [module])
    engine.all_rules.cache_clear()
    try:
        with pytest.raises(engine.RegistryError, match="GP302 is defined twice"):
            engine.all_rules()
    finally:
        monkeypatch.undo()
        engine.all_rules.cache_clear()


def test_a_rule_module_without_rule_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    module = type(sys)("acme_rules.helpers")
    monkeypatch.setattr(engine, "_plugin_modules", lambda: [module])
    engine.all_rules.cache_clear()
    try:
        with pytest.raises(engine.RegistryError, match=r"acme_rules\.helpers defines no RULE"):
            engine.all_rules()
    finally:
        monkeypatch.undo()
        engine.all_rules.cache_clear()


def test_each_rule_is_handed_its_own_merged_options(tmp_path: Path) -> None:
    seen: dict[str, object] = {}

    def check(ctx: ManifestContext) -> Iterator[Problem]:
        seen[ctx.manifest.app] = dict(ctx.options)
        yield from ()

    rule = Rule(id="GP997", name="opts", severity=Severity.INFO, checklist="", doc="x",
                check_manifest=check, options={"limit": 2, "mode": "fast"})
    path = tmp_path / "gemini-deploy.yaml"
    for app, configured in (("plain", {}), ("tuned", {"GP997": {"limit": 5}, "GP502": {"x": 1}})):
        path.write_text(f"version: 1\napp: {app}\n")
        document = load_yaml(path)
        context = ManifestContext(parse_manifest(document), document, load_catalog(), TODAY,
                                  options=configured)
        run = engine.run([rule], "manifest", context, lambda p: Location("x"), lambda p: "dev", "x")
        assert run.crashes == []
    assert seen == {"plain": {"limit": 2, "mode": "fast"}, "tuned": {"limit": 5, "mode": "fast"}}
    with pytest.raises(ValueError, match="unknown option 'limt'"):
        rule.settings({"limt": 3})


def test_third_party_rules_come_from_entry_points(tmp_path: Path) -> None:
    """A plugin distribution adds a rule through the ``gemini_preflight.rules`` group."""
    (tmp_path / "acme_rules.py").write_text(
        f'"""Acme rule.\n\n{DOC.split(chr(10), 1)[1]}"""\n'
        "from preflight.findings import Severity\n"
        "from preflight.rule import Problem, Rule\n\n"
        "def check(ctx):\n"
        "    if ctx.manifest.app == 'forbidden':\n"
        "        yield Problem('this app name is reserved', path=('app',))\n\n"
        "RULE = Rule(id='GP990', name='acme-reserved-app', severity=Severity.ERROR,\n"
        "            checklist='acme policy', doc=__doc__, check_manifest=check)\n"
    )
    info = tmp_path / "acme_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[gemini_preflight.rules]\nacme = acme_rules\n")
    manifest = tmp_path / "gemini-deploy.yaml"
    manifest.write_text("version: 1\napp: forbidden\n")
    done = run_script("check", str(manifest), "--select", "GP990", "--today", "2026-11-24",
                   env={"PYTHONPATH": f"{tmp_path}:{Path(__file__).resolve().parent.parent}"})
    assert done.returncode == 1, done.stderr
    assert "gemini-deploy.yaml:2:6: GP990 error this app name is reserved" in done.stdout
