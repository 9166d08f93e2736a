"""Token usage is not logged in a staging or production environment.

## What it does
Flags every environment at stage `staging` or `production` whose
`observability.log_token_usage` is not `true` (missing, or `false`).
Development environments are exempt: their traffic is neither billed at
scale nor representative.

In code: the scanned files call Gemini, but none of the Python, notebook or JS
files of the repository (or of the files a manifest covers) shows
`usage_metadata` / `usageMetadata` or one of its token counts. One finding, at
the first Gemini call (by path and line), with the number of calls; any sign
anywhere silences it (precision first: a helper module or a middleware
counts).

## Why is this bad?
Gemini bills by tokens, and thinking tokens count: they come out of the
same output budget (`usage_metadata.thoughts_token_count`). Without logging
`usage_metadata` per request you cannot see cost per feature, a thinking
level that burns tokens on routine work, answers cut off at
`max_output_tokens` (`finish_reason=MAX_TOKENS`), or how close you run to the
quota. Google's production checklist asks for token usage to be logged.

## Example
```yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: global
    observability:
      log_latency: true
```

Use instead:
```yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: global
    observability:
      log_latency: true
      log_token_usage: true
```

```python
import logging

from google import genai

log = logging.getLogger(__name__)
client = genai.Client()
answer = client.models.generate_content(model=MODEL, contents="hello")
log.info("answered")
```

Use instead:
```python
import logging
import time

from google import genai

log = logging.getLogger(__name__)
client = genai.Client()
answer = client.models.generate_content(model=MODEL, contents="hello")
log.info("gemini tokens %s", answer.usage_metadata.total_token_count)
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule
from preflight.rulekit import unset_flags

if TYPE_CHECKING:
    from preflight.scan.context import TreeContext
    from preflight.scan.facts import ModelCall, SourceFile

FIX = ("log response.usage_metadata (prompt, output and thoughts token counts) per request "
       "and set observability.log_token_usage: true")


def check(ctx: ManifestContext) -> Iterator[Problem]:
    yield from unset_flags(ctx, "observability", "log_token_usage", "log token usage", FIX)


def _calls_without(ctx: TreeContext, signal: str) -> Iterator[tuple[SourceFile, ModelCall, int]]:
    """The first Gemini call of the files, with the count, when no file shows ``signal``."""
    calls = sorted(ctx.calls(), key=lambda fc: (fc[0].path, fc[1].line, fc[1].column))
    if calls and not ctx.has_signal(signal):
        yield calls[0][0], calls[0][1], len(calls)


def check_tree(ctx: TreeContext) -> Iterator[Problem]:
    for file, call, count in _calls_without(ctx, "usage"):
        yield Problem(f"the code calls Gemini ({count} call{'s' if count > 1 else ''}) "
                      f"but never reads token usage (usage_metadata)",
                      file=file.path, line=call.line, column=call.column, cell=call.cell,
                      subject="usage",
                      fix="log response.usage_metadata (prompt, candidates, thoughts and total token counts)")


RULE = Rule(
    id="GP602",
    name="tokens-not-logged",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="Token usage is logged",
    doc=__doc__ or "",
    check_manifest=check,
    check_tree=check_tree,
)
