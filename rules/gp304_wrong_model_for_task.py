"""Model that cannot do the slot's task.

## What it does
Flags a model slot with `task: image-generation` whose model is not an image
generation model, and a slot with `task: text` (the default) or
`task: image-understanding` whose model is an image-generation, text-to-speech,
embedding or Live API model. The `migration_plan.fallback` is checked the same
way.

In code: a Gemini call whose task the catalog's model does not do:
`generate_images`/`edit_image`/`upscale_image`, or `generate_content` with
`response_modalities` including `IMAGE`, on a model that is not an image
model; `embed_content` on a model that is not an embedding model;
`live.connect` on a model that is not a Live / native-audio model. Only a
model written as a literal (or a module constant) and known to the catalog is
judged.

## Why is this bad?
A text model asked for an image answers with text (or refuses
`response_modalities=["IMAGE"]`), and an image, speech, embedding or Live model
behind a chat slot fails or returns the wrong kind of output. Either way the
feature is broken from the first request, and a wrong fallback breaks it on
the day of the switch.

## Example
```yaml
version: 1
app: demo
models:
  images:
    id: gemini-3.5-flash
    id_env: IMAGE_MODEL
    task: image-generation
```

Use instead:
```yaml
version: 1
app: demo
models:
  images:
    id: gemini-3.1-flash-image
    id_env: IMAGE_MODEL
    task: image-generation
```

```python
from google import genai

client = genai.Client()
client.models.embed_content(model="gemini-3.5-flash", contents="hello")
```

Use instead:
```python
from google import genai

client = genai.Client()
client.models.embed_content(model="gemini-embedding-001", contents="hello")
```
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from preflight.catalog import Catalog
from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext
    from preflight.scan.facts import ModelCall

NOT_FOR_TEXT = frozenset({"image-generation", "video-generation", "tts", "embedding", "live"})


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for use in ctx.slot_models():
        model = ctx.catalog.get(use.model_id) if use.model_id else None
        if model is None:
            continue
        task = use.config.task
        if task == "image-generation":
            wrong, needed = model.task != "image-generation", "image-generation"
        else:
            wrong, needed = model.task in NOT_FOR_TEXT, "text"
        if not wrong:
            continue
        better = _example(ctx.catalog, needed, ctx.today)
        yield Problem(
            f"slot '{use.slot}' has task {task} but {use.role} '{use.model_id}' is made "
            f"for {model.task}",
            path=use.path, subject=f"{use.slot}:{use.model_id}",
            fix=f"use {'an' if needed[0] in 'aeiou' else 'a'} {needed} model"
            + (f" such as {better}" if better else ""),
        )


def _example(catalog: Catalog, task: str, today: date) -> str | None:
    """The newest GA model for ``task`` not retired today, to name in the fix."""
    fits = [m for m in catalog.models.values() if m.task == task and m.stage == "ga"
            and m.released is not None and m.status(today) != "retired"]
    return max(fits, key=lambda m: (m.released or date.min, m.id)).id if fits else None


def _needed(call: ModelCall) -> str | None:
    if call.kind == "image" or (call.kind in ("generate", "stream") and "IMAGE" in call.modalities):
        return "image-generation"
    return {"embed": "embedding", "live": "live"}.get(call.kind)


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    for call in ctx.file.calls:
        needed = _needed(call)
        model = ctx.catalog.get(call.model) if call.model else None
        if needed is None or model is None or model.task == needed:
            continue
        spot = call.model_span or call
        better = _example(ctx.catalog, needed, ctx.today)
        yield Problem(f"{call.method}() needs {'an' if needed[0] in 'aeiou' else 'a'} {needed} "
                      f"model, but '{call.model}' is made for {model.task}",
                      line=spot.line, column=spot.column, cell=spot.cell,
                      subject=f"{call.kind}:{call.model}",
                      fix=f"use {'an' if needed[0] in 'aeiou' else 'a'} {needed} model"
                          + (f" such as {better}" if better else ""))


RULE = Rule(
    id="GP304",
    name="wrong-model-for-task",
    severity=Severity.ERROR,
    checklist="Image generation uses an image model; a text model does not generate images",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
)
