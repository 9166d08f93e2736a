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
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from preflight import engine
from preflight.probes.facts import EnvFacts, ProbeContext

if TYPE_CHECKING:
    from preflight.api import Result
    from preflight.engine import Locate, StageOf
    from preflight.manifest import Manifest
    from preflight.rule import ManifestContext

DEFAULT_TIMEOUT_S = 10.0
LIVE_EXTRA_HINT = ("live probes need the `live` extra (google-auth, google-cloud-resource-manager, "
                   "requests): pip install 'gemini-preflight[live]'")


@dataclass(frozen=True)
class ProbeSettings:
    """How to probe: which environments, which extra hosts, how long each call may take."""

    envs: tuple[str, ...] = ()  # empty: the only environment (several need --env)
    allow_hosts: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT_S
    sleep: Callable[[float], None] = time.sleep  # backoff between retries (tests pass a no-op)
    environ: Mapping[str, str] | None = None  # default: os.environ


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
             settings: ProbeSettings, result: Result) -> None:
    """Probe the chosen environments of one manifest and add the GP9xx findings to ``result``."""
    rules = [r for r in result.rules if r.check_probe is not None]
    where = context.document.path
    if not rules:
        return
    try:
        names = choose_environments(context.manifest, settings.envs)
    except ValueError as exc:
        result.errors.append(f"{where}: {exc}")
        return
    try:
        facts, errors = _probe(context.manifest, names, settings)
    except ImportError:
        result.errors.append(LIVE_EXTRA_HINT)
        return
    probe_context = ProbeContext(context.manifest, context.catalog, context.today, facts)
    run = engine.run(rules, "probe", probe_context, locate, stage_of, where)
    result.findings.extend(run.findings)
    result.crashes.extend(run.crashes)
    result.errors.extend(f"{where}: {e}" for e in errors)
    result.notes.extend(f"{where}: {f.summary()}" for f in facts.values())


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
