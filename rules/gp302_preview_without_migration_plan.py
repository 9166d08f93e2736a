"""Preview model without a migration plan.

## What it does
Flags model slots whose model is a preview or experimental model and that have
no `migration_plan` with a `fallback` model and a `review_by` date (or whose
`review_by` date has passed).

## Why is this bad?
Preview models can change or be shut down at short notice: `gemini-3-pro-preview`
was shut down on 2026-03-09, and requests to it now fail with 404. Google's
production checklist asks for a documented plan before a preview model serves
production traffic: which GA model to fall back to, who owns the move, and
when it is reviewed.

## Example
```yaml
version: 1
app: demo
models:
  architect:
    id: gemini-3.1-pro-preview
```

Use instead:
```yaml
version: 1
app: demo
models:
  architect:
    id: gemini-3.1-pro-preview
    migration_plan:
      fallback: gemini-3.5-flash
      owner: platform-team
      review_by: 2027-03-01
```
"""

from __future__ import annotations

from collections.abc import Iterator

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for name, slot in ctx.models():
        model = ctx.catalog.get(slot.id)
        if model is None or model.stage == "ga":
            continue
        plan = slot.migration_plan
        path = ("models", name)
        if plan is None:
            yield Problem(
                f"{model.stage} model '{slot.id}' has no migration_plan",
                path=path, on="key", subject=slot.id,
                fix="add migration_plan with a GA fallback, an owner and a review_by date",
            )
            continue
        if plan.fallback is None:
            yield Problem(f"migration plan for '{slot.id}' names no fallback model",
                          path=(*path, "migration_plan"), on="key", subject=slot.id)
        if plan.review_by is None:
            yield Problem(f"migration plan for '{slot.id}' has no review_by date",
                          path=(*path, "migration_plan"), on="key", subject=slot.id)
        elif plan.review_by < ctx.today:
            yield Problem(
                f"migration plan for '{slot.id}' was due for review on {plan.review_by}",
                path=(*path, "migration_plan", "review_by"), subject=slot.id,
            )


RULE = Rule(
    id="GP302",
    name="preview-without-migration-plan",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="Preview models have a documented migration plan",
    doc=__doc__ or "",
    check_manifest=check,
)
