"""Suppression comment that silences nothing.

## What it does
Flags a `# gemini-preflight: ignore[GPxxx]` comment when a rule it names ran on
that file but reported nothing on the lines it covers: its own line, and the
line below it when the comment stands alone on its line. Each
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

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import Problem, Rule

if TYPE_CHECKING:
    from preflight.suppress import Misuse


def check(misuse: Misuse) -> Iterator[Problem]:
    """A rule a comment names ran on the file and reported nothing where it covers."""
    if misuse.kind != "unused":
        return
    where = misuse.suppression
    fix = f"remove {misuse.name} from the comment" if len(where.names) > 1 else "remove the comment"
    yield Problem(f"unused suppression: {misuse.name} reports nothing on {where.scope}",
                  line=where.line, column=where.column, subject=misuse.name, fix=fix)


RULE = Rule(
    id="GP001",
    name="unused-suppression",
    severity=Severity.WARNING,
    checklist="Inline suppressions stay accurate: each one silences a real finding",
    doc=__doc__ or "",
    check_suppression=check,
)
