"""A downloaded service-account key file as an environment's identity.

## What it does
Flags every environment with `auth.method: service-account-key-file`: a JSON
key downloaded for a service account and handed to the app (usually through
`GOOGLE_APPLICATION_CREDENTIALS`). Warning; error in production.

## Why is this bad?
A service-account key is a long-lived private key: it does not expire until
someone deletes it, it works from anywhere, and copies end up in images,
CI variables, laptops and repositories. Whoever holds one acts as the
service account. Google recommends against user-managed keys: on Cloud Run,
GKE or Compute Engine use the attached service account (ADC reads it from the
metadata server), and outside Google Cloud use workload identity federation,
which trades the platform's own token for short-lived Google credentials.

## Example
```yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: global
    auth:
      method: service-account-key-file
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
      service_account: genai-runner@acme-genai-prod.iam.gserviceaccount.com
```
"""

from __future__ import annotations

from collections.abc import Iterator

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

FIX = ("use auth.method: attached-service-account on Google Cloud, or workload-identity "
       "elsewhere, then delete the downloaded key")


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for name, env in ctx.environments():
        if env.auth is None or env.auth.method != "service-account-key-file":
            continue
        who = f" for {env.auth.service_account}" if env.auth.service_account else ""
        yield Problem(
            f"environment '{name}' authenticates with a downloaded service-account key "
            f"file{who}, a long-lived credential",
            path=("environments", name, "auth", "method"), env=name,
            subject=f"{name}:service-account-key-file", fix=FIX,
        )


RULE = Rule(
    id="GP205",
    name="key-file-auth",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="No downloaded service-account key serves as an identity",
    doc=__doc__ or "",
    check_manifest=check,
)
