"""Live probes (``probe``, ``check --live``): what no static rule can check.

For each chosen environment of a manifest: do the credentials resolve the way
google-genai will resolve them, does the project exist and is it ACTIVE, is the
API enabled, is each model served where the app sends its requests, is there
quota. The probes only gather facts (:mod:`preflight.probes.facts`); the GP9xx
rules judge them, so probe results are findings like any other.

Nothing here touches the network or imports a Google library until a probe
runs: google-auth, google-cloud-resource-manager and requests come from the
``live`` extra. Safety rules are in :mod:`preflight.probes.hosts` and
:mod:`preflight.probes.http`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from preflight import engine
from preflight.core import DEFAULT_TIMEOUT_S as DEFAULT_TIMEOUT_S  # kept here for callers
from preflight.core import ProbeSettings as ProbeSettings
from preflight.core import Result
from preflight.probes.facts import EnvFacts, ProbeContext

if TYPE_CHECKING:
    from preflight.engine import Locate, StageOf
    from preflight.manifest import Manifest
    from preflight.rule import ManifestContext, Rule

LIVE_EXTRA_HINT = ("live probes need the `live` extra (google-auth, google-cloud-resource-manager, "
                   "requests): pip install 'gemini-preflight[live]'")


def choose_environments(manifest: Manifest, wanted: tuple[str, ...]) -> list[str]:
    """The environments to probe; raises ValueError with a message that says what to do."""
    names = list(manifest.environments)
    if wanted:
        unknown = [w for w in wanted if w not in manifest.environments]
        if unknown:
            have = ", ".join(names) or "none"
            raise ValueError(f"no environment {', '.join(map(repr, unknown))} in the manifest "
                             f"(environments: {have})")
        return list(dict.fromkeys(wanted))
    if not names:
        raise ValueError("the manifest declares no environments: nothing to probe")
    if len(names) > 1:
        raise ValueError(f"the manifest has {len(names)} environments ({', '.join(names)}); "
                         "choose which to probe with --env NAME (repeatable): each is probed "
                         "with the credentials of this machine")
    return names


def run_live(context: ManifestContext, locate: Locate, stage_of: StageOf,
             settings: ProbeSettings, rules: list[Rule]) -> Result:
    """Probe the chosen environments of one manifest: the GP9xx findings, errors and notes."""
    found = Result(rules=rules)
    rules = [r for r in rules if r.check_probe is not None]
    where = context.document.path
    if not rules:
        return found
    try:
        names = choose_environments(context.manifest, settings.envs)
    except ValueError as exc:
        found.errors.append(f"{where}: {exc}")
        return found
    try:
        facts, errors = _probe(context.manifest, names, settings)
    except ImportError:
        found.errors.append(LIVE_EXTRA_HINT)
        return found
    probe_context = ProbeContext(context.manifest, context.catalog, context.today, facts)
    run = engine.run(rules, "probe", probe_context, locate, stage_of, where)
    found.findings.extend(run.findings)
    found.crashes.extend(run.crashes)
    found.errors.extend(f"{where}: {e}" for e in errors)
    found.notes.extend(f"{where}: {f.summary()}" for f in facts.values())
    return found


def _probe(manifest: Manifest, names: list[str],
           settings: ProbeSettings) -> tuple[dict[str, EnvFacts], list[str]]:
    from preflight.probes.hosts import HostPolicy, ProbeError, Redactor

    environ = os.environ if settings.environ is None else settings.environ
    redactor = Redactor()
    try:
        policy = HostPolicy.create(settings.allow_hosts, environ)
    except ProbeError as exc:
        return {}, [str(exc)]
    from preflight.probes.runner import Prober  # imports google-auth: only now

    prober = Prober(policy, settings.timeout, settings.sleep, environ, redactor)
    try:
        facts = prober.run(manifest, names)
    except ImportError:
        raise
    except Exception as exc:  # a bug in a probe must not print a token in a traceback
        return {}, [*prober.errors, redactor(f"probe failed: {type(exc).__name__}: {exc}")]
    return facts, prober.errors
