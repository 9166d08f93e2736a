"""A production environment shares its project with a non-production one.

## What it does
Flags every development or staging environment whose `project` is also the
`project` of a production environment. The finding points at the
non-production environment's `project` and names the production
environment; it counts as a production finding (error).

## Why is this bad?
Quotas, billing budgets, IAM and audit logs are per project. When
development traffic runs in the production project, a load test or a
runaway notebook eats the production quota and produces 429s for real
users, developers hold production permissions, and costs and logs cannot
be told apart. The production checklist asks for separate projects for
development and production.

## Example
```yaml
version: 1
app: demo
environments:
  development:
    route: vertex
    project: acme-genai-prod
    location: global
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
  development:
    route: vertex
    project: acme-genai-dev
    location: global
  production:
    route: vertex
    project: acme-genai-prod
    location: global
```
"""

from __future__ import annotations

from collections.abc import Iterator

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule


def check(ctx: ManifestContext) -> Iterator[Problem]:
    production: dict[str, list[str]] = {}
    for name, env in ctx.environments():
        if env.project and ctx.is_production(name):
            production.setdefault(_key(env.project), []).append(name)
    for name, env in ctx.environments():
        if not env.project or ctx.is_production(name):
            continue
        sharing = production.get(_key(env.project))
        if not sharing:
            continue
        stage = ctx.manifest.stage_of(name)
        prods = ", ".join(f"'{p}'" for p in sharing)
        yield Problem(
            f"{stage} environment '{name}' uses project '{env.project}', the project of "
            f"production environment {prods}",
            path=("environments", name, "project"), env=sharing[0],
            subject=f"{_key(env.project)}:{name}",
            fix=f"give '{name}' its own project; keep '{env.project}' for production only",
        )


def _key(project: str) -> str:
    return project.strip().lower()


RULE = Rule(
    id="GP206",
    name="shared-project",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="Development and production use separate projects",
    doc=__doc__ or "",
    check_manifest=check,
)
