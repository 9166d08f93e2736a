"""A client deadline short enough to cause 504 DEADLINE_EXCEEDED.

## What it does
Flags `timeouts.request_s` below the `min_request_s` option (default 60 s),
or below `min_request_s_high_thinking` (default 120 s) when a model slot
thinks at level high (`thinking_level: high`, or no level on a model that
uses thinking levels: Gemini 3.x defaults to HIGH). A value under 1 is
reported at severity error (graver: it cuts off every call); it usually
means milliseconds were converted twice (google-genai's `HttpOptions.timeout`
is in milliseconds, `request_s` is in seconds: `timeout=request_s * 1000`).
No `timeouts` section, or no `request_s`, is reported at severity info
(milder): it is the opposite risk, a request that can hang forever.

In code: an `HttpOptions` timeout under 1000 given to a google-genai client
or call (`types.HttpOptions(timeout=30)`, `http_options={"timeout": 30}`,
written inline or through a variable of the same file; JS
`httpOptions: {timeout: 30}`) is an error: the unit is milliseconds, so 30
cuts off every request after 30 ms. The finding points at the value. The
legacy SDK's `request_options={"timeout": 30}` (seconds) is not read. The
`min_request_s` minimums apply to manifests only: a short timeout in code is
often deliberate for one call, a sub-second one never is.

## Why is this bad?
google-genai sends the client timeout to the server as `X-Server-Timeout`,
and a request not done within its deadline fails with HTTP 504
DEADLINE_EXCEEDED; thinking and long outputs take tens of seconds. Google's
advice for 504 is a longer client timeout, not more retries. Without any
timeout google-genai waits forever (connect, read and write unlimited).

Options (`GP505`): `min_request_s` (default 60),
`min_request_s_high_thinking` (default 120).

## Example
```yaml
version: 1
app: demo
timeouts:
  request_s: 10
```

Use instead:
```yaml
version: 1
app: demo
timeouts:
  request_s: 120
```

```python
from google import genai
from google.genai import types

client = genai.Client(http_options=types.HttpOptions(timeout=30))
```

Use instead:
```python
from google import genai
from google.genai import types

client = genai.Client(http_options=types.HttpOptions(timeout=30_000))  # milliseconds
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from preflight.edits import Edit, Fix, Fixable
from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule
from preflight.rulekit import spelled

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext
    from preflight.scan.facts import HttpConfig, Span

RULE_ID = "GP505"
DEFAULTS: dict[str, Any] = {"min_request_s": 60.0, "min_request_s_high_thinking": 120.0}


def _high_thinking_slot(ctx: ManifestContext) -> str | None:
    for name, slot in ctx.models():
        model = ctx.catalog.get(slot.id)
        thinking = model.thinking if model is not None else None
        if thinking == "none":
            continue
        if slot.thinking_level == "high" or (slot.thinking_level is None and thinking == "levels"):
            return name
    return None


def check(ctx: ManifestContext) -> Iterator[Problem]:
    timeouts = ctx.manifest.timeouts
    if timeouts is None or timeouts.request_s is None:
        yield Problem(
            "no client timeout (timeouts.request_s): a stuck request can hang forever",
            path=("timeouts",) if timeouts is not None else ("version",), on="key",
            subject="timeouts", severity=Severity.INFO,
            fix="set timeouts.request_s (for example 120) and pass HttpOptions(timeout=request_s*1000)",
        )
        return
    seconds = timeouts.request_s
    path = ("timeouts", "request_s")
    if seconds < 1:
        yield Problem(
            f"request_s is {seconds:g} s ({seconds * 1000:g} ms): every call will time out; "
            "request_s is in seconds, only HttpOptions.timeout is in milliseconds",
            path=path, subject="timeouts.request_s", severity=Severity.ERROR,
            fix=f"did you mean request_s: {seconds * 1000:g}? write seconds here",
        )
        return
    opts = ctx.options
    slot = _high_thinking_slot(ctx)
    minimum = float(opts["min_request_s_high_thinking" if slot else "min_request_s"])
    if seconds < minimum:
        why = f" for high thinking (slot '{slot}')" if slot else ""
        yield Problem(
            f"request_s is {seconds:g} s, below {minimum:g} s{why}: long answers end in "
            "504 DEADLINE_EXCEEDED",
            path=path, subject="timeouts.request_s",
            fix=f"raise timeouts.request_s to {minimum:g} or more (raise the timeout, not the retries)",
        )


def _short(http: HttpConfig | None, what: str, language: str) -> Iterator[Problem]:
    if http is None or http.timeout is None or http.timeout_span is None or http.timeout >= 1000:
        return
    span, ms = http.timeout_span, http.timeout
    seconds = f"{ms:g}"
    assign = spelled(language, "timeout=", "timeout: ")
    yield Problem(
        f"{what} timeout is {seconds} ms; did you mean {seconds} seconds "
        f"({assign}{seconds}*1000)? {spelled(language, 'HttpOptions', 'httpOptions')}.timeout is in "
        "milliseconds",
        line=span.line, column=span.column, cell=span.cell, subject=f"timeout:{seconds}",
        severity=Severity.ERROR, fix=f"{assign}{ms * 1000:g}",
        autofix=_milliseconds(span, assign) if span.line == span.end_line and span.text else None,
    )


def _milliseconds(span: Span, assign: str) -> Fix:
    """Unsafe: the number was seconds only if its author thought so."""
    pattern = r"(?<![\w.])" + re.escape(span.text) + r"(?![\w.])"
    new = f"{span.text} * 1000"
    return Fix(f"{assign}{new} (milliseconds)", (Edit(span.line, span.column, ((pattern, new),),
                                                      span.cell),), safe=False)


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    for client in ctx.file.clients:
        if client.reaches_gemini:
            yield from _short(client.http, "client", client.language)
    for call in ctx.file.calls:
        yield from _short(call.http, f"{call.method}()", call.language)


RULE = Rule(
    id=RULE_ID,
    name="deadline-too-short",
    severity=Severity.WARNING,
    checklist="The client deadline is long enough for the model and thinking level (no 504s)",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
    options=DEFAULTS,
    fixable=Fixable("sometimes", safe=False),
)
