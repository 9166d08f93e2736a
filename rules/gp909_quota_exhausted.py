"""Google answers 429 RESOURCE_EXHAUSTED: quota or rate limit reached (live probe).

## What it does
Reports a `429 RESOURCE_EXHAUSTED` that persists after the probe's own retries
(at most two, with exponential backoff from one second) on any probe call. It is
a warning, never a crash: quota can recover by itself, but a free call that is
throttled means the project is at its limit right now. Runs only with `probe`
or `check --live`.

## Why is this bad?
A project with no quota headroom fails real traffic with 429s. Vertex AI's
pay-as-you-go quota is shared per region and model; a Developer API key may be
on the free tier's low limits; Provisioned Throughput answers "Too many
requests. Exceeded the Provisioned Throughput."

## Example
```probe
manifest:
  version: 1
  app: demo
  environments:
    production:
      route: vertex
      project: acme-genai-prod
      location: us-central1
      auth: {method: service-account-key-file}
  models:
    chat: {id: gemini-3.5-flash}
credentials: service-account-key-file
google:
  POST */models/gemini-3.5-flash:countTokens:
    status: 429
    error: {status: RESOURCE_EXHAUSTED, message: "Resource exhausted, please try again later."}
```

Use instead:
```probe
manifest:
  version: 1
  app: demo
  environments:
    production:
      route: vertex
      project: acme-genai-prod
      location: us-central1
      auth: {method: service-account-key-file}
  models:
    chat: {id: gemini-3.5-flash}
credentials: service-account-key-file
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import Problem, Rule

if TYPE_CHECKING:  # the probes' facts load with the probes (--live), not with the rule
    from preflight.probes.facts import ProbeContext

FIX = ("check the quotas of {service} (Cloud console > IAM & Admin > Quotas), request an "
       "increase or Provisioned Throughput, prefer the global endpoint, and retry 429s with "
       "backoff from 1 s, at most twice")


def check(ctx: ProbeContext) -> Iterator[Problem]:
    from preflight.probes.facts import SERVICES, category

    for facts in ctx.probed():
        service = SERVICES[facts.env.route]
        for model in facts.models:
            if model.error is not None and category("model", model.error) == "quota":
                yield Problem(
                    f"environment '{facts.name}': '{model.model_id}' in {model.where} is "
                    f"throttled: {model.error.describe()}",
                    path=("models", model.slot, *model.key), env=facts.name,
                    subject=f"{facts.name}:{model.slot}:{model.model_id}",
                    fix=FIX.format(service=service),
                )
        for source, error in facts.errors():
            if source != "model" and category(source, error) == "quota":
                yield Problem(
                    f"environment '{facts.name}': the {source} check is throttled: {error.describe()}",
                    path=("environments", facts.name), on="key", env=facts.name,
                    subject=f"{facts.name}:{source}:quota", fix=FIX.format(service=service),
                )


RULE = Rule(
    id="GP909",
    name="quota-exhausted",
    severity=Severity.WARNING,
    checklist="The project has quota for the model (live)",
    doc=__doc__ or "",
    check_probe=check,
)
