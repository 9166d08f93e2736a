"""A Vertex environment without a location, or without a project.

## What it does
Flags an environment with `route: vertex` that authenticates with an
identity (ADC, attached service account, workload identity, key file, or no
`auth` at all) and names no `location`, or names no `project`. With
`auth.method: api-key` (Vertex express mode) neither is needed, but a
`location` without a `project` is flagged. Warning; error in production.

In code: a google-genai client with the Vertex switch (`vertexai=True` /
`enterprise=True`), no `api_key` and no `location=` argument, when nothing
else sets one: no scanned file (code, `.env`, Dockerfile, YAML, any text)
mentions `GOOGLE_CLOUD_LOCATION` or `GOOGLE_CLOUD_REGION`, and the covering
manifest declares no location for a Vertex environment.

## Why is this bad?
Where a request lands then depends on the SDK version and the shell:
google-genai takes `GOOGLE_CLOUD_LOCATION` when it is set, and otherwise
raises `ValueError` before 1.47 and silently uses `global` from 1.47 on; the
legacy Vertex AI SDK defaults to `us-central1` (`GOOGLE_CLOUD_REGION`,
`CLOUD_ML_REGION`). A model that is not served where the request lands
answers 404 NOT_FOUND, and data may be processed outside the intended region. Without a project the SDK must
resolve one from ADC and fails with "Could not resolve project using
application default credentials" when it cannot; with an API key and a
location but no project the request URL holds `projects/None`.

## Example
```yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    auth:
      method: attached-service-account
```

Use instead:
```yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: global
    auth:
      method: attached-service-account
```

```python
from google import genai

client = genai.Client(vertexai=True, project="acme-genai-prod")
```

Use instead:
```python
from google import genai

client = genai.Client(vertexai=True, project="acme-genai-prod", location="global")
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import TreeContext


def check(ctx: ManifestContext) -> Iterator[Problem]:
    for name, env in ctx.environments():
        if env.route != "vertex":
            continue
        path = ("environments", name)
        key_auth = env.auth is not None and env.auth.method == "api-key"
        has_location = bool(env.location and env.location.strip())
        has_project = bool(env.project and env.project.strip())
        if not key_auth and not has_location:
            yield Problem(
                f"Vertex environment '{name}' sets no location: google-genai >= 1.47 "
                "silently uses global (older versions raise ValueError), the legacy SDK "
                "us-central1; a model not served there answers 404",
                path=(*path, "location"), on="key", env=name, subject=f"{name}:location",
                fix="set location: global, or the region the model is served in "
                    "(e.g. us-central1)",
            )
        if not key_auth and not has_project:
            yield Problem(
                f"Vertex environment '{name}' sets no project: the SDK must resolve one "
                "from ADC and fails when it cannot",
                path=(*path, "project"), on="key", env=name, subject=f"{name}:project",
                fix="set project to the ID of the Google Cloud project that serves this environment",
            )
        elif key_auth and has_location and not has_project:
            yield Problem(
                f"Vertex environment '{name}' has an API key and location {env.location} "
                "but no project: the request URL holds projects/None",
                path=(*path, "project"), on="key", env=name, subject=f"{name}:project",
                fix="set project, or remove location to use Vertex express mode",
            )


def check_tree(ctx: TreeContext) -> Iterator[Problem]:
    manifest = ctx.manifest
    if ctx.has_signal("location") or (manifest is not None and any(
            env.route == "vertex" and env.location for env in manifest.environments.values())):
        return
    for file, client in ctx.clients():
        if client.flag and not client.location_set and not client.api_key:
            yield Problem(f"Client({client.flag}=True) sets no location and nothing sets "
                          "GOOGLE_CLOUD_LOCATION: google-genai < 1.47 refuses it, newer versions "
                          "silently use global",
                          file=file.path, line=client.line, column=client.column, cell=client.cell,
                          subject=f"location:{client.name}",
                          fix="pass location= (a region, or global) or set GOOGLE_CLOUD_LOCATION "
                              "where the application runs")


RULE = Rule(
    id="GP605",
    name="missing-location",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="Vertex environments name their location (and project)",
    doc=__doc__ or "",
    check_manifest=check,
    check_tree=check_tree,
)
