"""A google-genai client whose route or authentication contradicts the manifest.

## What it does
When a manifest covers source files, flags a google-genai client that:
- turns Vertex on (`vertexai=True` / `enterprise=True`) while every
  environment of the manifest declares `route: developer-api`;
- passes `api_key=` without the Vertex switch (the Developer API) while every
  environment declares `route: vertex`;
- passes `api_key=` with the Vertex switch (express mode) while no Vertex
  environment declares `auth.method: api-key`.
A client that passes neither a switch nor a key takes both from the
environment at run time and is not judged; a manifest without environments
declares no route.

## Why is this bad?
The manifest's route and auth are what GP203-GP206 and GP605 check
(production on ADC, no shared projects, a location on Vertex). A client that
talks to another backend, or authenticates another way, runs with none of
those guarantees, and the manifest describes a deployment that does not exist.

## Example
```files
# file: gemini-deploy.yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: global
    auth:
      method: attached-service-account
# file: app.py
import os

from google import genai

client = genai.Client(api_key=os.environ["GEMINI_API_KEY"])
```

Use instead:
```files
# file: gemini-deploy.yaml
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: global
    auth:
      method: attached-service-account
# file: app.py
from google import genai

client = genai.Client(vertexai=True, project="acme-genai-prod", location="global")
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import TreeContext


def check_tree(ctx: TreeContext) -> Iterator[Problem]:
    manifest = ctx.manifest
    if manifest is None or not manifest.environments:
        return
    routes = {env.route for env in manifest.environments.values()}
    methods = {env.auth.method for env in manifest.environments.values()
               if env.route == "vertex" and env.auth is not None}
    shown = ctx.manifest_path
    for file, client in ctx.clients():
        found = ""
        if client.flag and routes == {"developer-api"}:
            found = f"{client.flag}=True uses Vertex AI, {shown} declares only route: developer-api"
        elif client.api_key and not client.flag and routes == {"vertex"}:
            found = f"api_key= without vertexai=True uses the Developer API, {shown} declares route: vertex"
        elif client.api_key and client.flag and methods and "api-key" not in methods:
            found = (f"{client.flag}=True with api_key= is Vertex express mode, {shown} declares "
                     f"auth.method: {', '.join(sorted(methods))}")
        if found:
            yield Problem(f"client contradicts the manifest: {found}", file=file.path,
                          line=client.line, column=client.column, cell=client.cell,
                          subject=f"route:{client.name}:{client.flag}:{bool(client.api_key)}",
                          fix=f"construct the client for the route and auth {shown} declares, "
                              "or correct the manifest")


RULE = Rule(
    id="GP703",
    name="route-drift",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="The code's clients use the route and authentication the manifest declares",
    doc=__doc__ or "",
    check_tree=check_tree,
)
