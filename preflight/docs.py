"""Rule documentation rendered from the rules themselves.

``rules`` (text, markdown, json), ``explain ID``, and ``docs/rules.md``
all come from here; nothing is copied by hand.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import click

from preflight.rule import Rule

REFERENCE_HEADER = (
    "# Rules reference\n\n"
    "<!-- Generated from the rule pack by `python -m preflight.docs > docs/rules.md`. "
    "Do not edit by hand: tests/test_docs.py fails when this file is stale. -->\n\n"
)


def _severities(rule: Rule) -> str:
    prod = rule.production_severity
    base = rule.severity.label
    return base if prod is None or prod == rule.severity else f"{base} ({prod.label} in production)"


def fixability(rule: Rule) -> str:
    """``sometimes (safe)``, ``always (unsafe)``, or ``no``."""
    return rule.fixable.label if rule.fixable else "no"


def rules_listing(rules: Iterable[Rule], fmt: str) -> str:
    rules = list(rules)
    if fmt == "json":
        data = [
            {
                "id": r.id,
                "name": r.name,
                "severity": r.severity.label,
                "production_severity": (r.production_severity or r.severity).label,
                "checks": r.kinds,
                "fix": ({"availability": r.fixable.availability, "safe": r.fixable.safe}
                        if r.fixable else None),
                "checklist": r.checklist,
                "summary": r.sections().get("What it does", ""),
            }
            for r in rules
        ]
        return json.dumps(data, indent=2) + "\n"
    if fmt == "markdown":
        lines = ["| ID | name | severity | checks | fix | checklist line |",
                 "|---|---|---|---|---|---|"]
        lines += [
            f"| [{r.id}](#{r.id.lower()}-{r.name}) | {r.name} | {_severities(r)} | "
            f"{', '.join(r.kinds)} | {fixability(r)} | {r.checklist} |"
            for r in rules
        ]
        return "\n".join(lines) + "\n"
    width = max((len(r.name) for r in rules), default=10)
    sev = max((len(_severities(r)) for r in rules), default=10)
    lines = [f"{r.id}  {r.name:<{width}}  {_severities(r):<{sev}}  "
             f"{'fix: ' + fixability(r) if r.fixable else ''}".rstrip() for r in rules]
    return "\n".join(lines) + "\n"


def explain(rule: Rule, color: bool = False) -> str:
    title = f"{rule.id} {rule.name}"
    head = click.style(title, bold=True) if color else title
    lines = [
        head,
        "",
        f"Severity: {_severities(rule)}",
        f"Checks: {', '.join(rule.kinds)}",
        f"Fix: {fixability(rule)}",
        f"Checklist: {rule.checklist}",
        "",
    ]
    for heading, body in rule.sections().items():
        if heading == "summary":
            if body:
                lines += [body, ""]
            continue
        lines += [click.style(heading, bold=True) if color else heading, "", body, ""]
    return "\n".join(lines).rstrip() + "\n"


def options_section(rule: Rule) -> str:
    """The rule's options and their defaults, as set under ``rules:`` in the configuration."""
    rows = "".join(f"| `{name}` | `{json.dumps(value)}` |\n" for name, value in rule.options.items())
    example = "\n".join(f"    {name}: {json.dumps(value)}" for name, value in rule.options.items())
    return ("### Options\n\n| option | default |\n|---|---|\n" + rows
            + f"\nIn `.gemini-preflight.yaml` (or `[tool.gemini-preflight.rules.{rule.id}]`):\n\n"
            f"```yaml\nrules:\n  {rule.id}:\n{example}\n```\n\n")


def reference(rules: Iterable[Rule]) -> str:
    rules = list(rules)
    parts = [REFERENCE_HEADER, rules_listing(rules, "markdown"), "\n"]
    for rule in rules:
        parts.append(f"## {rule.id} {rule.name}\n\n")
        parts.append(f"- Severity: {_severities(rule)}\n- Checks: {', '.join(rule.kinds)}\n")
        parts.append(f"- Fix: {fixability(rule)}\n")
        parts.append(f"- Checklist: {rule.checklist}\n\n")
        for heading, body in rule.sections().items():
            if heading == "summary":
                continue
            parts.append(f"### {heading}\n\n{body}\n\n")
        if rule.options:
            parts.append(options_section(rule))
    return "".join(parts).rstrip() + "\n"


if __name__ == "__main__":  # python -m preflight.docs > docs/rules.md
    from preflight.engine import all_rules

    click.echo(reference(all_rules().values()), nl=False)
