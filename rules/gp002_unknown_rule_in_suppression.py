"""Suppression comment that names no known rule.

## What it does
Flags a `# gemini-preflight: ignore[...]` comment that names an ID no rule has
(a typo such as `GP3O2`, a prefix such as `GP3`, a rule of another tool), with
a did-you-mean when one is close, and a bare `# gemini-preflight: ignore` that
names no rule at all.

This rule has no check of its own: the suppression pass that applies inline
comments after every rule has run produces it (see docs/configuration.md).
Select or ignore it like any other rule.

## Why is this bad?
A misspelt suppression silences nothing, so the finding it was meant for still
fails the build, and the author may "fix" that by widening the ignore list in
the configuration instead. A blanket ignore with no rule hides every present and
future finding on the line, including a leaked key. Naming exact rule IDs keeps
suppressions narrow and reviewable.

## Example
```yaml
version: 1
app: demo
models:
  architect:  # gemini-preflight: ignore[GP320]
    id: gemini-3.1-pro-preview
```

Use instead:
```yaml
version: 1
app: demo
models:
  architect:  # gemini-preflight: ignore[GP302]
    id: gemini-3.1-pro-preview
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import Problem, Rule

if TYPE_CHECKING:
    from preflight.suppress import Misuse


def check(misuse: Misuse) -> Iterator[Problem]:
    """A comment names an ID that is no rule, or no rule at all."""
    if misuse.kind != "unknown":
        return
    where = misuse.suppression
    if misuse.name:
        hint = f" (did you mean {misuse.hint}?)" if misuse.hint else ""
        yield Problem(f"suppression names unknown rule '{misuse.name}'{hint}", line=where.line,
                      column=where.column, subject=misuse.name,
                      fix="name rules by ID, e.g. ignore[GP305]; `gemini-preflight rules` lists them")
    else:
        yield Problem("suppression names no rule: a blanket ignore is not allowed", line=where.line,
                      column=where.column, subject="ignore",
                      fix="list the rule IDs it silences, e.g. ignore[GP305]")


RULE = Rule(
    id="GP002",
    name="unknown-rule-in-suppression",
    severity=Severity.WARNING,
    checklist="Inline suppressions name existing rules, never a blanket ignore",
    doc=__doc__ or "",
    check_suppression=check,
)
