"""A production environment that authenticates with an API key.

## What it does
Flags every environment at stage `production` that authenticates with an API
key: `auth.method: api-key` (including Vertex express mode), or
`route: developer-api`, which always sends a key. The finding points at the
route, or at the auth method when the route is Vertex.

## Why is this bad?
An API key is a bearer secret: whoever holds a copy can spend the project's
quota, it does not expire, and it ends up in env files, CI logs and chat
messages. Google's production checklist asks production to run on Vertex AI
with Application Default Credentials: the attached service account of Cloud
Run, GKE or Compute Engine, or workload identity federation elsewhere. Those
credentials are short-lived, bound to an identity and governed by IAM.
Standard `AIza` keys are being phased out for the Gemini API during 2026.

## Example
```yaml
version: 1
app: demo
environments:
  production:
    route: developer-api
    auth:
      method: api-key
      api_key_env: GEMINI_API_KEY
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
    auth:
      method: attached-service-account
```
"""

from __future__ import annotations

from collections.abc import Iterator

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

FIX = ("use route: vertex with project and location, and auth.method: "
       "attached-service-account (or workload-identity outside Google Cloud)")


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for name, env in ctx.environments():
        if not ctx.is_production(name):
            continue
        path = ("environments", name)
        if env.route == "developer-api":
            yield Problem(
                f"production environment '{name}' uses the Developer API, "
                "which always authenticates with an API key",
                path=(*path, "route"), env=name, subject=f"{name}:developer-api", fix=FIX,
            )
        elif env.auth is not None and env.auth.method == "api-key":
            yield Problem(
                f"production environment '{name}' authenticates to Vertex with an API key "
                "(express mode) instead of an attached identity",
                path=(*path, "auth", "method"), env=name, subject=f"{name}:api-key", fix=FIX,
            )


RULE = Rule(
    id="GP203",
    name="api-key-in-production",
    severity=Severity.ERROR,
    checklist="Production uses ADC / an attached identity, not an API key",
    doc=__doc__ or "",
    check_manifest=check,
)
