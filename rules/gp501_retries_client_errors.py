"""Retries configured for client errors (4xx other than 408 and 429).

## What it does
Flags every status code in `retry.retry_on` from 400 to 499 except 408
(Request Timeout) and 429 (RESOURCE_EXHAUSTED), such as 400, 401, 403 or 404.

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
"""

from __future__ import annotations

from collections.abc import Iterator

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

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


RULE = Rule(
    id="GP501",
    name="retries-client-errors",
    severity=Severity.ERROR,
    checklist="400-series failures are not retried blindly (429 aside)",
    doc=__doc__ or "",
    check_manifest=check,
)
