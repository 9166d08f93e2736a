"""Output size not constrained, or constrained below what thinking needs.

## What it does
Flags text slots (`task: text` or `image-understanding`) with no
`max_output_tokens`, and slots whose `max_output_tokens` is below the floor
for their thinking level: options `min_tokens_minimal` (default 0, off),
`min_tokens_low` (512), `min_tokens_medium` (1024), `min_tokens_high` (2048).
A slot without `thinking_level` on a model that thinks by level (Gemini 3.x)
is judged at `high`, the default. Models that think by budget or do not
think, and unknown models without a `thinking_level`, get no floor.
Image-generation slots are exempt: an image's size is set by
`image_config` (`image_size` 1K/2K/4K), and the facts give no token cost per
image to judge a cap against.

In code: Gemini generate calls (`generate_content`, `generate_content_stream`,
`chats.create`, the legacy `GenerativeModel(...).generate_content`, their JS/TS
counterparts and the legacy JS `getGenerativeModel(...).generateContent`) whose
config sets no `max_output_tokens` (a config the scanner cannot read is not
judged, nor a model the catalog lists for another task than text). Reported
once per file, at the first such call, with the count: a repository with a
hundred calls gets one finding per file, not a hundred. In JavaScript/TypeScript
the finding and its fix are spelled for @google/genai: `config: { maxOutputTokens: N }`.

## Why is this bad?
Without a cap, a runaway answer (a loop, a repeated list) is bounded only by
the model's output limit and billed in full, and latency grows with it. With
too small a cap on a thinking model the request fails quietly: thinking
tokens are consumed from the same `max_output_tokens` budget, so the answer
comes back with empty text and `finish_reason=MAX_TOKENS`. The floors are
conservative minimums, not sizes; measure `thoughts_token_count` and size
the cap from it.

## Example
```yaml
version: 1
app: demo
models:
  architect:
    id: gemini-3.5-flash
    workload: architecture-analysis
    thinking_level: high
    max_output_tokens: 512
```

Use instead:
```yaml
version: 1
app: demo
models:
  architect:
    id: gemini-3.5-flash
    workload: architecture-analysis
    thinking_level: high
    max_output_tokens: 8192
```

```python
from google import genai

client = genai.Client()
answer = client.models.generate_content(model=MODEL, contents="Summarise this")
```

Use instead:
```python
from google import genai
from google.genai import types

client = genai.Client()
answer = client.models.generate_content(
    model=MODEL, contents="Summarise this",
    config=types.GenerateContentConfig(max_output_tokens=1024))
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule
from preflight.rulekit import spelled

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext

RULE_ID = "GP403"
DEFAULTS: dict[str, Any] = {"min_tokens_minimal": 0, "min_tokens_low": 512,
                            "min_tokens_medium": 1024, "min_tokens_high": 2048}
TEXT_TASKS = frozenset({"text", "image-understanding"})


def check(ctx: ManifestContext) -> Iterator[Problem]:
    opts = ctx.options
    for name, slot in ctx.models():
        if slot.task not in TEXT_TASKS:
            continue
        model = ctx.catalog.get(slot.id)
        thinking = model.thinking if model is not None else None
        cap = slot.max_output_tokens
        if cap is None:
            limit = f" (up to {model.output_token_limit})" if model and model.output_token_limit else ""
            yield Problem(f"slot '{name}' sets no max_output_tokens: output is bounded only by "
                          f"the model's limit{limit}", path=("models", name), on="key",
                          subject=f"models.{name}",
                          fix="set max_output_tokens to what the workload needs plus thinking")
            continue
        level = slot.thinking_level
        if thinking in ("none", "budget"):
            continue
        if level is None and thinking == "levels":
            level, why = "high", " (no thinking_level: Gemini 3.x thinks at HIGH)"
        elif level is not None:
            why = ""
        else:
            continue
        floor = int(opts[f"min_tokens_{level}"])
        if cap < floor:
            yield Problem(
                f"max_output_tokens {cap} is below {floor} for thinking level {level}{why}: "
                "thinking uses the same budget, so answers can come back empty (MAX_TOKENS)",
                path=("models", name, "max_output_tokens"), subject=f"models.{name}",
                fix=f"raise max_output_tokens to {floor} or more, or lower thinking_level",
            )


GENERATE = frozenset({"generate", "stream", "chat", "legacy"})


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    open_ended = []
    for call in ctx.file.calls:
        model = ctx.catalog.get(call.model) if call.model else None
        if call.kind in GENERATE and call.config_known and not call.output_cap \
                and (model is None or model.task in TEXT_TASKS):
            open_ended.append(call)
    if open_ended:
        first, count = open_ended[0], len(open_ended)
        field = spelled(first.language, "max_output_tokens", "maxOutputTokens")
        yield Problem(f"{count} Gemini call{'s' if count > 1 else ''} in this file set no "
                      f"{field} (reported once per file, at the first)",
                      line=first.line, column=first.column, cell=first.cell, subject="max_output_tokens",
                      fix=spelled(first.language,
                                  "pass config=types.GenerateContentConfig(max_output_tokens=N)",
                                  "pass config: { maxOutputTokens: N }")
                      + " sized for the answer (thinking tokens count against it)")


RULE = Rule(
    id=RULE_ID,
    name="output-unconstrained",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="Output size is constrained",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
    options=DEFAULTS,
)
