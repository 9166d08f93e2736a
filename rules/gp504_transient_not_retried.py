"""Transient errors (429, 500, 503) that are never retried.

## What it does
Flags a manifest with no `retry` section, a `retry` section with
`max_retries: 0`, and a `retry_on` list that lacks 429, 500 or 503 (the
finding names the missing codes). A `retry` section without `retry_on` is
fine: google-genai then retries `[408, 429, 500, 502, 503, 504]`.
With no `retry` section the finding points at the `version` key: the problem
is a missing top-level section, and `version` is the one key every manifest
has, so the line is stable and an inline suppression has a place to live.

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
"""

from __future__ import annotations

from collections.abc import Iterator

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

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


RULE = Rule(
    id="GP504",
    name="transient-not-retried",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="429 / 500 / 503 are retried with backoff",
    doc=__doc__ or "",
    check_manifest=check,
)
