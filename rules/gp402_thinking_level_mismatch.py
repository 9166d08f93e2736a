"""A thinking level that does not fit the workload or the model.

## What it does
For models that think by level (catalog `thinking: levels`, Gemini 3.x),
flags a `thinking_level` above the `routine_max_level` option (default
`medium`, so `high` is flagged) on high-volume routine workloads
(classification, extraction, translation, summarization, routine-coding,
agent-subtask), and one below the `deep_min_level` option (default `medium`,
so `minimal` and `low` are flagged) on deep reasoning workloads
(architecture-analysis, repository-reasoning). `low` counts as too low for
deep work: such calls are few, and a wrong design costs more than thinking.
Also flags any `thinking_level` on a model that thinks by token budget
(`thinking: budget`, Gemini 2.5), and, at severity error (graver: every
call fails), on a model that does not think (`thinking: none`). Unknown
models, unknown thinking support and `workload: other` are not judged.

## Why is this bad?
High thinking on routine high-volume work multiplies token cost and latency
for no gain; minimal thinking on architecture or repository-wide reasoning
gives shallow, wrong answers. Gemini 2.5 takes a `thinking_budget`, not a
level, and models before 2.5 reject a thinking config with 400
INVALID_ARGUMENT.

Options (`GP402`): `routine_max_level` (default `medium`),
`deep_min_level` (default `medium`).

## Example
```yaml
version: 1
app: demo
models:
  tagger:
    id: gemini-3.5-flash
    workload: classification
    thinking_level: high
    max_output_tokens: 4096
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
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

RULE_ID = "GP402"
DEFAULTS: dict[str, Any] = {"routine_max_level": "medium", "deep_min_level": "medium"}
LEVELS = ("minimal", "low", "medium", "high")
ROUTINE = frozenset({"classification", "extraction", "translation", "summarization",
                     "routine-coding", "agent-subtask"})
DEEP = frozenset({"architecture-analysis", "repository-reasoning"})


def _rank(opts: Mapping[str, Any], key: str) -> int:
    if opts[key] not in LEVELS:
        raise ValueError(f"{RULE_ID} option {key} must be one of {', '.join(LEVELS)}; "
                         f"got {opts[key]!r}")
    return LEVELS.index(opts[key])


def check(ctx: ManifestContext) -> Iterator[Problem]:
    opts = ctx.options
    top, floor = _rank(opts, "routine_max_level"), _rank(opts, "deep_min_level")
    for name, slot in ctx.models():
        level = slot.thinking_level
        model = ctx.catalog.get(slot.id) if level is not None else None
        if level is None or model is None:
            continue
        path, subject = ("models", name, "thinking_level"), f"models.{name}"
        if model.thinking == "none":
            yield Problem(f"'{slot.id}' does not think: a thinking config fails with 400 "
                          "INVALID_ARGUMENT", path=path, subject=subject, severity=Severity.ERROR,
                          fix="remove thinking_level from this slot")
        elif model.thinking == "budget":
            yield Problem(f"'{slot.id}' thinks by token budget and takes no thinking_level",
                          path=path, subject=subject,
                          fix="remove thinking_level and set ThinkingConfig(thinking_budget=...) in "
                              "code, or move to a Gemini 3.x model")
        elif model.thinking == "levels" and slot.workload in ROUTINE and LEVELS.index(level) > top:
            yield Problem(f"thinking_level {level} on routine high-volume work ({slot.workload}) "
                          "pays for thinking it does not need", path=path, subject=subject,
                          fix=f"lower thinking_level to low or minimal (at most {LEVELS[top]})")
        elif model.thinking == "levels" and slot.workload in DEEP and LEVELS.index(level) < floor:
            yield Problem(f"thinking_level {level} is too shallow for {slot.workload}",
                          path=path, subject=subject,
                          fix=f"raise thinking_level to high (at least {LEVELS[floor]})")


RULE = Rule(
    id=RULE_ID,
    name="thinking-level-mismatch",
    severity=Severity.WARNING,
    checklist="High thinking is not used for high-volume routine work, nor minimal for deep reasoning",
    doc=__doc__ or "",
    check_manifest=check,
    options=DEFAULTS,
)
