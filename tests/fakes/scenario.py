"""Probe examples in rule docs (fence language ``probe``), played against the fake Google.

A scenario is YAML::

    manifest: {...}                       # the gemini-deploy.yaml
    credentials: service-account-key-file # none | api-key | service-account-key-file |
                                          # attached-service-account
    env: {GEMINI_API_KEY: <another API key>}   # <...key...> becomes a fresh test key
    google:                               # answers that differ from "everything works"
      POST */models/gemini-3.5-flash:countTokens:
        status: 404
        error: {status: NOT_FOUND, message: "...", reason: ..., metadata: {...}}
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from preflight import api
from preflight.findings import Finding
from preflight.probes import ProbeSettings
from preflight.rule import Rule
from tests.conftest import TODAY
from tests.fakes.keys import api_key
from tests.fakes.sandbox import sandbox

PLACEHOLDER = re.compile(r"^<[^<>]*key[^<>]*>$", re.IGNORECASE)


def run_probe_example(rule: Rule, code: str) -> list[Finding]:
    scenario: dict[str, Any] = yaml.safe_load(code)
    keys: dict[str, str] = {}
    env = {name: keys.setdefault(value, api_key()) if PLACEHOLDER.match(str(value)) else str(value)
           for name, value in (scenario.get("env") or {}).items()}
    with sandbox(scenario.get("credentials", "none"), env) as box:
        for key, answer in (scenario.get("google") or {}).items():
            method, _, pattern = key.partition(" ")
            error = answer.get("error")
            box.fake.on(method, pattern, answer.get("status", 200), answer.get("body"),
                        error=(error["status"], error["message"], error.get("reason", ""))
                        if error else None,
                        metadata=error.get("metadata") if error else None)
        path = box.folder / "gemini-deploy.yaml"
        path.write_text(yaml.safe_dump(scenario["manifest"], sort_keys=False), encoding="utf-8")
        result = api.probe([path], api.Options(select=(rule.id,), today=TODAY),
                           ProbeSettings(sleep=lambda seconds: None, timeout=5))
    assert not result.errors and not result.crashes, result.errors + [str(c) for c in result.crashes]
    return result.findings
