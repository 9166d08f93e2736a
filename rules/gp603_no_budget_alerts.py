"""A production environment without billing alerts.

## What it does
Flags every environment at stage `production` whose `quotas.billing_alerts`
is not `true`. When the environment states a `monthly_budget_usd` but no
alerts, the message names the budget: a budget nobody is alerted about
does not stop or signal anything. Development and staging are exempt.

## Why is this bad?
Gemini charges per token, and a loop, a retry storm, a thinking level left at
HIGH or a leaked key can multiply the bill within hours. A Cloud Billing
budget with alerts is the only signal before the invoice; quotas alone do not
tell anyone. Google's production checklist asks for quotas and billing
alerts to be configured.

## Example
```yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: global
    quotas:
      monthly_budget_usd: 2000
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
    quotas:
      billing_alerts: true
      monthly_budget_usd: 2000
```
"""

from __future__ import annotations

from collections.abc import Iterator

from preflight.findings import Severity
from preflight.loader import KeyPath
from preflight.rule import ManifestContext, Problem, Rule

FIX = ("create a Cloud Billing budget with alert thresholds for the project "
       "and set quotas.billing_alerts: true")


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for name, env in ctx.environments():
        if ctx.manifest.stage_of(name) != "production":
            continue
        path: KeyPath = ("environments", name)
        quotas = env.quotas
        if quotas is not None and quotas.billing_alerts is True:
            continue
        where: KeyPath = path
        if quotas is None:
            what = "has no quotas section (no billing alerts)"
        elif quotas.billing_alerts is False:
            where, what = (*path, "quotas", "billing_alerts"), "has billing_alerts: false"
        else:
            where, what = (*path, "quotas"), "sets no billing_alerts"
        if quotas is not None and quotas.monthly_budget_usd is not None:
            what += f": its monthly budget of ${quotas.monthly_budget_usd:g} alerts nobody"
        yield Problem(f"production environment '{name}' {what}",
                      path=where, on="key", env=name, subject=name, fix=FIX)


RULE = Rule(
    id="GP603",
    name="no-budget-alerts",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="Quotas and billing alerts are configured",
    doc=__doc__ or "",
    check_manifest=check,
)
