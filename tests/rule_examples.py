"""Run a rule over the code block of its documentation (used by the rule gate).

Each input kind registers how its examples run: ``yaml`` examples are
manifests. Other kinds (source files, probes) add an entry to RUNNERS. A rule
with no check of its own (produced by the suppression pass) runs as "suppression".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

from preflight import api
from preflight.findings import Finding
from preflight.rule import Rule
from tests.conftest import TODAY


def _manifest(rule: Rule, code: str) -> list[Finding]:
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "gemini-deploy.yaml"
        path.write_text(code, encoding="utf-8")
        result = api.check([path], api.Options(select=(rule.id,), today=TODAY))
    assert not result.errors and not result.crashes, result.errors + result.crashes
    return result.findings


def _suppression(rule: Rule, code: str) -> list[Finding]:
    """Rules with no check of their own (GP001, GP002) come from the suppression pass:
    run every rule over the example manifest, then the pass every report goes through."""
    from preflight import postprocess

    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "gemini-deploy.yaml"
        path.write_text(code, encoding="utf-8")
        options = api.Options(today=TODAY)
        result = api.check([path], options)
        postprocess.finish(result, options)
    assert not result.errors and not result.crashes, result.errors + result.crashes
    return result.findings


RUNNERS: dict[str, Callable[[Rule, str], list[Finding]]] = {"yaml": _manifest,
                                                            "suppression": _suppression}


def findings_for_example(rule: Rule, language: str, code: str) -> list[Finding]:
    runner = RUNNERS.get(language if rule.kinds else "suppression")
    assert runner is not None, f"{rule.id}: no runner for '{language}' examples"
    return runner(rule, code)
