"""Retry options or timeouts in code that contradict the manifest's `retry` / `timeouts`.

## What it does
When a manifest covers source files, compares each google-genai client's
`http_options` with the manifest:
- `timeout` (milliseconds) against `timeouts.request_s` (seconds);
- `retry_options`: `attempts` against `retry.max_retries + 1` (`attempts`
  counts the first call; unset means google-genai's default 5),
  `initial_delay` against `retry.initial_delay_s`, `http_status_codes`
  against `retry.retry_on`;
- a manifest that declares retries (`max_retries` above 0) while a client in
  a file with Gemini calls has no `retry_options` and no retry wrapper covers
  its calls (the code makes one attempt).
Values the scanner cannot read, and keys either side leaves out, are not
compared.

## Why is this bad?
The manifest is reviewed and checked (GP501-GP505); the code is what runs.
When they disagree the checks pass on numbers the application never uses,
and a reader trusts a retry policy or deadline that is not there.

## Example
```files
# file: gemini-deploy.yaml
version: 1
app: demo
retry:
  max_retries: 2
timeouts:
  request_s: 120
# file: app.py
from google import genai
from google.genai import types

client = genai.Client(http_options=types.HttpOptions(
    timeout=60_000, retry_options=types.HttpRetryOptions(attempts=3)))
```

Use instead:
```files
# file: gemini-deploy.yaml
version: 1
app: demo
retry:
  max_retries: 2
timeouts:
  request_s: 120
# file: app.py
from google import genai
from google.genai import types

client = genai.Client(http_options=types.HttpOptions(
    timeout=120_000, retry_options=types.HttpRetryOptions(attempts=3)))
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import Problem, Rule

if TYPE_CHECKING:
    from preflight.manifest import Retry
    from preflight.scan.context import TreeContext
    from preflight.scan.facts import RetryOptions


def _retry(options: RetryOptions, declared: Retry, default_attempts: int) -> Iterator[str]:
    if declared.max_retries is not None:
        attempts = options.attempts if options.attempts is not None else default_attempts
        if max(attempts, 1) != declared.max_retries + 1:
            yield (f"attempts={attempts} is {max(attempts, 1) - 1} retries, the manifest declares "
                   f"max_retries: {declared.max_retries}")
    if None not in (declared.initial_delay_s, options.initial_delay) \
            and declared.initial_delay_s != options.initial_delay:
        yield (f"initial_delay={options.initial_delay:g} s, the manifest declares "
               f"initial_delay_s: {declared.initial_delay_s:g}")
    if declared.retry_on and options.status_codes is not None \
            and set(declared.retry_on) != set(options.status_codes):
        yield (f"http_status_codes={sorted(options.status_codes)}, the manifest declares "
               f"retry_on: {sorted(declared.retry_on)}")


def check_tree(ctx: TreeContext) -> Iterator[Problem]:
    manifest = ctx.manifest
    if manifest is None or (manifest.retry is None and manifest.timeouts is None):
        return
    declared, timeouts, shown = manifest.retry, manifest.timeouts, ctx.manifest_path
    # google-genai's HttpRetryOptions.attempts when unset, from the catalog's sdk.http facts
    defaults = ctx.catalog.sdk.get("google-genai", {}).get("http", {}).get("retry_defaults", {})
    default_attempts = int(defaults.get("attempts", 5))
    for file, client in ctx.clients():
        http = client.http
        if http is not None and not http.known:
            continue
        found: list[str] = []
        if timeouts is not None and timeouts.request_s is not None and http is not None \
                and http.timeout is not None and abs(http.timeout - timeouts.request_s * 1000) > 0.5:
            found.append(f"timeout={http.timeout:g} ms, the manifest declares request_s: "
                         f"{timeouts.request_s:g} (= {timeouts.request_s * 1000:g} ms)")
        retry = http.retry if http is not None else None
        if declared is not None and retry is not None and retry.line > 0:
            found.extend(_retry(retry, declared, default_attempts))
        elif declared is not None and retry is None and (declared.max_retries or 0) > 0:
            calls = [c for c in file.calls if c.client == client.name or not client.name]
            if calls and not any(c.retried for c in calls):
                found.append(f"no retry_options and no retry wrapper, the manifest declares "
                             f"max_retries: {declared.max_retries}")
        for text in found:
            yield Problem(f"client contradicts {shown}: {text}", file=file.path, line=client.line,
                          column=client.column, cell=client.cell,
                          subject=f"drift:{client.name}:{text.split('=')[0].split(' ')[0]}",
                          fix=f"make the code and {shown} say the same (HttpOptions.timeout = "
                              "request_s * 1000; attempts = max_retries + 1)")


RULE = Rule(
    id="GP702",
    name="retry-drift",
    severity=Severity.WARNING,
    checklist="The code's retries and timeouts are the ones the manifest declares",
    doc=__doc__ or "",
    check_tree=check_tree,
)
