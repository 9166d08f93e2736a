"""Request latency is not logged in a staging or production environment.

## What it does
Flags every environment at stage `staging` or `production` whose
`observability.log_latency` is not `true` (missing, or `false`).
Development environments are exempt: latency there says little about what
users see, and requiring it would only add noise to local setups.

## Why is this bad?
Without per-request latency you cannot see a slow model, a thinking level
that is too high for the workload, a region far from your users, or requests
that sit in retries and backoff, until users complain. Google's production
checklist asks for request latency to be logged, so that timeouts and
thinking levels can be set from measurements.

## Example
```yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: global
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
```
"""

from __future__ import annotations

from collections.abc import Iterator

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule
from preflight.rulekit import unset_flags

FIX = "log each request's latency and set observability.log_latency: true"


def check(ctx: ManifestContext) -> Iterator[Problem]:
    yield from unset_flags(ctx, "observability", "log_latency", "log request latency", FIX)


RULE = Rule(
    id="GP601",
    name="latency-not-logged",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="Request latency is logged",
    doc=__doc__ or "",
    check_manifest=check,
)
