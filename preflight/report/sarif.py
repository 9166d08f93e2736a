"""SARIF 2.1.0 for GitHub code scanning (``--format sarif``).

One run whose driver lists every rule that ran, with its documentation as
help text and Markdown; one result per finding, with a location relative to
the repository root (``uriBaseId`` ``%SRCROOT%``) and a partial fingerprint
that hashes rule, path and subject, so an alert survives lines moving above
it. Tool errors become tool execution notifications. Keys are sorted and
nothing depends on the clock, so the same input gives the same bytes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from preflight import __version__
from preflight.findings import Finding, Severity
from preflight.rule import Rule

if TYPE_CHECKING:
    from preflight.core import Result

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
HOME = "https://github.com/gemini-preflight/gemini-preflight"
RULES_DOC = f"{HOME}/blob/main/docs/rules.md"
FINGERPRINT = "geminiPreflight/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(result: Result, color: bool) -> str:
    rules = _rules(result)
    index = {rule.id: i for i, rule in enumerate(rules)}
    notifications = [{"level": "error", "message": {"text": text}}
                     for text in [*result.errors, *map(str, result.crashes)]]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "gemini-preflight",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": HOME,
            "rules": [descriptor(rule) for rule in rules],
        }},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": not notifications,
                         "toolExecutionNotifications": notifications}],
        "results": [_result(f, index[f.rule_id]) for f in result.findings],
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _rules(result: Result) -> list[Rule]:
    """Every rule that ran, plus any rule a finding names (sorted by ID)."""
    from preflight.engine import all_rules

    known = all_rules()
    chosen = {rule.id: rule for rule in result.rules}
    for finding in result.findings:
        if finding.rule_id not in chosen:
            chosen[finding.rule_id] = known.get(finding.rule_id) or _stand_in(finding)
    return [chosen[rule_id] for rule_id in sorted(chosen)]


def _stand_in(finding: Finding) -> Rule:
    return Rule(id=finding.rule_id, name=finding.rule_name, severity=finding.severity,
                checklist="", doc=finding.rule_name)


def descriptor(rule: Rule) -> dict[str, Any]:
    """A SARIF reportingDescriptor from a rule and its documentation."""
    from preflight.docs import explain

    sections = rule.sections()
    summary = sections.get("summary") or rule.name
    full = sections.get("What it does") or summary
    markdown = [f"**{rule.id} {rule.name}**: {summary}", ""]
    for heading, body in sections.items():
        if heading != "summary":
            markdown += [f"### {heading}", "", body, ""]
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": full},
        "help": {"text": explain(rule, color=False), "markdown": "\n".join(markdown).rstrip() + "\n"},
        "helpUri": f"{RULES_DOC}#{rule.id.lower()}-{rule.name}",
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["gemini-preflight"], "checklist": rule.checklist},
    }


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    loc = finding.location
    text = finding.message + (f"\nFix: {finding.fix}" if finding.fix else "")
    path = loc.where.repo
    artifact: dict[str, Any] = {"uri": _uri(path)}
    if not path.startswith("/"):
        artifact["uriBaseId"] = "%SRCROOT%"
    out: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": {
            "artifactLocation": artifact,
            "region": {"startLine": max(loc.line, 1), "startColumn": max(loc.column, 1)},
        }}],
        "partialFingerprints": {FINGERPRINT: finding.fingerprint},
    }
    if loc.cell is not None:
        out["properties"] = {"notebookCell": loc.cell}
    return out


def _uri(path: str) -> str:
    from urllib.parse import quote

    if path.startswith("/"):
        return "file://" + quote(path)
    return quote(path)
