"""The model is not served where the environment sends its requests (live probe).

## What it does
For each model slot (and its `migration_plan.fallback`), makes one free
`countTokens` call on exactly the endpoint google-genai would use for the
environment: the regional host (`us-central1-aiplatform.googleapis.com`), the
`global` host, the `us`/`eu` multi-region hosts, Vertex AI express mode, or the
Developer API (`v1` for google-genai 3.x, `v1beta` before). A 404 means the
model is not served there; the finding names the locations the catalog knows
for it. Runs only with `probe` or `check --live`.

## Why is this bad?
Vertex AI serves each model in some locations only, and the Developer API serves
some IDs on one API version only (`gemini-*-latest` on `v1beta`). Elsewhere every
request fails with 404 NOT_FOUND. Catalog data lags behind Google; the probe asks
Google itself.

## Example
```probe
manifest:
  version: 1
  app: demo
  environments:
    production:
      route: vertex
      project: acme-genai-prod
      location: us-central1
      auth: {method: service-account-key-file}
  models:
    chat: {id: gemini-3.5-flash}
credentials: service-account-key-file
google:
  POST */locations/us-central1/*/models/gemini-3.5-flash:countTokens:
    status: 404
    error:
      status: NOT_FOUND
      message: Publisher Model `gemini-3.5-flash` was not found or your project does not have access to it.
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
  POST */locations/us-central1/*/models/gemini-3.5-flash:countTokens:
    status: 404
    error:
      status: NOT_FOUND
      message: Publisher Model `gemini-3.5-flash` was not found or your project does not have access to it.
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import Problem, Rule

if TYPE_CHECKING:  # the probes' facts load with the probes (--live), not with the rule
    from preflight.probes.facts import ModelFacts, ProbeContext


def check(ctx: ProbeContext) -> Iterator[Problem]:
    from preflight.probes.facts import category

    for facts in ctx.probed():
        for model in facts.models:
            if model.error is None or category("model", model.error) != "model-not-served":
                continue
            role = "fallback model" if model.key[0] == "migration_plan" else "model"
            known = _known_locations(ctx, model) if facts.env.route == "vertex" else ""
            yield Problem(
                f"environment '{facts.name}': {role} '{model.model_id}' of slot '{model.slot}' is "
                f"not served in {model.where}: {model.error.describe()}{known}",
                path=("models", model.slot, *model.key), env=facts.name,
                subject=f"{facts.name}:{model.slot}:{model.model_id}",
                fix="use a location (or API version) that serves the model, or another model",
            )


def _known_locations(ctx: ProbeContext, model: ModelFacts) -> str:
    entry = ctx.catalog.get(model.model_id)
    if entry is None or entry.locations is None:
        return " (the catalog does not know where it is served)"
    if not entry.locations:
        return " (the catalog says Vertex AI does not serve it)"
    return f" (the catalog knows it in: {', '.join(sorted(entry.locations))})"


RULE = Rule(
    id="GP907",
    name="model-not-served-in-location",
    severity=Severity.ERROR,
    checklist="Each model is served where the app sends its requests (live)",
    doc=__doc__ or "",
    check_probe=check,
)
