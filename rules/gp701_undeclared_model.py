"""A Gemini call in code whose model the manifest covering it does not declare.

## What it does
When a manifest covers source files (its `source.paths`, or its folder in an
audit), flags every Gemini call whose model, written as a literal or a module
constant, is not one of the manifest's model slots (`models.<slot>.id`) or
their `migration_plan.fallback`. Spellings are compared through the catalog
(`models/gemini-3.5-flash` is `gemini-3.5-flash`). A manifest with no
`models` section declares nothing and is not compared; calls whose model is
read from configuration are not judged.

## Why is this bad?
The manifest is what the checks of models run on: retirement dates, preview
migration plans, locations, tools, token limits. A model used in code but
missing from the manifest escapes all of them, and the manifest no longer
says what the application runs.

## Example
```files
# file: gemini-deploy.yaml
version: 1
app: demo
models:
  chat:
    id: gemini-3.5-flash
# file: app.py
from google import genai

client = genai.Client()
client.models.generate_content(model="gemini-3.1-pro-preview", contents="hi")
```

Use instead:
```files
# file: gemini-deploy.yaml
version: 1
app: demo
models:
  chat:
    id: gemini-3.5-flash
  architect:
    id: gemini-3.1-pro-preview
# file: app.py
from google import genai

client = genai.Client()
client.models.generate_content(model="gemini-3.1-pro-preview", contents="hi")
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import TreeContext


def check_tree(ctx: TreeContext) -> Iterator[Problem]:
    manifest = ctx.manifest
    if manifest is None or not manifest.models:
        return
    declared: set[str] = set()
    for slot in manifest.models.values():
        fallback = slot.migration_plan.fallback if slot.migration_plan else None
        declared.update(ctx.canonical(m) for m in (slot.id, fallback) if m)
    names = ", ".join(sorted(declared))
    for file, call in ctx.calls():
        if not call.model or ctx.canonical(call.model) in declared:
            continue
        spot = call.model_span or call
        yield Problem(f"{call.method}() uses '{call.model}', which {ctx.manifest_path} does not "
                      f"declare (declared: {names})",
                      file=file.path, line=spot.line, column=spot.column, cell=spot.cell,
                      subject=f"undeclared:{ctx.canonical(call.model)}",
                      fix=f"add a model slot for {call.model} to {ctx.manifest_path}, or call a "
                          "declared model")


RULE = Rule(
    id="GP701",
    name="undeclared-model",
    severity=Severity.WARNING,
    checklist="The manifest declares every model the code calls",
    doc=__doc__ or "",
    check_tree=check_tree,
)
