"""The Vertex project is not ACTIVE (live probe).

## What it does
Reads the project's `state` with Resource Manager (`projects.get`) and reports
any state other than `ACTIVE`, such as `DELETE_REQUESTED` (shut down, pending
deletion). Runs only with `probe` or `check --live`.

## Why is this bad?
A project that was shut down stops serving every API at once; it is deleted for
good after 30 days. Requests fail although the manifest, the code and the
credentials all look right.

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
  GET /v3/projects/acme-genai-prod:
    body: {name: projects/123456789012, projectId: acme-genai-prod, state: DELETE_REQUESTED}
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
  GET /v3/projects/acme-genai-prod:
    body: {name: projects/123456789012, projectId: acme-genai-prod, state: ACTIVE}
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
    for facts in ctx.probed():
        project = facts.project
        if project is None or project.state in (None, "ACTIVE"):
            continue
        yield Problem(
            f"environment '{facts.name}': project '{project.id}' is {project.state}, not ACTIVE",
            path=("environments", facts.name, "project"), env=facts.name,
            subject=f"{facts.name}:project-state",
            fix=f"restore it (`gcloud projects undelete {project.id}`) or use an active project",
        )


RULE = Rule(
    id="GP905",
    name="project-not-active",
    severity=Severity.ERROR,
    checklist="The Vertex project is ACTIVE (live)",
    doc=__doc__ or "",
    check_probe=check,
)
