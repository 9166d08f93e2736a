"""The credential found is not the one the manifest describes (live probe).

## What it does
Compares the credential google-genai would use with the environment's `auth`:
the kind (read from google-auth's class: gcloud user, service-account key file,
attached service account, workload identity, impersonated) against
`auth.method`, and the service-account e-mail against `auth.service_account`.
Also reports `GOOGLE_API_KEY` and `GEMINI_API_KEY` both set to different values:
google-genai uses `GOOGLE_API_KEY` (the legacy SDK used `GEMINI_API_KEY`); that
case stays a warning in production. Runs only with `probe` or `check --live`.

## Why is this bad?
The app would run as another identity than the one reviewed: a developer's
gcloud login instead of the attached service account, or a downloaded key file
where the manifest promises keyless auth. Permissions, quotas, billing and audit
logs then belong to the wrong principal, and the deployment breaks when the
stray credential disappears. On GKE, Workload Identity answers through the
metadata server, so it counts as `workload-identity` too.

## Example
```probe
manifest:
  version: 1
  app: demo
  environments:
    production:
      route: vertex
      project: acme-genai-prod
      location: global
      auth: {method: attached-service-account}
  models:
    chat: {id: gemini-3.5-flash}
credentials: service-account-key-file
```

Use instead:
```probe
manifest:
  version: 1
  app: demo
  environments:
    production:
      route: vertex
      project: acme-genai-prod
      location: global
      auth: {method: attached-service-account}
  models:
    chat: {id: gemini-3.5-flash}
credentials: attached-service-account
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import Problem, Rule

if TYPE_CHECKING:  # the probes' facts load with the probes (--live), not with the rule
    from preflight.probes.facts import ProbeContext


def accepts() -> dict[str, set[str]]:
    """The kinds of credential each ``auth.method`` accepts."""
    from preflight.probes import facts as f

    return {
        "api-key": {f.API_KEY},
        "attached-service-account": {f.ATTACHED},
        "workload-identity": {f.WORKLOAD, f.ATTACHED},  # GKE Workload Identity: the metadata server
        "service-account-key-file": {f.KEY_FILE},
    }


def check(ctx: ProbeContext) -> Iterator[Problem]:
    from preflight.probes.facts import API_KEY

    for facts in ctx.probed():
        cred, auth, name = facts.credentials, facts.env.auth, facts.name
        if cred.key_conflict and facts.uses_api_key:
            first, second = cred.key_conflict
            yield Problem(
                f"environment '{name}': {first} and {second} are both set, to different keys; "
                f"google-genai uses {first}",
                path=("environments", name, "auth"), on="key", env=name, severity=Severity.WARNING,
                subject=f"{name}:api-key-variables", fix=f"unset one of them (keep {first} "
                "or pass api_key= explicitly)",
            )
        if cred.kind is None or auth is None:
            continue
        accepted = accepts().get(auth.method)
        wrong = cred.kind not in accepted if accepted else cred.kind == API_KEY
        if wrong:
            yield Problem(
                f"environment '{name}': auth.method is {auth.method}, but the credential found "
                f"is {cred.label} (from {cred.source})",
                path=("environments", name, "auth", "method"), env=name,
                subject=f"{name}:kind:{cred.kind}",
                fix="run where the declared identity is available, or correct auth.method",
            )
        want, got = auth.service_account, cred.principal
        if want and got and want.lower() != got.lower():
            yield Problem(
                f"environment '{name}': auth.service_account is {want}, but the credentials "
                f"act as {got}",
                path=("environments", name, "auth", "service_account"), env=name,
                subject=f"{name}:principal", fix="use the declared service account, or correct "
                "auth.service_account",
            )


RULE = Rule(
    id="GP903",
    name="credential-mismatch",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="The app authenticates as the identity the manifest declares (live)",
    doc=__doc__ or "",
    check_probe=check,
)
