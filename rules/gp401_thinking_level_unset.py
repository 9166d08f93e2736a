"""A thinking model used without a thinking level chosen for its workload.

## What it does
Flags text slots (`task: text` or `image-understanding`) whose model thinks
(catalog `thinking: levels`) and that set no `thinking_level`. The fix
suggests a level from the slot's `workload`; a slot without `workload`
cannot be judged, so the fix asks for one too. Models that think by token
budget (Gemini 2.5, catalog `thinking: budget`) are reported at severity
info (milder): schema v1 has no thinking-budget key, so the budget is chosen
in code. Models that do not think, or whose thinking is unknown to the
catalog, and unknown models are not reported. Image-generation slots are
exempt.

In code (severity info): generate calls to a model that uses thinking
levels (Gemini 3.x in the catalog; the model written as a literal or a module
constant of the file) whose config has no `thinking_config`. Reported once per
file, at the first such call, with the count. Calls whose model or config the
scanner cannot read are not judged. In JavaScript/TypeScript the fix is spelled
for @google/genai: `config: { thinkingConfig: { thinkingLevel: ThinkingLevel.LOW } }`.

## Why is this bad?
Gemini 3.x models default to thinking level HIGH: every request to a routine
classification or extraction slot then pays for, and waits on, thousands of
thinking tokens it does not need. Google's production checklist asks for the
thinking level to be selected by workload: minimal or low for high-volume
routine work, high for deep reasoning.

## Example
```yaml
version: 1
app: demo
models:
  tagger:
    id: gemini-3.5-flash
    workload: classification
    max_output_tokens: 256
```

Use instead:
```yaml
version: 1
app: demo
models:
  tagger:
    id: gemini-3.5-flash
    workload: classification
    thinking_level: minimal
    max_output_tokens: 256
```

```python
from google import genai

client = genai.Client()
label = client.models.generate_content(model="gemini-3.5-flash", contents="Classify: ...")
```

Use instead:
```python
from google import genai
from google.genai import types

client = genai.Client()
label = client.models.generate_content(
    model="gemini-3.5-flash", contents="Classify: ...",
    config=types.GenerateContentConfig(
        thinking_config=types.ThinkingConfig(thinking_level=types.ThinkingLevel.MINIMAL)))
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule
from preflight.rulekit import spelled

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext

TEXT_TASKS = frozenset({"text", "image-understanding"})
SUGGESTED = {
    "classification": "minimal", "extraction": "minimal", "translation": "low",
    "summarization": "low", "routine-coding": "low", "agent-subtask": "low",
    "architecture-analysis": "high", "repository-reasoning": "high",
}
BY_WORKLOAD = "minimal or low for high-volume routine work, high for deep reasoning"


def _fix(workload: str | None) -> str:
    if workload is None:
        return ("add workload: <kind> so the level can be checked, and set thinking_level by it: "
                + BY_WORKLOAD)
    if workload in SUGGESTED:
        return f"set thinking_level: {SUGGESTED[workload]} (workload {workload})"
    return f"choose thinking_level by the work the slot does: {BY_WORKLOAD}"


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for name, slot in ctx.models():
        if slot.task not in TEXT_TASKS or slot.thinking_level is not None:
            continue
        model = ctx.catalog.get(slot.id)
        thinking = model.thinking if model is not None else None
        path = ("models", name)
        if thinking == "levels":
            yield Problem(
                f"slot '{name}' ({slot.id}) sets no thinking_level: Gemini 3.x then thinks at "
                "HIGH, paying cost and latency on every request",
                path=path, on="key", subject=f"models.{name}", fix=_fix(slot.workload),
            )
        elif thinking == "budget":
            yield Problem(
                f"slot '{name}' ({slot.id}) thinks by token budget (dynamic by default), which "
                "the manifest cannot record",
                path=path, on="key", subject=f"models.{name}", severity=Severity.INFO,
                fix="set ThinkingConfig(thinking_budget=...) by workload in code, or move to a "
                    "Gemini 3.x model and set thinking_level",
            )


GENERATE = frozenset({"generate", "stream", "chat", "legacy"})


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    unset = []
    for call in ctx.file.calls:
        model = ctx.catalog.get(call.model) if call.model else None
        if call.kind in GENERATE and call.config_known and not call.thinking \
                and model is not None and model.thinking == "levels":
            unset.append(call)
    if unset:
        first, count = unset[0], len(unset)
        yield Problem(f"{count} call{'s' if count > 1 else ''} to a Gemini 3.x model in this file "
                      "set no thinking level: the model's default applies (reported once per "
                      "file, at the first)",
                      line=first.line, column=first.column, cell=first.cell, subject="thinking",
                      severity=Severity.INFO,
                      fix=spelled(first.language,
                                  "pass thinking_config=types.ThinkingConfig(thinking_level=...)",
                                  "pass config: { thinkingConfig: { thinkingLevel: ThinkingLevel.LOW } } "
                                  "(MINIMAL, LOW, MEDIUM or HIGH)") + " chosen by the work: " + BY_WORKLOAD)


RULE = Rule(
    id="GP401",
    name="thinking-level-unset",
    severity=Severity.WARNING,
    checklist="Thinking level is selected by workload",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
)
