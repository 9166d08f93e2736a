"""An API key and Vertex / ADC configured together in one environment.

## What it does
Flags an environment that mixes key and identity authentication:
- `route: vertex` with `auth.method: api-key` (Vertex express mode): info in
  development, where express mode is a legitimate way to prototype; warning
  in staging; error in production;
- `auth.api_key_env` set while `auth.method` is not `api-key`;
- `route: developer-api` with an ADC-style method (`adc`,
  `attached-service-account`, `workload-identity`, `service-account-key-file`).

In code: `Client(vertexai=True, api_key=...)` (or `enterprise=True`) with a key
that is not `None`, `new GoogleGenAI({vertexai: true, apiKey})` (or `enterprise: true`)
in JavaScript/TypeScript, `genai.ClientConfig{Backend: genai.BackendVertexAI, APIKey: …}`
with a key that is not `""` in Go, and a `.env` file that turns on `GOOGLE_GENAI_USE_VERTEXAI`
and sets an API key: Vertex express mode, graded by stage as above (info when
the stage is unknown).

## Why is this bad?
google-genai resolves credentials by precedence and logs the choice at INFO
only. An explicit key without explicit project/location drops the project and
location and switches to Vertex express mode: requests run on the key, not on
an IAM identity, through the global endpoint (google-genai < 2.15 rejects a
key together with project/location). A manifest that names a key variable
next to an identity invites code that passes `api_key=`, and with both
`GOOGLE_API_KEY` and `GEMINI_API_KEY` set, `GOOGLE_API_KEY` wins. The
Developer API route needs a key: with ADC alone the client fails with
"No API key was provided". Which credential is used then depends on the
shell, not on the manifest.

## Example
```yaml
version: 1
app: demo
environments:
  staging:
    route: vertex
    project: acme-genai-staging
    location: global
    auth:
      method: adc
      api_key_env: GEMINI_API_KEY
```

Use instead:
```yaml
version: 1
app: demo
environments:
  staging:
    route: vertex
    project: acme-genai-staging
    location: global
    auth:
      method: adc
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for name, env in ctx.environments():
        auth, path = env.auth, ("environments", name, "auth")
        if auth is None:
            continue
        if env.route == "vertex" and auth.method == "api-key":
            dev = ctx.manifest.stage_of(name) == "development"
            yield Problem(
                f"environment '{name}' uses Vertex express mode (API key): the key replaces "
                "project/location routing and the IAM identity",
                path=(*path, "method"), env=name, subject=f"{name}:express",
                severity=Severity.INFO if dev else None,
                fix="use auth.method: adc or attached-service-account with project and "
                    "location (keep express mode for prototypes only)",
            )
        elif env.route == "developer-api" and auth.method != "api-key":
            yield Problem(
                f"environment '{name}' uses route developer-api with auth.method "
                f"{auth.method}: google-genai's Developer API route needs an API key",
                path=(*path, "method"), env=name, subject=f"{name}:developer-{auth.method}",
                fix=f"use route: vertex with project and location to keep {auth.method}, "
                    "or auth.method: api-key for the Developer API",
            )
        if auth.api_key_env and auth.method != "api-key":
            yield Problem(
                f"environment '{name}' sets auth.api_key_env {auth.api_key_env} but "
                f"authenticates with {auth.method}: a key passed as api_key= silently replaces "
                "the identity (and GOOGLE_API_KEY beats GEMINI_API_KEY)",
                path=(*path, "api_key_env"), on="key", env=name,
                subject=f"{name}:api_key_env", fix="remove auth.api_key_env and unset the "
                "key variable where this environment runs",
            )


GO_FIX = "set Project and Location with ADC (no APIKey) outside prototypes"


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    mild = Severity.INFO if ctx.stage in ("development", "unknown") else None
    fix = "pass project= and location= with ADC (no api_key) outside prototypes"
    for call in ctx.file.clients:
        if call.flag and call.api_key:
            python = call.language == "python"
            written = f"Client({call.flag}=True, api_key={call.api_key})" if python else \
                f"new GoogleGenAI({{{call.flag}: true, apiKey: {call.api_key}}})"
            if call.language == "go":
                written = f"genai.ClientConfig{{Backend: genai.BackendVertexAI, APIKey: {call.api_key}}}"
            yield Problem(f"{written} is Vertex express "
                          "mode: the key replaces project/location routing and the IAM identity",
                          line=call.line, column=call.column, cell=call.cell,
                          subject=f"express:{call.flag}", severity=mild,
                          fix=fix if python else GO_FIX if call.language == "go" else
                          "pass project and location with ADC (no apiKey) outside prototypes")
    names = {v.name: v for v in ctx.file.env}
    switch = next((v for v in ctx.file.env if v.truthy and v.name in
                   ("GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_ENTERPRISE")), None)
    if switch is None:
        return
    for key in [names[k] for k in ("GOOGLE_API_KEY", "GEMINI_API_KEY") if k in names]:
        if key.empty:
            continue
        yield Problem(f"{switch.name}=true with {key.name} set: Vertex express mode on an API key",
                      line=key.line, column=key.column, subject=f"env:{key.name}",
                      severity=mild, fix="unset the key where Vertex runs with ADC")


RULE = Rule(
    id="GP204",
    name="mixed-auth",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="One authentication method per environment: an API key or Vertex with ADC",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
)
