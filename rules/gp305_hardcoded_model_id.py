"""Model ID that the deployed app cannot change without a code change.

## What it does
Flags a model slot without `id_env`, the environment variable through which the
deployed app reads its model ID, and an `id_env` that is not a valid
environment variable name.

This is a warning in every stage, production included: a hard-coded ID works
today, and the cost only shows on the day the model is retired.

In code it flags a model-ID literal passed straight into a call (`model=`,
`model_name=`, `GenerativeModel("…")`, `from_pretrained("…")`; in JavaScript and
TypeScript the `model` of the object given to `generateContent`, `chats.create`,
`live.connect`, `getGenerativeModel`, `new ChatGoogleGenerativeAI` and the like; in Go the
model argument of `client.GenerativeModel("…")`, `client.Models.GenerateContent(ctx, "…", …)`,
`client.Chats.Create`, `client.Live.Connect` and their siblings; in Java the model
argument of `client.models.generateContent("…", …)`, `client.chats.create("…")` and
their siblings, `new GenerativeModel("…", vertexAI)` and `setModelName("…")`; in Kotlin
`GenerativeModel(modelName = "…")` and Firebase's `generativeModel("…")` too).
Configuration is not flagged: assignments (`MODEL_ID = "…"  # @param` in Colab forms),
parameter defaults, and defaults of `os.environ.get("MODEL", "…")` or `add_argument` (in Go
`const`/`var` declarations, `Model:` fields and `cmp.Or(os.Getenv("MODEL"), "…")` fallbacks;
in Java `static final String` constants and `System.getenv().getOrDefault("MODEL", "…")`).

## Why is this bad?
Google's production checklist asks that the actual model ID be configurable.
Models are retired on a published schedule (`gemini-2.0-flash` on 2026-06-01,
`gemini-2.5-flash` on Vertex in October 2026), and retired IDs answer 404.
With the ID read from configuration, moving to the replacement or to the
migration plan's fallback is a configuration change; with a literal in the
code it is a code change, a review and a release, under time pressure.

## Example
```yaml
version: 1
app: demo
models:
  chat:
    id: gemini-3.5-flash
```

Use instead:
```yaml
version: 1
app: demo
models:
  chat:
    id: gemini-3.5-flash
    id_env: CHAT_MODEL
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for name, slot in ctx.models():
        suggested = _env_name_for(name)
        if slot.id_env is None or not slot.id_env.strip():
            yield Problem(
                f"model slot '{name}' hard-codes '{slot.id}': no id_env to change it on deploy",
                path=("models", name, "id"), subject=f"{name}:{slot.id}",
                fix=f"read the model ID from an environment variable and declare it, "
                f"e.g. id_env: {suggested}",
            )
        elif not ENV_NAME.match(slot.id_env):
            yield Problem(
                f"id_env '{slot.id_env}' of model slot '{name}' is not an environment "
                "variable name",
                path=("models", name, "id_env"), subject=f"{name}:{slot.id_env}",
                fix=f"use letters, digits and underscores, e.g. id_env: {suggested}",
            )


def _env_name_for(slot_name: str) -> str:
    base = re.sub(r"[^A-Z0-9]+", "_", slot_name.upper()).strip("_")
    return f"{base}_MODEL" if base and not base[0].isdigit() else "MODEL_ID"


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    example = 'process.env.CHAT_MODEL ?? …' if ctx.file.kind in ("js", "html") \
        else 'os.environ.get("CHAT_MODEL", ...)'
    if ctx.file.kind == "go":
        example = 'cmp.Or(os.Getenv("CHAT_MODEL"), …)'
    elif ctx.file.kind in ("java", "kotlin"):
        example = 'System.getenv("CHAT_MODEL")'
    for ref in ctx.file.models:
        if ref.usage == "call":
            yield Problem(f"model ID '{ref.model_id}' is hardcoded in a call ({ref.where})",
                          line=ref.line, column=ref.column, cell=ref.cell, subject=ref.model_id,
                          fix=f"read it from configuration, e.g. {example}")

RULE = Rule(
    id="GP305",
    name="hardcoded-model-id",
    severity=Severity.WARNING,
    checklist="The actual model ID is configurable (no bare literal in calls)",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
)
