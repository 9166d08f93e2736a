"""No credentials for the environment's route (live probe).

## What it does
Resolves credentials the way google-genai will for the environment's route and
reports when nothing is found, saying what was looked for and where. Developer
API: `GOOGLE_API_KEY`, then `GEMINI_API_KEY` (or the variable named in
`auth.api_key_env`). Vertex AI: Application Default Credentials, in
google-auth's order: `GOOGLE_APPLICATION_CREDENTIALS`, the gcloud ADC file,
the metadata server. Runs only with `probe` or `check --live`.

## Why is this bad?
Without credentials the client cannot even be built: google-genai raises
`ValueError: No API key was provided` on the Developer API, and google-auth
raises `DefaultCredentialsError: Your default credentials were not found` on
Vertex AI. The app fails on its first request.

## Example
```probe
manifest:
  version: 1
  app: demo
  environments:
    production:
      route: vertex
      project: acme-genai-prod
      location: global
      auth: {method: adc}
  models:
    chat: {id: gemini-3.5-flash}
credentials: none
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
      location: global
      auth: {method: adc}
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

FIX_KEY = "set the API key variable in the environment that runs the app (and the probe)"
FIX_ADC = ("run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS, "
           "or run where a service account is attached")


def check(ctx: ProbeContext) -> Iterator[Problem]:
    for facts in ctx.probed():
        cred = facts.credentials
        if cred.kind is not None or cred.error is None or cred.refused:
            continue
        route = "the Developer API" if facts.env.route == "developer-api" else "Vertex AI"
        looked = "; ".join(cred.looked)
        yield Problem(
            f"environment '{facts.name}': no credentials for {route}: {cred.error}"
            + (f" (looked at: {looked})" if looked else ""),
            path=("environments", facts.name, "auth"), on="key", env=facts.name,
            subject=f"{facts.name}:credentials", fix=FIX_KEY if facts.uses_api_key else FIX_ADC,
        )


RULE = Rule(
    id="GP901",
    name="credentials-not-found",
    severity=Severity.ERROR,
    checklist="Credentials resolve for the route the app uses (live)",
    doc=__doc__ or "",
    check_probe=check,
)
