"""Credentials found but refused by Google (live probe).

## What it does
Refreshes a token for the credentials found (Vertex AI), and watches every probe
call for `401 UNAUTHENTICATED` and `400 API_KEY_INVALID`. Reports google-auth's
own error (for example `invalid_grant: Token has been expired or revoked.`, or
`invalid_grant: Invalid JWT Signature.` for a deleted service-account key) or
Google's answer. Runs only with `probe` or `check --live`.

## Why is this bad?
Credentials that resolve but are expired, revoked, deleted or malformed fail at
the first request, with an error that looks like an outage. A disabled service
account or a deleted key file is common after key rotation.

## Example
```probe
manifest:
  version: 1
  app: demo
  environments:
    development:
      route: developer-api
      auth: {method: api-key, api_key_env: GEMINI_API_KEY}
  models:
    chat: {id: gemini-3.5-flash}
env: {GEMINI_API_KEY: <an API key>}
google:
  POST /v1/models/gemini-3.5-flash:countTokens:
    status: 400
    error:
      status: INVALID_ARGUMENT
      message: API key not valid. Please pass a valid API key.
      reason: API_KEY_INVALID
```

Use instead:
```probe
manifest:
  version: 1
  app: demo
  environments:
    development:
      route: developer-api
      auth: {method: api-key, api_key_env: GEMINI_API_KEY}
  models:
    chat: {id: gemini-3.5-flash}
env: {GEMINI_API_KEY: <an API key>}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import Problem, Rule

if TYPE_CHECKING:  # the probes' facts load with the probes (--live), not with the rule
    from preflight.probes.facts import ProbeContext


def check(ctx: ProbeContext) -> Iterator[Problem]:
    from preflight.probes.facts import category

    for facts in ctx.probed():
        cred = facts.credentials
        if cred.kind is None:
            continue
        what = f"{cred.label} from {cred.source}" if cred.source else cred.label
        path = ("environments", facts.name, "auth")
        if cred.error and cred.refused:
            yield Problem(
                f"environment '{facts.name}': {what} could not get a token: {cred.error}",
                path=path, on="key", env=facts.name, subject=f"{facts.name}:credentials",
                fix="the credentials are expired, revoked or deleted: log in again "
                    "(`gcloud auth application-default login`), or issue new credentials",
            )
            continue
        refused = [e for source, e in facts.errors() if category(source, e) == "credentials"]
        if refused:
            yield Problem(
                f"environment '{facts.name}': Google refused {what}: {refused[0].describe()}",
                path=path, on="key", env=facts.name, subject=f"{facts.name}:credentials",
                fix="create a new API key in Google AI Studio or the Cloud console"
                    if facts.uses_api_key else "issue new credentials for the environment",
            )


RULE = Rule(
    id="GP902",
    name="credentials-rejected",
    severity=Severity.ERROR,
    checklist="Credentials are valid: not expired, revoked or deleted (live)",
    doc=__doc__ or "",
    check_probe=check,
)
