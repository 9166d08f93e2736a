"""A probe call failed in a way no other GP9xx rule explains (live probe).

## What it does
Reports every probe answer that is an error but not one of the known cases
(credentials, project, disabled API, model not served, access denied, quota):
a `5xx` that persists after two retries with backoff, a `400 INVALID_ARGUMENT` or
`FAILED_PRECONDITION` (for example billing required, or the free tier not
available in the country), or anything unexpected. Shows the HTTP status, the
canonical status and the ErrorInfo reason. Runs only with `probe` or
`check --live`.

## Why is this bad?
The probe could not confirm the deployment works; the answer usually points at
an outage (`503 UNAVAILABLE`) or at a project setting that blocks every request.

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
      auth: {method: service-account-key-file}
  models:
    chat: {id: gemini-3.5-flash}
credentials: service-account-key-file
google:
  POST */models/gemini-3.5-flash:countTokens:
    status: 503
    error: {status: UNAVAILABLE, message: The service is currently unavailable.}
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
      auth: {method: service-account-key-file}
  models:
    chat: {id: gemini-3.5-flash}
credentials: service-account-key-file
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import Problem, Rule

if TYPE_CHECKING:  # the probes' facts load with the probes (--live), not with the rule
    from preflight.probes.facts import ProbeContext

WHAT = {"project": "reading the project", "service": "reading Service Usage"}


def check(ctx: ProbeContext) -> Iterator[Problem]:
    from preflight.probes.facts import category

    for facts in ctx.probed():
        for model in facts.models:
            if model.error is not None and category("model", model.error) == "failed":
                yield Problem(
                    f"environment '{facts.name}': countTokens for '{model.model_id}' in "
                    f"{model.where} failed: {model.error.describe()}",
                    path=("models", model.slot, *model.key), env=facts.name,
                    subject=f"{facts.name}:{model.slot}:{model.model_id}", fix=_fix(model.error.http),
                )
        for source, error in facts.errors():
            if source != "model" and category(source, error) == "failed":
                yield Problem(
                    f"environment '{facts.name}': {WHAT[source]} failed: {error.describe()}",
                    path=("environments", facts.name), on="key", env=facts.name,
                    subject=f"{facts.name}:{source}:failed", fix=_fix(error.http),
                )


def _fix(http: int) -> str:
    if http >= 500:
        return "Google is failing right now: probe again later, and check the Google Cloud status page"
    return "read Google's message: the project or key is not set up for this call"


RULE = Rule(
    id="GP910",
    name="probe-call-failed",
    severity=Severity.WARNING,
    checklist="Every probe call gets an answer that confirms the deployment (live)",
    doc=__doc__ or "",
    check_probe=check,
)
