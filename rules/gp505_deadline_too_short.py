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
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

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
    opts = {**DEFAULTS, **ctx.options.get(RULE_ID, {})}
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


RULE = Rule(
    id=RULE_ID,
    name="deadline-too-short",
    severity=Severity.WARNING,
    checklist="The client deadline is long enough for the model and thinking level (no 504s)",
    doc=__doc__ or "",
    check_manifest=check,
    options=DEFAULTS,
)
