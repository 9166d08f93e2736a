"""An endpoint that is not Google's: a third-party gateway or proxy.

## What it does
Flags an environment's `endpoint` whose host is not `googleapis.com` or one of
its subdomains (`us-central1-aiplatform.googleapis.com`,
`aiplatform.us.rep.googleapis.com`, `generativelanguage.googleapis.com`), an
endpoint that does not use `https`, and an endpoint that is not a plain URL:
user information (`user@`), a backslash, white space or a control character,
or a host that two URL parsers read differently
(`https://127.0.0.1:8443\\@generativelanguage.googleapis.com` looks like Google's
host to one parser and connects to 127.0.0.1 with another).
Warning; error in production.

## Why is this bad?
The SDK sends every request to the base URL it is given, with the API key in
`x-goog-api-key` or the OAuth token in `Authorization`. A gateway, reseller
or proxy therefore receives the credentials and every prompt and response:
they leave Google's boundary and its data terms. Such layers add their own
failures: HTTP 402 (payment required) never comes from Gemini or Vertex, it
comes from the layer in between. Over plain `http` anyone on the path can
read the credentials.

## Example
```yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: us-central1
    endpoint: https://llm-gateway.example.com/v1
```

Use instead:
```yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: us-central1
    endpoint: https://us-central1-aiplatform.googleapis.com
```
"""

from __future__ import annotations

from collections.abc import Iterator

from preflight.findings import Severity, redact, scrub
from preflight.rule import ManifestContext, Problem, Rule
from preflight.urls import UrlError, parse

GOOGLE = "googleapis.com"
FIX = ("remove endpoint (the SDK picks Google's host from route and location) "
       f"or use an https://…{GOOGLE} host")


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for name, env in ctx.environments():
        if env.endpoint is None:
            continue
        path = ("environments", name, "endpoint")
        try:
            url = parse(env.endpoint.strip())
        except UrlError as exc:
            shown = redact(env.endpoint) if "@" in env.endpoint else scrub(env.endpoint)
            yield Problem(f"endpoint {shown!r} of environment '{name}' is not a valid URL: "
                          f"{exc} (expected https://HOST)", path=path, env=name,
                          subject=f"{name}:malformed", fix=FIX)
            continue
        scheme, host = url.scheme, url.host
        reasons = []
        if not _is_google(host):
            reasons.append(f"host {host} is not Google's: API keys and credentials leave "
                           "Google, and errors such as HTTP 402 come from that layer")
        if scheme != "https":
            reasons.append(f"it uses {scheme}, not https: credentials travel in clear text")
        if reasons:
            yield Problem(f"endpoint of environment '{name}': {'; '.join(reasons)}",
                          path=path, env=name, subject=f"{name}:{scheme}://{host}", fix=FIX)


def _is_google(host: str) -> bool:
    return host == GOOGLE or host.endswith("." + GOOGLE)


RULE = Rule(
    id="GP604",
    name="third-party-gateway",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="Requests go to Google's endpoints, not a third-party gateway",
    doc=__doc__ or "",
    check_manifest=check,
)
