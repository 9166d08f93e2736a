"""Token usage is not logged in a staging or production environment.

## What it does
Flags every environment at stage `staging` or `production` whose
`observability.log_token_usage` is not `true` (missing, or `false`).
Development environments are exempt: their traffic is neither billed at
scale nor representative.

## Why is this bad?
Gemini bills by tokens, and thinking tokens count: they come out of the
same output budget (`usage_metadata.thoughts_token_count`). Without logging
`usage_metadata` per request you cannot see cost per feature, a thinking
level that burns tokens on routine work, answers cut off at
`max_output_tokens` (`finish_reason=MAX_TOKENS`), or how close you run to the
quota. Google's production checklist asks for token usage to be logged.

## Example
```yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: global
    observability:
      log_latency: true
```

Use instead:
```yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: global
    observability:
      log_latency: true
      log_token_usage: true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule
from preflight.rulekit import unset_flags

FIX = ("log response.usage_metadata (prompt, output and thoughts token counts) per request "
       "and set observability.log_token_usage: true")


def check(ctx: ManifestContext) -> Iterator[Problem]:
    yield from unset_flags(ctx, "observability", "log_token_usage", "log token usage", FIX)


RULE = Rule(
    id="GP602",
    name="tokens-not-logged",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="Token usage is logged",
    doc=__doc__ or "",
    check_manifest=check,
)
