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
from datetime import timedelta

from preflight.catalog import Model
from preflight.edits import Edit, Fix, Fixable
from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

REVIEW_DAYS = 90


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
                autofix=_skeleton(ctx, name, model),
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


def stable_fallback(ctx: ManifestContext, model: Model) -> str | None:
    """The catalog's replacement when it is GA, else the newest GA model of the same task
    (same tier first); never a retired one."""
    def usable(m: Model | None) -> bool:
        return m is not None and m.stage == "ga" and m.status(ctx.today) != "retired"

    named = ctx.catalog.get(model.replacement) if model.replacement else None
    if named is not None and usable(named):
        return named.id
    pool = [m for m in ctx.catalog.models.values() if usable(m) and m.task == model.task]
    for candidates in ([m for m in pool if m.tier == model.tier], pool):
        dated = [m for m in candidates if m.released is not None]
        if dated:
            return max(dated, key=lambda m: (m.released, m.id)).id
    return None


def _skeleton(ctx: ManifestContext, name: str, model: Model) -> Fix | None:
    """Unsafe: a fallback is a product decision; the skeleton only starts it."""
    fallback = stable_fallback(ctx, model)
    inside = [m for p, m in [*ctx.document.keys.items(), *ctx.document.values.items()]
              if p[:2] == ("models", name) and len(p) > 2]
    slot = ctx.document.keys.get(("models", name))
    first = ctx.document.keys.get(("models", name, "id"))
    if fallback is None or slot is None or first is None or first.line == slot.line or not inside:
        return None
    indent = " " * (first.column - 1)
    review = ctx.today + timedelta(days=REVIEW_DAYS)
    text = (f"{indent}migration_plan:\n{indent}  fallback: {fallback}\n"
            f"{indent}  review_by: {review.isoformat()}\n")
    after = max(m.line for m in inside) + 1
    return Fix(f"add a migration_plan skeleton (fallback {fallback}, review_by {review})",
               (Edit(after, 1, (("", text),), insert=True),), safe=False)


RULE = Rule(
    id="GP302",
    name="preview-without-migration-plan",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="Preview models have a documented migration plan",
    doc=__doc__ or "",
    check_manifest=check,
    fixable=Fixable("sometimes", safe=False),
)
