"""Model that is not served where an environment sends its requests.

## What it does
For each Vertex environment, flags a slot's model (and `migration_plan.fallback`)
that the catalog does not list in the environment's `location`, or that Vertex
does not serve at all (`gemini-*-latest` aliases); models whose locations are
unknown are left to a live probe. On the Developer API a `-latest` alias is a
warning when google-genai can be 3.x: such aliases exist only on API version
v1beta, 3.x calls v1, and only code can set `GOOGLE_GENAI_API_VERSION=beta`.

In code: a Vertex client (`Client(vertexai=True, ...)` or `enterprise=True`)
with a literal `location=` in a file whose model literals (calls, constants,
defaults) name a model the catalog says is not served in that location.

## Why is this bad?
Vertex serves each model in some locations only; elsewhere requests fail with
404 NOT_FOUND. `gemini-3.5-flash` is served through `global`, not `us-central1`.

## Example
```yaml
version: 1
app: demo
environments:
  production: {route: vertex, project: acme-genai-prod, location: us-central1}
models:
  chat:
    id: gemini-3.5-flash
    id_env: CHAT_MODEL
```

Use instead:
```yaml
version: 1
app: demo
environments:
  production: {route: vertex, project: acme-genai-prod, location: global}
models:
  chat:
    id: gemini-3.5-flash
    id_env: CHAT_MODEL
```

```python
from google import genai

client = genai.Client(vertexai=True, project="acme-genai-prod", location="us-central1")
client.models.generate_content(model="gemini-3.5-flash", contents="hello")
```

Use instead:
```python
from google import genai

client = genai.Client(vertexai=True, project="acme-genai-prod", location="global")
client.models.generate_content(model="gemini-3.5-flash", contents="hello")
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.catalog import Model
from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule
from preflight.versions import may_reach

if TYPE_CHECKING:
    from preflight.manifest import Environment, Sdk
    from preflight.scan.context import SourceContext
    from preflight.scan.facts import ModelRef, Span

Found = tuple[str, str, Severity | None] | None  # message, fix, severity if not the rule's


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for use in ctx.slot_models():
        model = ctx.catalog.get(use.model_id) if use.model_id else None
        if model is None:
            continue
        for env_name, env in ctx.environments():
            found = _vertex(model, env) if env.route == "vertex" else _developer(ctx, model)
            if found:
                message, fix, severity = found
                yield Problem(
                    f"environment '{env_name}': {use.role} '{use.model_id}' of slot '{use.slot}' "
                    f"{message}", path=use.path, env=env_name, fix=fix, severity=severity,
                    subject=f"{use.slot}:{use.model_id}:{env_name}",
                )


def _vertex(model: Model, env: Environment) -> Found:
    location = (env.location or "").strip().lower()
    if model.locations is None or (location and location in model.locations):
        return None
    if not model.locations:
        return ("is not served on Vertex AI",
                "use a fixed model ID that Vertex AI serves, or the Developer API route", None)
    known = sorted(model.locations)  # no location at all is GP605's finding
    return (f"is not served in {location} (known locations: {', '.join(known)})",
            f"set location: {' or '.join(known)}, or choose a model served in {location}",
            None) if location else None


def _developer(ctx: ManifestContext, model: Model) -> Found:
    """A `-latest` alias that needs v1beta, with a google-genai that calls v1 by default."""
    if not model.id.endswith("-latest") or "v1beta" not in model.notes:
        return None
    boundary = next((v for v, change in ctx.catalog.sdk_boundaries("google-genai")
                     if "-latest" in change), None)
    if boundary is None or not _may_reach(ctx.manifest.sdk, boundary):
        return None
    return (f"exists only on API version v1beta, but google-genai >= {boundary} calls v1: "
            "requests fail with 404",
            "use a fixed model ID, or set GOOGLE_GENAI_API_VERSION=beta", Severity.WARNING)


def _may_reach(sdk: Sdk | None, boundary: str) -> bool:
    """Whether the manifest's google-genai (pin, specifier, none = newest) admits ``boundary``+."""
    if sdk is None or sdk.package != "google-genai":
        return False
    return may_reach(sdk.version, boundary) is True


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    locations = {c.location.strip().lower() for c in ctx.file.clients
                 if c.reaches_gemini and c.flag and c.location}
    if not locations:
        return
    seen: set[tuple[int, int]] = set()
    spots: list[tuple[str, ModelRef | Span | None]] = [
        (c.model, c.model_span) for c in ctx.file.calls if c.model and c.model_span]
    spots += [(m.model_id, m) for m in ctx.file.models]
    for model_id, spot in spots:
        model = ctx.catalog.get(model_id)
        if model is None or model.locations is None or spot is None \
                or (spot.line, spot.column) in seen:
            continue
        seen.add((spot.line, spot.column))
        for location in sorted(locations - set(model.locations)):
            where = ", ".join(sorted(model.locations)) or "nowhere on Vertex AI"
            yield Problem(f"'{model_id}' is not served in {location} (known locations: {where})",
                          line=spot.line, column=spot.column, cell=spot.cell,
                          subject=f"{model_id}:{location}",
                          fix=f"use location {' or '.join(sorted(model.locations))}, or a model "
                              f"served in {location}" if model.locations else
                              "use the Developer API route, or a model Vertex AI serves")


RULE = Rule(
    id="GP303",
    name="model-location-mismatch",
    severity=Severity.ERROR,
    checklist="The model is served in the configured location (and API version)",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
)
