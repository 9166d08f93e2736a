"""Model ID that is not in the model catalog.

## What it does
Flags a model slot whose `id`, or whose `migration_plan.fallback`, names a model
the catalog does not know (after normalising `models/…` and Vertex resource
names to the bare ID), and suggests the closest current model.

In code it checks model-ID literals passed to calls or assigned as
configuration (`MODEL_ID = "…"`, `os.environ.get("MODEL", "…")`).

## Why is this bad?
A misspelt or invented model ID is only noticed when the first request fails
with 404 NOT_FOUND, usually in production. `gemini-3.5-pro` does not exist: the
current Pro model is `gemini-3.1-pro-preview`. A fallback that does not exist
turns the migration plan into a second outage.

## Example
```yaml
version: 1
app: demo
models:
  architect:
    id: gemini-3.5-pro
    id_env: ARCHITECT_MODEL
```

Use instead:
```yaml
version: 1
app: demo
models:
  architect:
    id: gemini-3.1-pro-preview
    id_env: ARCHITECT_MODEL
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.edits import Fix, Fixable, replace_literal
from preflight.findings import Severity
from preflight.loader import KeyPath
from preflight.rule import ManifestContext, Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for use in ctx.slot_models():
        if ctx.catalog.get(use.model_id) is None:
            what = f"the fallback of slot '{use.slot}'" if use.is_fallback else f"model slot '{use.slot}'"
            yield _unknown(ctx, use.model_id, use.path, what)


def _unknown(ctx: ManifestContext, model_id: str, path: KeyPath, what: str) -> Problem:
    guess = ctx.catalog.suggest(model_id, ctx.today)
    hint = f"; did you mean '{guess}'?" if guess else ""
    mark = ctx.document.values.get(path)
    return Problem(
        f"unknown model '{model_id}' in {what}{hint}",
        path=path, subject=model_id,
        fix=f"use '{guess}'" if guess else "use a model ID that Google lists for your route",
        autofix=_swap(mark.line, mark.column, model_id, guess) if guess and mark else None,
    )


def _swap(line: int, column: int, model_id: str, guess: str, cell: int | None = None) -> Fix:
    """Unsafe: the did-you-mean is a guess, and another model behaves differently."""
    bare = model_id.rsplit("/", 1)[-1]
    return replace_literal(line, column, bare, guess, cell, f"use '{guess}' (a guess: review it)",
                           safe=False)


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    for ref in ctx.file.models:
        if ctx.catalog.get(ref.model_id) is None:
            guess = ctx.catalog.suggest(ref.model_id, ctx.today)
            hint = f"; did you mean '{guess}'?" if guess else ""
            yield Problem(f"unknown model '{ref.model_id}' in code{hint}", line=ref.line,
                          column=ref.column, cell=ref.cell, subject=ref.model_id,
                          fix=f"use '{guess}'" if guess else "use a model ID Google lists",
                          autofix=_swap(ref.line, ref.column, ref.model_id, guess, ref.cell)
                          if guess else None)

RULE = Rule(
    id="GP301",
    name="unknown-model",
    severity=Severity.ERROR,
    checklist="The model ID names a model Google serves (model catalog)",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
    fixable=Fixable("sometimes", safe=False),
)
