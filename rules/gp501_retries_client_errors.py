"""Retries configured for client errors (4xx other than 408 and 429).

## What it does
Flags every status code in `retry.retry_on` from 400 to 499 except 408
(Request Timeout) and 429 (RESOURCE_EXHAUSTED), such as 400, 401, 403 or 404.

In code: `HttpRetryOptions(http_status_codes=[...])` naming a 4xx code other
than 408/429, and a retry around a Gemini call that catches every error: a
tenacity `@retry`/`Retrying` with no `retry=` filter (tenacity then retries
every exception) or one on `Exception`/`APIError`/`ClientError`, a
`backoff.on_exception` on those classes without `giveup=`, a
`google.api_core.retry.Retry` whose predicate accepts them, and a
hand-written loop whose `except` catches them without looking at `e.code`.
A filter on `ServerError`, a predicate function, or a handler that reads the
status stays silent.

## Why is this bad?
A 4xx answer means the request itself is wrong and will fail the same way
again: 400 INVALID_ARGUMENT (malformed request, invalid API key, token limit,
billing or region precondition), 401 UNAUTHENTICATED (credentials), 403
PERMISSION_DENIED (API disabled, missing IAM role), 404 NOT_FOUND (model
unknown, retired or not served in this location). Google's guidance is to
never retry 400/401/403/404: retrying only multiplies the calls, delays the
error and hides the real cause. 429 is the exception (a rate limit: retry with
backoff), and 408 is retried by google-genai's own default list
(`HttpRetryOptions.http_status_codes = [408, 429, 500, 502, 503, 504]`).

## Example
```yaml
version: 1
app: demo
retry:
  max_retries: 2
  retry_on: [400, 429, 500, 503]
```

Use instead:
```yaml
version: 1
app: demo
retry:
  max_retries: 2
  retry_on: [429, 500, 503, 504]
```

```python
import tenacity
from google import genai

client = genai.Client()


@tenacity.retry(stop=tenacity.stop_after_attempt(3), wait=tenacity.wait_exponential(min=1))
def ask(prompt):
    return client.models.generate_content(model=MODEL, contents=prompt)
```

Use instead:
```python
import tenacity
from google import genai
from google.genai import errors

client = genai.Client()


@tenacity.retry(stop=tenacity.stop_after_attempt(3), wait=tenacity.wait_exponential(min=1),
                retry=tenacity.retry_if_exception_type(errors.ServerError))
def ask(prompt):
    return client.models.generate_content(model=MODEL, contents=prompt)
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext

RETRYABLE_4XX = frozenset({408, 429})
MEANING = {
    400: "INVALID_ARGUMENT: the request is wrong",
    401: "UNAUTHENTICATED: fix the credentials",
    403: "PERMISSION_DENIED: enable the API or grant the role",
    404: "NOT_FOUND: the model or resource does not exist here",
}


def check(ctx: ManifestContext) -> Iterator[Problem]:
    retry = ctx.manifest.retry
    if retry is None or not retry.retry_on:
        return
    for index, code in enumerate(retry.retry_on):
        if 400 <= code <= 499 and code not in RETRYABLE_4XX:
            meaning = MEANING.get(code, "a client error that fails the same way again")
            yield Problem(
                f"retry_on includes {code} ({meaning}); retrying it never helps",
                path=("retry", "retry_on", index), subject=f"retry_on:{code}",
                fix=f"remove {code} from retry.retry_on; of the 4xx codes retry only 408 and 429",
            )


def _codes(ctx: SourceContext) -> Iterator[Problem]:
    https = [c.http for c in ctx.file.clients if c.reaches_gemini] + [c.http for c in ctx.file.calls]
    for http in https:
        retry = http.retry if http is not None else None
        if retry is None or retry.status_codes is None:
            continue
        bad = [c for c in retry.status_codes if 400 <= c <= 499 and c not in RETRYABLE_4XX]
        where = retry.status_span
        if bad and where is not None:
            yield Problem(f"http_status_codes retries {', '.join(map(str, bad))}: "
                          f"{MEANING.get(bad[0], 'a client error that fails the same way again')}",
                          line=where.line, column=where.column, cell=where.cell,
                          subject=f"http_status_codes:{','.join(map(str, bad))}",
                          fix="retry only 408, 429 and 5xx (the SDK default list)")


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    yield from _codes(ctx)
    for wrapper in ctx.file.retries:
        if wrapper.catches not in ("everything", "api-error"):
            continue
        what = "every exception" if wrapper.catches == "everything" else \
            "every APIError/ClientError without looking at its status"
        yield Problem(f"{wrapper.detail} around a Gemini call retries {what}: 400/401/403/404 "
                      "fail the same way again",
                      line=wrapper.line, column=wrapper.column, cell=wrapper.cell,
                      subject=f"{wrapper.kind}:{wrapper.function}:{wrapper.catches}",
                      fix="retry only errors.ServerError and APIError with code 429 "
                          "(or 408), e.g. retry_if_exception(lambda e: e.code in (429, 503))")


RULE = Rule(
    id="GP501",
    name="retries-client-errors",
    severity=Severity.ERROR,
    checklist="400-series failures are not retried blindly (429 aside)",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
)
