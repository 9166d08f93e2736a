"""The Gemini API is not enabled in the project (live probe).

## What it does
Asks Service Usage whether the route's API is enabled in the Vertex project
(`aiplatform.googleapis.com`), and watches every probe call for
`403 PERMISSION_DENIED` with reason `SERVICE_DISABLED` (which also tells for the
Developer API, `generativelanguage.googleapis.com`, in the API key's project).
When the identity may not read Service Usage, the model calls decide. Runs only
with `probe` or `check --live`.

## Why is this bad?
Until the API is enabled every request fails with 403 `SERVICE_DISABLED`. It is
a one-time step per project that new projects and new environments miss.

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
  GET /v1/projects/acme-genai-prod/services/aiplatform.googleapis.com:
    body: {name: projects/123456789012/services/aiplatform.googleapis.com, state: DISABLED}
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
google:
  GET /v1/projects/acme-genai-prod/services/aiplatform.googleapis.com:
    body: {name: projects/123456789012/services/aiplatform.googleapis.com, state: ENABLED}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import Problem, Rule

if TYPE_CHECKING:  # the probes' facts load with the probes (--live), not with the rule
    from preflight.probes.facts import ProbeContext


def check(ctx: ProbeContext) -> Iterator[Problem]:
    from preflight.probes.facts import SERVICES, category

    for facts in ctx.probed():
        name = facts.name
        service = facts.service.name if facts.service else SERVICES[facts.env.route]
        project = facts.project.id if facts.project and facts.project.id else None
        disabled = [e for source, e in facts.errors() if category(source, e) == "api-disabled"]
        if facts.service is not None and facts.service.state == "DISABLED":
            detail = f"Service Usage says {service} is DISABLED"
        elif disabled:
            error = disabled[0]
            service = error.service or service
            project = error.consumer.removeprefix("projects/") or project
            detail = error.describe()
        else:
            continue
        where = f"project {project}" if project else "the API key's project"
        yield Problem(
            f"environment '{name}': {service} is not enabled in {where}: {detail}",
            path=("environments", name, "route"), env=name, subject=f"{name}:{service}",
            fix=f"gcloud services enable {service}" + (f" --project {project}" if project else ""),
        )


RULE = Rule(
    id="GP906",
    name="api-disabled",
    severity=Severity.ERROR,
    checklist="The Gemini API (Vertex AI or Generative Language) is enabled (live)",
    doc=__doc__ or "",
    check_probe=check,
)
