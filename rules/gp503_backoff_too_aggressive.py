"""Retry backoff that starts too soon, does not grow, or has no jitter.

## What it does
Checks the backoff of a `retry` section that retries at all (`max_retries`
not 0). Flags `initial_delay_s` under the `min_initial_delay_s` option
(default 1.0 s), a `multiplier` of 1 or less (no exponential growth), and a
`max_delay_s` below the first delay (every wait is cut to the cap; a missing
`initial_delay_s` counts as google-genai's default 1.0 s). `jitter: false` is
reported at severity info: it is milder, as it only synchronises clients.
Keys left out are not reported: google-genai's defaults (1 s, x2, jitter)
apply.

In code: `HttpRetryOptions(initial_delay=...)` under the minimum, and a
retry around a Gemini call whose first wait is under it: tenacity
`wait_fixed(0.1)`, `wait_exponential(multiplier=0.1)` (first wait
`max(multiplier, min)`), no `wait=` at all (tenacity retries at once),
`backoff.on_exception(..., factor=0.1)` or `backoff.constant(interval=0.2)`,
`Retry(initial=0.25)`, and a loop that sleeps a fixed `time.sleep(0.2)`. A
wait computed at run time (`time.sleep(2 ** attempt)`) is not judged.

## Why is this bad?
Google's guidance for 429 and 503 is truncated exponential backoff with
jitter: wait about 1 s, then 2 s, 4 s ... plus a random fraction, up to a cap,
with at least one second before the first retry. Retrying sooner, or at a
fixed interval, hits the quota or the overloaded service again before it
recovers, and turns one rate-limit error into several. Without jitter every
client that failed together retries together.

Option (`GP503`): `min_initial_delay_s` (default 1.0).

## Example
```yaml
version: 1
app: demo
retry:
  max_retries: 2
  initial_delay_s: 0.1
  multiplier: 1.0
  retry_on: [429, 500, 503]
```

Use instead:
```yaml
version: 1
app: demo
retry:
  max_retries: 2
  initial_delay_s: 1.0
  max_delay_s: 30
  multiplier: 2.0
  jitter: true
  retry_on: [429, 500, 503]
```

```python
from google import genai
from google.genai import types

client = genai.Client(http_options=types.HttpOptions(
    retry_options=types.HttpRetryOptions(attempts=3, initial_delay=0.1)))
```

Use instead:
```python
from google import genai
from google.genai import types

client = genai.Client(http_options=types.HttpOptions(
    retry_options=types.HttpRetryOptions(attempts=3, initial_delay=1.0)))
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext

RULE_ID = "GP503"
DEFAULTS: dict[str, Any] = {"min_initial_delay_s": 1.0}
SDK_INITIAL_DELAY_S = 1.0  # google-genai HttpRetryOptions.initial_delay default


def check(ctx: ManifestContext) -> Iterator[Problem]:
    retry = ctx.manifest.retry
    if retry is None or retry.max_retries == 0:
        return
    minimum = float(ctx.options["min_initial_delay_s"])
    if retry.initial_delay_s is not None and retry.initial_delay_s < minimum:
        yield Problem(
            f"initial_delay_s is {retry.initial_delay_s:g} s; wait at least {minimum:g} s "
            "before the first retry",
            path=("retry", "initial_delay_s"), subject="retry.initial_delay_s",
            fix=f"set retry.initial_delay_s: {minimum:g} or more",
        )
    if retry.multiplier is not None and retry.multiplier <= 1:
        yield Problem(
            f"multiplier is {retry.multiplier:g}: delays do not grow exponentially",
            path=("retry", "multiplier"), subject="retry.multiplier",
            fix="set retry.multiplier: 2.0 (1 s, 2 s, 4 s ...)",
        )
    first = SDK_INITIAL_DELAY_S if retry.initial_delay_s is None else retry.initial_delay_s
    if retry.max_delay_s is not None and retry.max_delay_s < first:
        yield Problem(
            f"max_delay_s ({retry.max_delay_s:g} s) is below the first delay ({first:g} s): "
            "every wait is cut to the cap",
            path=("retry", "max_delay_s"), subject="retry.max_delay_s",
            fix="set retry.max_delay_s well above initial_delay_s (for example 30)",
        )
    if retry.jitter is False:
        yield Problem(
            "jitter is off: clients that failed together retry together",
            path=("retry", "jitter"), subject="retry.jitter", severity=Severity.INFO,
            fix="set retry.jitter: true",
        )


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    minimum = float(ctx.options["min_initial_delay_s"])
    fix = f"wait at least {minimum:g} s before the first retry, growing exponentially"
    https = [c.http for c in ctx.file.clients if c.reaches_gemini] + [c.http for c in ctx.file.calls]
    for http in https:
        retry = http.retry if http is not None else None
        if retry is not None and retry.initial_delay is not None and retry.initial_delay < minimum:
            where = retry.delay_span or retry
            yield Problem(f"initial_delay is {retry.initial_delay:g} s; wait at least {minimum:g} s",
                          line=where.line, column=where.column, cell=where.cell,
                          subject="initial_delay", fix=fix)
    for wrapper in ctx.file.retries:
        if wrapper.first_delay is None or wrapper.first_delay >= minimum:
            continue
        spot = wrapper.delay_span or wrapper
        yield Problem(f"{wrapper.detail} around a Gemini call waits {wrapper.first_delay:g} s "
                      f"before retrying; wait at least {minimum:g} s",
                      line=spot.line, column=spot.column, cell=spot.cell,
                      subject=f"{wrapper.kind}:{wrapper.function}", fix=fix)


RULE = Rule(
    id=RULE_ID,
    name="backoff-too-aggressive",
    severity=Severity.WARNING,
    checklist="Retries use exponential backoff with jitter, starting at one second or more",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
    options=DEFAULTS,
)
