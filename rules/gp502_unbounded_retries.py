"""More than two retries, or a retry section with no bound.

## What it does
Flags a `retry` section whose `max_retries` is above the `max_retries` option
(default 2, Google's guidance), and a `retry` section that sets no
`max_retries` at all. A manifest without any `retry` section is GP504's case.

In code: a retry around a Gemini call with no bound: tenacity without
`stop=`, `backoff.on_exception` without `max_tries`/`max_time`, and a
`while True` loop whose `except` sleeps or continues with no way out
(`raise`, `return`, `break`). `google.api_core.retry.Retry` always has a
deadline (120 s by default) and is not reported. The number of retries in
code is not compared with the `max_retries` option (only manifests are).

## Why is this bad?
Each retry of a rate-limited (429) or overloaded (503) call adds load at the
moment the service is shedding it, and multiplies latency for the user.
Google's Vertex guidance for 429 is no more than two retries with at least one
second between them. A retry section with no `max_retries` falls back to
google-genai's `HttpRetryOptions` default `attempts=5`, which is the first
call plus four retries (`attempts` counts the first call: `max_retries: 2` is
`attempts=3`); against a persistent 429 that takes about 15-20 s to fail.

Option (`GP502`): `max_retries` (default 2), the most retries accepted.

## Example
```yaml
version: 1
app: demo
retry:
  max_retries: 5
  retry_on: [429, 500, 503]
```

Use instead:
```yaml
version: 1
app: demo
retry:
  max_retries: 2
  retry_on: [429, 500, 503]
```

```python
import time

from google import genai

client = genai.Client()


def ask(prompt):
    while True:
        try:
            return client.models.generate_content(model=MODEL, contents=prompt)
        except Exception:
            time.sleep(2)
```

Use instead:
```python
import time

from google import genai
from google.genai import errors

client = genai.Client()


def ask(prompt):
    for attempt in range(3):
        try:
            return client.models.generate_content(model=MODEL, contents=prompt)
        except errors.ServerError:
            if attempt == 2:
                raise
            time.sleep(2 ** attempt)
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext

RULE_ID = "GP502"
DEFAULTS: dict[str, Any] = {"max_retries": 2}


def check(ctx: ManifestContext) -> Iterator[Problem]:
    retry = ctx.manifest.retry
    if retry is None:
        return
    limit = int(ctx.options["max_retries"])
    fix = (f"set retry.max_retries to at most {limit} "
           f"(google-genai HttpRetryOptions(attempts={limit + 1}): attempts counts the first call)")
    if retry.max_retries is None:
        yield Problem(
            "retry sets no max_retries: google-genai's HttpRetryOptions then defaults to "
            "attempts=5, i.e. 4 retries",
            path=("retry",), on="key", subject="retry", fix=fix,
        )
    elif retry.max_retries > limit:
        yield Problem(
            f"max_retries is {retry.max_retries}; retry at most {limit} times, then fail "
            "or fall back",
            path=("retry", "max_retries"), subject="retry.max_retries", fix=fix,
        )


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    for wrapper in ctx.file.retries:
        if wrapper.bounded is not False:
            continue
        why = {"tenacity": "has no stop=", "backoff": "has no max_tries or max_time",
               "loop": "never gives up (no raise, return or break in its except)"}
        yield Problem(f"{wrapper.detail} around a Gemini call {why.get(wrapper.kind, 'has no bound')}: "
                      "a lasting 429 or outage retries forever",
                      line=wrapper.line, column=wrapper.column, cell=wrapper.cell,
                      subject=f"{wrapper.kind}:{wrapper.function}",
                      fix="bound it: stop=stop_after_attempt(3), max_tries=3, or a counted loop")


RULE = Rule(
    id=RULE_ID,
    name="unbounded-retries",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="Retries are bounded: at most two retries",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
    options=DEFAULTS,
)
