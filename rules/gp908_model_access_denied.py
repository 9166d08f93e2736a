"""The identity may not call the model (live probe).

## What it does
Reports a `403 PERMISSION_DENIED` on the free `countTokens` call that is not
about a disabled API or an invalid project: a missing IAM permission (reason
`IAM_PERMISSION_DENIED`, permission `aiplatform.endpoints.predict` on Vertex AI)
or an API key whose restrictions block the API (`API_KEY_SERVICE_BLOCKED`).
Names the principal the probe ran as. Runs only with `probe` or `check --live`.

## Why is this bad?
The deployment's identity needs a role that allows prediction (for example
`roles/aiplatform.user`) in the project; a new service account or a new project
usually lacks it, and every request then fails with 403.

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
    status: 403
    error:
      status: PERMISSION_DENIED
      message: Permission 'aiplatform.endpoints.predict' denied on resource.
      reason: IAM_PERMISSION_DENIED
      metadata: {permission: aiplatform.endpoints.predict}
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
    from preflight.probes.facts import EnvFacts, ProbeContext


def check(ctx: ProbeContext) -> Iterator[Problem]:
    from preflight.probes.facts import category

    for facts in ctx.probed():
        who = facts.credentials.principal or facts.credentials.label
        for model in facts.models:
            if model.error is None or category("model", model.error) != "denied":
                continue
            yield Problem(
                f"environment '{facts.name}': {who} may not call '{model.model_id}' in "
                f"{model.where}: {model.error.describe()}",
                path=("models", model.slot, *model.key), env=facts.name,
                subject=f"{facts.name}:{model.slot}:{model.model_id}", fix=_fix(facts, who),
            )


def _fix(facts: EnvFacts, who: str) -> str:
    if facts.uses_api_key:
        return "check the API key's API restrictions in the Cloud console (APIs & Services > Credentials)"
    project = facts.project.id if facts.project and facts.project.id else "the project"
    return f"grant {who} a role with aiplatform.endpoints.predict (roles/aiplatform.user) on {project}"


RULE = Rule(
    id="GP908",
    name="model-access-denied",
    severity=Severity.ERROR,
    checklist="The deployment's identity may call the model (live)",
    doc=__doc__ or "",
    check_probe=check,
)
