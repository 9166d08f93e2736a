"""Transient errors (429, 500, 503) that are never retried.

## What it does
Flags a manifest with no `retry` section, a `retry` section with
`max_retries: 0`, and a `retry_on` list that lacks 429, 500 or 503 (the
finding names the missing codes). A `retry` section without `retry_on` is
fine: google-genai then retries `[408, 429, 500, 502, 503, 504]`.
With no `retry` section the finding points at the `version` key: the problem
is a missing top-level section, and `version` is the one key every manifest
has, so the line is stable and an inline suppression has a place to live.

In code (severity info): a google-genai client with no `retry_options` in a
file whose Gemini calls no retry wrapper covers (and none passes per-call
retry options). A client whose calls live in other files, or whose
`http_options` the scanner cannot read, is not reported. In JavaScript/TypeScript
the finding and its fix are spelled for @google/genai:
`new GoogleGenAI({ httpOptions: { retryOptions: { attempts: 3 } } })`.

## Why is this bad?
google-genai makes no retries at all unless `HttpOptions(retry_options=...)`
is set (every version from 1.24 to 3.4): a single 429 RESOURCE_EXHAUSTED or
503 UNAVAILABLE reaches the user as a failure, although Google documents both
(and 500 INTERNAL) as transient and to be retried with backoff.

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
retry:
  max_retries: 2
  initial_delay_s: 1.0
  retry_on: [429, 500, 503, 504]
```

```python
from google import genai

client = genai.Client()
answer = client.models.generate_content(model=MODEL, contents="hello")
```

Use instead:
```python
from google import genai
from google.genai import types

client = genai.Client(http_options=types.HttpOptions(
    retry_options=types.HttpRetryOptions(attempts=3)))
answer = client.models.generate_content(model=MODEL, contents="hello")
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

TRANSIENT = (429, 500, 503)
FIX = ("add a retry section (max_retries: 2, initial_delay_s: 1.0, retry_on: [429, 500, 503, 504]) "
       "and pass it as HttpOptions(retry_options=HttpRetryOptions(...))")


def check(ctx: ManifestContext) -> Iterator[Problem]:
    retry = ctx.manifest.retry
    if retry is None:
        yield Problem(
            "no retry section: google-genai makes no retries unless retry_options is set, "
            "so every 429/500/503 fails the request",
            path=("version",), on="key", subject="retry", fix=FIX,
        )
        return
    if retry.max_retries == 0:
        yield Problem(
            "max_retries is 0: 429, 500 and 503 are never retried",
            path=("retry", "max_retries"), subject="retry.max_retries",
            fix="set retry.max_retries: 2 with initial_delay_s: 1.0",
        )
        return
    if retry.retry_on is None:
        return
    missing = [code for code in TRANSIENT if code not in retry.retry_on]
    if missing:
        codes = ", ".join(str(code) for code in missing)
        yield Problem(
            f"retry_on lacks {codes}: these transient errors are never retried",
            path=("retry", "retry_on"), subject="retry.retry_on:" + codes,
            fix=f"add {codes} to retry.retry_on",
        )


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    calls = ctx.file.calls
    if not calls or any(c.retried for c in calls):
        return
    for client in ctx.file.clients:
        if not client.reaches_gemini or (client.http is not None and
                                         (client.http.retry is not None or not client.http.known)):
            continue
        mine = [c for c in calls if c.client == client.name] if client.name else calls
        if not mine:
            continue
        lang = client.language
        yield Problem(f"client has no {spelled(lang, 'retry_options', 'retryOptions')} and no retry wraps "
                      f"its {len(mine)} call(s): {spelled(lang, 'google-genai', '@google/genai')} makes a "
                      "single attempt, so one 429 or 503 fails the request",
                      line=client.line, column=client.column, cell=client.cell,
                      subject=f"client:{client.name}", severity=Severity.INFO,
                      fix=spelled(lang, "http_options=types.HttpOptions(retry_options="
                                  "types.HttpRetryOptions(attempts=3))",
                                  "httpOptions: { retryOptions: { attempts: 3 } } in new GoogleGenAI({...})")
                      + " (retries 408, 429 and 5xx with backoff from 1 s)")


RULE = Rule(
    id="GP504",
    name="transient-not-retried",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="429 / 500 / 503 are retried with backoff",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
)
