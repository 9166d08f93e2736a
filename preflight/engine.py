"""The rule registry and the loop that runs rules and stamps their problems.

Rules are discovered, never listed: every module of the built-in pack
(``preflight.rules``) that defines ``RULE``, plus every module named by an
entry point of the ``gemini_preflight.rules`` group. The engine knows nothing
about any particular rule or input kind: callers hand it a context and two
functions that place a problem (``locate``) and give its stage (``stage_of``).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

from preflight.core import RuleCrash as RuleCrash  # defined there, kept here for callers
from preflight.core import fails as fails
from preflight.findings import Finding, Location, scrub
from preflight.rule import Problem, Rule

ENTRY_POINT_GROUP = "gemini_preflight.rules"


class RegistryError(Exception):
    """Two rules share an ID, or a rule module is broken."""


@functools.lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    """Every known rule by ID, sorted by ID."""
    found: dict[str, Rule] = {}
    for module in _builtin_modules() + _plugin_modules():
        rule = getattr(module, "RULE", None)
        if rule is None:
            raise RegistryError(f"{module.__name__} defines no RULE (a module of the rule pack "
                                "holds one rule; helpers go in modules named _like_this)")
        if not isinstance(rule, Rule):
            raise RegistryError(f"{module.__name__}.RULE is not a preflight.rule.Rule")
        if rule.id in found:
            raise RegistryError(f"rule ID {rule.id} is defined twice ({module.__name__})")
        found[rule.id] = rule
    return dict(sorted(found.items()))


def _builtin_modules() -> list[ModuleType]:
    package = importlib.import_module("preflight.rules")
    names = sorted(info.name for info in pkgutil.iter_modules(package.__path__))
    return [importlib.import_module(f"preflight.rules.{name}") for name in names
            if not name.startswith("_")]


def _plugin_modules() -> list[ModuleType]:
    from preflight.startup import may_declare_entry_points

    # a cheap look before importing importlib.metadata (tens of ms of every start)
    if not may_declare_entry_points(ENTRY_POINT_GROUP):
        return []
    from importlib.metadata import entry_points

    modules = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            modules.append(importlib.import_module(entry.value.partition(":")[0]))
        except Exception as exc:  # a broken plugin must not hide the built-in rules
            raise RegistryError(f"cannot load rule plugin {entry.name!r}: {exc}") from None
    return modules


def matches(rule_id: str, patterns: Iterable[str]) -> bool:
    """True when ``rule_id`` equals or starts with one of ``patterns`` (GP3, GP30, GP302)."""
    return any(rule_id.startswith(p.strip().upper()) for p in patterns if p.strip())


def select_rules(
    rules: Iterable[Rule], select: Sequence[str] = (), ignore: Sequence[str] = ()
) -> list[Rule]:
    chosen = [r for r in rules if not select or matches(r.id, select)]
    return [r for r in chosen if not matches(r.id, ignore)]


def unknown_patterns(patterns: Iterable[str], rules: Iterable[Rule]) -> list[str]:
    """Patterns in ``--select``/``--ignore`` that match no rule (likely typos)."""
    ids = [r.id for r in rules]
    return [p for p in patterns if p.strip() and not any(i.startswith(p.strip().upper())
                                                        for i in ids)]


Locate = Callable[[Problem], Location]
StageOf = Callable[[Problem], str]


@dataclass
class RunResult:
    findings: list[Finding]
    crashes: list[RuleCrash]


def run(
    rules: Iterable[Rule],
    kind: str,
    context: Any,
    locate: Locate,
    stage_of: StageOf,
    where: str,
) -> RunResult:
    """Run every rule that has a ``kind`` check over ``context``.

    A context with ``options`` (every rule's, by ID, from the configuration) is
    handed to each rule with its own: its defaults merged with what was configured
    (:meth:`preflight.rule.Rule.settings`), so a rule reads ``ctx.options["name"]``.
    """
    findings: list[Finding] = []
    crashes: list[RuleCrash] = []
    configured: Mapping[str, Mapping[str, Any]] | None = getattr(context, "options", None)
    bare = None  # the context with no options: shared by every rule that has none
    for rule in rules:
        check = rule.check_for(kind)
        if check is None:
            continue
        try:
            if configured is None:
                problems = list(check(context))
            else:
                own = rule.settings(configured.get(rule.id))
                if own:
                    problems = list(check(_with_options(context, own)))
                else:
                    if bare is None:
                        bare = _with_options(context, {})
                    problems = list(check(bare))
        except Exception as exc:
            crashes.append(RuleCrash(rule.id, where, scrub(f"{type(exc).__name__}: {exc}")))
            continue
        findings.extend(stamp(rule, p, locate(p), stage_of(p)) for p in problems)
    return RunResult(findings, crashes)


def _with_options(context: Any, options: Mapping[str, Any]) -> Any:
    """``dataclasses.replace(context, options=options)``: a shallow copy with the rule's own
    options, made without running ``__init__`` again (it runs for every rule and file)."""
    if isinstance(context, tuple) and hasattr(context, "_replace"):  # a NamedTuple
        return context._replace(options=options)
    fields = getattr(context, "__dict__", None)
    if fields is None or "options" not in fields:
        return replace(context, options=options)
    copy = object.__new__(type(context))
    copy.__dict__.update(fields)
    copy.__dict__["options"] = options
    return copy


def stamp(rule: Rule, problem: Problem, location: Location, stage: str) -> Finding:
    severity = problem.severity or rule.severity_for(stage)
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=severity,
        message=scrub(problem.message),
        location=location,
        fix=scrub(problem.fix) if problem.fix else None,
        subject=problem.subject,
        autofix=problem.autofix,
    )
