"""The Vertex project does not exist, or the identity may not see it (live probe).

## What it does
Reads the environment's project with Resource Manager (`projects.get`) as the
identity found, and checks Google calls it by the name the manifest uses. A 404
means not found. Google answers 403 both for a project that does not exist and
for one the identity may not read (`resourcemanager.projects.get`), so a 403 is
reported as "not found or denied" unless a Gemini call in the project succeeds:
then the project exists, and the finding is only info. Also reported: no project
at all (none in the manifest, `GOOGLE_CLOUD_PROJECT` or the credentials), and
`CONSUMER_INVALID` answers. Runs only with `probe` or `check --live`.

## Why is this bad?
Every Vertex AI request names the project; a wrong or deleted project fails with
403 or 404 on every call, and a typo can silently bill another team's project.

## Example
```probe
manifest:
  version: 1
  app: demo
  environments:
    production:
      route: vertex
      project: acme-genai-prd
      location: global
      auth: {method: service-account-key-file}
  models:
    chat: {id: gemini-3.5-flash}
credentials: service-account-key-file
google:
  GET /v3/projects/acme-genai-prd:
    status: 404
    error: {status: NOT_FOUND, message: Project 'acme-genai-prd' not found.}
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
    from preflight.probes.facts import EnvFacts, ProbeContext

FIX = "check the project ID in environments.{env}.project and that {who} has a role on it"


def check(ctx: ProbeContext) -> Iterator[Problem]:
    for facts in ctx.probed():
        found = _problem(facts)
        if found:
            message, severity = found
            who = facts.credentials.principal or "the identity"
            yield Problem(f"environment '{facts.name}': {message}",
                          path=("environments", facts.name, "project"), env=facts.name,
                          severity=severity, subject=f"{facts.name}:project",
                          fix=FIX.format(env=facts.name, who=who))


def _problem(facts: EnvFacts) -> tuple[str, Severity | None] | None:
    from preflight.probes.facts import category

    project = facts.project
    if project is not None and project.id is None:
        return ("no project: the manifest names none, GOOGLE_CLOUD_PROJECT is unset and the "
                "credentials carry none", None)
    invalid = [e for source, e in facts.errors()
               if source != "project" and category(source, e) == "project"]
    if project is None or project.id is None:
        return (f"Google does not accept the project: {invalid[0].describe()}", None) if invalid else None
    error = project.error
    if error is not None and category("project", error) == "project":
        if error.http == 404:
            return f"project '{project.id}' not found: {error.describe()}", None
        if facts.any_call_succeeded:
            return (f"cannot read project '{project.id}' ({error.describe()}); Gemini calls in it "
                    "succeed, so it exists, but its state was not checked", Severity.INFO)
        return (f"project '{project.id}' does not exist or may not be read: {error.describe()} "
                "(Google answers 403 in both cases, so the probe cannot tell which)", None)
    if invalid:
        return f"Google does not accept project '{project.id}': {invalid[0].describe()}", None
    named, called = project.id, project.project_id
    if called and not named.isdigit() and called != named:
        return f"project '{named}' is called '{called}' by Google", None
    return None


RULE = Rule(
    id="GP904",
    name="project-not-found-or-denied",
    severity=Severity.ERROR,
    checklist="The Vertex project exists and the identity can use it (live)",
    doc=__doc__ or "",
    check_probe=check,
)
