"""Output token limit above what the model can produce.

## What it does
Flags a model slot whose `max_output_tokens` is above the model's output token
limit in the catalog, and a `migration_plan.fallback` whose limit is below the
slot's `max_output_tokens` (switching to it would break the same way). Models
whose limit the catalog does not know are not checked.

## Why is this bad?
A request whose `max_output_tokens` exceeds the model's limit is refused with
400 INVALID_ARGUMENT ("the supported range is from 1 (inclusive) to …") instead
of being trimmed, so every call of that slot fails. Keep the limit at what the
model can produce, and below it for what the task needs: output size is what
costs time and money.

## Example
```yaml
version: 1
app: demo
models:
  chat:
    id: gemini-3-flash-preview
    id_env: CHAT_MODEL
    max_output_tokens: 100000
```

Use instead:
```yaml
version: 1
app: demo
models:
  chat:
    id: gemini-3-flash-preview
    id_env: CHAT_MODEL
    max_output_tokens: 8192
```
"""

from __future__ import annotations

from collections.abc import Iterator

from preflight.findings import Severity
from preflight.loader import KeyPath
from preflight.rule import ManifestContext, Problem, Rule


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for use in ctx.slot_models():
        wanted = use.config.max_output_tokens
        model = ctx.catalog.get(use.model_id)
        limit = model.output_token_limit if model is not None else None
        if wanted is None or limit is None or wanted <= limit:
            continue
        own: KeyPath = ("models", use.slot, "max_output_tokens")
        yield Problem(
            f"max_output_tokens {wanted} of slot '{use.slot}' is above the output limit "
            f"of {use.role} '{use.model_id}' ({limit})",
            path=use.path if use.is_fallback else own, subject=f"{use.slot}:{use.model_id}",
            fix=f"choose a fallback that allows {wanted} output tokens, or lower "
            f"max_output_tokens to {limit}" if use.is_fallback
            else f"set max_output_tokens to at most {limit}",
        )


RULE = Rule(
    id="GP308",
    name="token-limit",
    severity=Severity.ERROR,
    checklist="Max output tokens are within the model's limits",
    doc=__doc__ or "",
    check_manifest=check,
)
