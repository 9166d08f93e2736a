"""Model that is retired, or whose shutdown date is announced.

## What it does
Checks the model of every slot, and its `migration_plan.fallback`, against the
catalog's shutdown date on the route of each environment that uses it (without
environments: the earliest date on any route). A model already shut down is an
error; one that shuts down within 90 days (option `warn_within_days`) is a
warning naming the date. Both name the catalog's replacement when it has one.
Dates further out are not reported: Vertex gives every GA model a retirement
date about a year after release, which is a lifecycle, not a notice.

In code it checks the same way every model-ID literal passed to a call or
assigned as configuration (earliest date on any route).

## Why is this bad?
Retired model IDs answer 404 NOT_FOUND (or are silently routed to another
model): `gemini-2.0-flash` stopped serving on 2026-06-01. Dates differ per
route, and Vertex blocks new access about a month before the date, so a model
that still works in development can already be gone in production. A retired
fallback is a migration plan that cannot be carried out.

## Example
```yaml
version: 1
app: demo
environments:
  production:
    route: developer-api
    auth:
      method: api-key
      api_key_env: GEMINI_API_KEY
models:
  chat:
    id: gemini-2.0-flash
    id_env: CHAT_MODEL
```

Use instead:
```yaml
version: 1
app: demo
environments:
  production:
    route: developer-api
    auth:
      method: api-key
      api_key_env: GEMINI_API_KEY
models:
  chat:
    id: gemini-3.5-flash
    id_env: CHAT_MODEL
```
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from preflight.catalog import Model
from preflight.edits import Fix, Fixable, replace_literal
from preflight.findings import Severity
from preflight.loader import KeyPath
from preflight.rule import ManifestContext, Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext

RULE_ID = "GP306"
DEFAULTS = {"warn_within_days": 90}
STAGE_RANK = {"production": 0, "staging": 1, "development": 2}
ROUTE_LABEL = {"developer-api": "the Gemini Developer API", "vertex": "Vertex AI"}


def check(ctx: ManifestContext) -> Iterator[Problem]:
    horizon = int(ctx.options["warn_within_days"])
    for use in ctx.slot_models():
        name, model_id, role = use.slot, use.model_id, use.role
        model = ctx.catalog.get(model_id) if model_id else None
        if model is None:
            continue
        for when, routes, envs in _by_date(ctx, model):
            if when is None or (when - ctx.today).days > horizon:
                continue
            retired = model.status(ctx.today, routes[0]) == "retired"
            one_route = len(routes) == 1 and routes[0] and model.shutdown_by_route
            on = f" on {ROUTE_LABEL.get(str(routes[0]), routes[0])}" if one_route else ""
            used = f" (environments: {', '.join(envs)})" if envs else ""
            switch = f"'{model.replacement}'" if model.replacement else "a current model"
            yield Problem(
                f"{role} '{model_id}' of slot '{name}' "
                + ("was retired" if retired else "shuts down") + f" on {when}{on}{used}",
                path=use.path, env=envs[0] if envs else None,
                subject=f"{name}:{model_id}:{'+'.join(str(r) for r in routes)}",
                severity=None if retired else Severity.WARNING,
                fix=f"switch to {switch}" + ("" if retired else f" before {when}"),
                autofix=_manifest_fix(ctx, use.path, model_id, model, retired),
            )


def _manifest_fix(ctx: ManifestContext, path: KeyPath, model_id: str | None, model: Model,
                  retired: bool) -> Fix | None:
    mark = ctx.document.values.get(path)
    if not retired or not model.replacement or mark is None or not model_id:
        return None
    return replace_literal(mark.line, mark.column, model_id, swap(model_id, model.replacement))


def swap(written: str, replacement: str) -> str:
    """``written`` with its bare model ID replaced, keeping a ``models/`` or resource prefix."""
    prefix = written.rsplit("/", 1)[0] + "/" if "/" in written else ""
    return prefix + replacement


def _by_date(ctx: ManifestContext, model: Model) -> list[tuple[date | None, list[str | None], list[str]]]:
    """The model's shutdown dates with the routes and environments (most serious stage
    first) they apply to; without environments, the earliest date on any route."""
    envs = sorted(ctx.environments(), key=lambda e: (STAGE_RANK.get(e[1].stage or "", 3), e[0]))
    if not envs:
        return [(model.shutdown_for(None), [None], [])]
    groups: dict[date | None, tuple[list[str | None], list[str]]] = {}
    for env_name, env in envs:
        routes, names = groups.setdefault(model.shutdown_for(env.route), ([], []))
        routes.extend([] if env.route in routes else [env.route])
        names.append(env_name)
    return [(when, routes, names) for when, (routes, names) in groups.items()]


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    horizon = int(ctx.options["warn_within_days"])
    for ref in ctx.file.models:
        model = ctx.catalog.get(ref.model_id)
        when = model.shutdown_for(None) if model else None
        if model is None or when is None or (when - ctx.today).days > horizon:
            continue
        retired = when <= ctx.today
        switch = f"'{model.replacement}'" if model.replacement else "a current model"
        yield Problem(f"model '{ref.model_id}' " + ("was retired" if retired else "shuts down")
                      + f" on {when}", line=ref.line, column=ref.column, cell=ref.cell,
                      subject=ref.model_id, severity=None if retired else Severity.WARNING,
                      fix=f"switch to {switch}" + ("" if retired else f" before {when}"),
                      autofix=replace_literal(ref.line, ref.column, ref.model_id,
                                              swap(ref.model_id, model.replacement), ref.cell)
                      if retired and model.replacement and ref.usage == "config" else None)

RULE = Rule(
    id=RULE_ID,
    name="retired-model",
    severity=Severity.ERROR,
    checklist="The model is neither retired nor deprecated",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
    options=DEFAULTS,
    fixable=Fixable("sometimes", safe=True),
)
