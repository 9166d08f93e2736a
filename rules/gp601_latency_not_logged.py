"""Request latency is not logged in a staging or production environment.

## What it does
Flags every environment at stage `staging` or `production` whose
`observability.log_latency` is not `true` (missing, or `false`).
Development environments are exempt: latency there says little about what
users see, and requiring it would only add noise to local setups.

In code: the scanned files call Gemini, but none of the Python, notebook or JS
files of the repository (or of the files a manifest covers) shows a timer
(`time.perf_counter`, `time.monotonic`, `time.time()`, `Date.now()`,
`performance.now()`), an OpenTelemetry span or a histogram, or the words
latency/elapsed/duration. One finding, at the first Gemini call (by path and
line), with the number of calls; any sign anywhere silences it (precision
first: a helper module or a middleware counts).

## Why is this bad?
Without per-request latency you cannot see a slow model, a thinking level
that is too high for the workload, a region far from your users, or requests
that sit in retries and backoff, until users complain. Google's production
checklist asks for request latency to be logged, so that timeouts and
thinking levels can be set from measurements.

## Example
```yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: global
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
started = time.perf_counter()
answer = client.models.generate_content(model=MODEL, contents="hello")
log.info("gemini latency %.3f s", time.perf_counter() - started)
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

FIX = "log each request's latency and set observability.log_latency: true"


def check(ctx: ManifestContext) -> Iterator[Problem]:
    yield from unset_flags(ctx, "observability", "log_latency", "log request latency", FIX)


def _calls_without(ctx: TreeContext, signal: str) -> Iterator[tuple[SourceFile, ModelCall, int]]:
    """The first Gemini call of the files, with the count, when no file shows ``signal``."""
    calls = sorted(ctx.calls(), key=lambda fc: (fc[0].path, fc[1].line, fc[1].column))
    if calls and not ctx.has_signal(signal):
        yield calls[0][0], calls[0][1], len(calls)


def check_tree(ctx: TreeContext) -> Iterator[Problem]:
    for file, call, count in _calls_without(ctx, "latency"):
        yield Problem(f"the code calls Gemini ({count} call{'s' if count > 1 else ''}) "
                      f"but times no call (latency)",
                      file=file.path, line=call.line, column=call.column, cell=call.cell,
                      subject="latency",
                      fix="time each call (time.perf_counter() before and after) and log the latency")


RULE = Rule(
    id="GP601",
    name="latency-not-logged",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="Request latency is logged",
    doc=__doc__ or "",
    check_manifest=check,
    check_tree=check_tree,
)
