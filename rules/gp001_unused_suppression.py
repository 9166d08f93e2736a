"""Suppression comment that silences nothing.

## What it does
Flags a `# gemini-preflight: ignore[GPxxx]` comment when a rule it names ran on
that file but reported nothing on the comment's line or the line below it. Each
unused rule ID in a comment is reported once. Rules that did not run (not
selected, or ignored for that file by `per-file-ignores`) are never reported
as unused.

This rule has no check of its own: the suppression pass that applies inline
comments after every rule has run produces it (see docs/configuration.md).
Select or ignore it like any other rule.

## Why is this bad?
A suppression outlives the problem it was written for: the key is rotated, the
model ID moves to configuration, and the comment stays. A stale suppression then
hides the next, real problem that lands on the same line, silently. Removing
unused suppressions keeps every remaining one meaningful.

## Example
```yaml
version: 1
app: demo
models:
  chat:
    id: gemini-3.5-flash  # gemini-preflight: ignore[GP302]
    max_output_tokens: 2048
```

Use instead:
```yaml
version: 1
app: demo
models:
  chat:
    id: gemini-3.5-flash
    max_output_tokens: 2048
```
"""

from __future__ import annotations

from preflight.findings import Severity
from preflight.rule import Rule

RULE = Rule(
    id="GP001",
    name="unused-suppression",
    severity=Severity.WARNING,
    checklist="Inline suppressions stay accurate: each one silences a real finding",
    doc=__doc__ or "",
)
