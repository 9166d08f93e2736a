"""What the tool knows about models, shown to people: ``gemini-preflight catalog``, and the
note every run prints when that knowledge is old.

The catalog (``preflight/data/catalog.yaml``, read by :mod:`preflight.catalog`) is
rendered as text (one block per model, within 100 columns) or as JSON (sorted keys,
the catalog's own ``as_of`` and ``source``). Nothing here reads the clock: callers
pass ``today``. JSON is imported only when JSON is rendered, so the stale-catalog
check costs ``check`` nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from preflight.catalog import Catalog, Model

# Model facts change monthly (new models, deprecations, retirements, limits). Google
# announces retirements about a year ahead but new models and shutdowns of previews with
# weeks' notice, so a catalog older than about four months has missed several releases.
STALE_AFTER_DAYS = 120
WIDTH = 100
_LABEL = 11  # width of the labels in a text block ("locations  ")


class SelectionError(ValueError):
    """A model ID argument that the catalog does not know (the message says what to do)."""


def stale_note(catalog: Catalog, today: date) -> str | None:
    """The one-line note when the catalog is more than :data:`STALE_AFTER_DAYS` old."""
    if catalog.as_of is None:
        return None
    age = (today - catalog.as_of).days
    if age <= STALE_AFTER_DAYS:
        return None
    return (f"the model catalog is from {catalog.as_of.isoformat()}, {age} days before "
            f"{today.isoformat()}: model facts may have changed; update gemini-preflight "
            "(pip install -U gemini-preflight)")


def select(catalog: Catalog, model_ids: Sequence[str], stages: Iterable[str],
           today: date) -> list[Model]:
    """The models asked for (any spelling), in catalog order; all when none is named."""
    wanted: list[str] = []
    for model_id in model_ids:
        model = catalog.get(model_id)
        if model is None:
            close = catalog.suggest(model_id, today)
            hint = f" (did you mean {close!r}?)" if close else ""
            raise SelectionError(f"{model_id!r} is not in the model catalog{hint}; "
                                 "`gemini-preflight catalog` lists every model")
        wanted.append(model.id)
    stage_set = set(stages)
    return [m for m in catalog.models.values()
            if (not wanted or m.id in wanted) and (not stage_set or m.stage in stage_set)]


def model_record(model: Model, today: date) -> dict[str, Any]:
    """One model as plain data (JSON): every catalog field, plus its status on ``today``."""
    def day(value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    def names(values: frozenset[str] | None) -> list[str] | None:
        return None if values is None else sorted(values)

    return {
        "id": model.id, "aliases": list(model.aliases), "family": model.family, "tier": model.tier,
        "stage": model.stage, "status": model.status(today), "task": model.task,
        "released": day(model.released), "shutdown": day(model.shutdown),
        "shutdown_by_route": {k: v.isoformat() for k, v in sorted(model.shutdown_by_route.items())},
        "replacement": model.replacement, "input_token_limit": model.input_token_limit,
        "output_token_limit": model.output_token_limit, "thinking": model.thinking,
        "default_thinking_level": model.default_thinking_level, "tools": names(model.tools),
        "features": names(model.features), "locations": names(model.locations),
        "notes": model.notes, "source": " ".join(model.source.split()),
        "as_of": model.as_of.isoformat(),
    }  # fmt: skip


def render_json(catalog: Catalog, models: Sequence[Model], today: date) -> str:
    import json

    document = {
        "as_of": None if catalog.as_of is None else catalog.as_of.isoformat(),
        "source": " ".join(catalog.source.split()),
        "today": today.isoformat(),
        "models": [model_record(m, today) for m in models],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_text(catalog: Catalog, models: Sequence[Model], today: date) -> str:
    as_of = catalog.as_of.isoformat() if catalog.as_of else "unknown"
    head = [f"Model catalog as of {as_of}: {len(models)} of {len(catalog.models)} models "
            f"(status on {today.isoformat()})."]
    if catalog.source:
        head += wrap(f"Sources: {' '.join(catalog.source.split())}", "", "")
    blocks = ["\n".join(head), *(_block(m, today) for m in models)]
    return "\n\n".join(blocks) + "\n"


def _block(model: Model, today: date) -> str:
    status = model.status(today)
    lines = [f"{model.id}  ({model.stage}, {status})"]
    rows = [
        ("aliases", ", ".join(model.aliases) if model.aliases else ""),
        ("kind", f"{model.task}; tier {model.tier}; family {model.family}"),
        ("released", _day(model.released)),
        ("shutdown", _shutdown(model)),
        ("replaced by", model.replacement or ""),
        ("tokens", f"input {count(model.input_token_limit)}, "
                   f"output {count(model.output_token_limit)}"),
        ("thinking", _thinking(model)),
        ("tools", _names(model.tools)),
        ("features", _names(model.features) if model.features is not None else ""),
        ("locations", _names(model.locations, empty="none (not served on Vertex AI)")),
        ("notes", " ".join(model.notes.split())),
        ("source", " ".join(model.source.split())),
        ("as of", model.as_of.isoformat()),
    ]
    for label, value in rows:
        if value:
            lines += wrap(value, f"  {label:<{_LABEL}}", " " * (_LABEL + 2))
    return "\n".join(lines)


def wrap(text: str, first: str, rest: str) -> list[str]:
    """Lines of at most :data:`WIDTH` columns; words break at spaces (a URL longer than a
    line is cut, never a hyphenated ID at its hyphens)."""
    import textwrap  # the listing only: not for the stale-catalog note of every run

    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_on_hyphens=False)


def _day(value: date | None) -> str:
    return value.isoformat() if value else "unknown"


def count(value: int | None) -> str:
    return f"{value:,}" if value is not None else "unknown"


def _names(values: frozenset[str] | None, empty: str = "none") -> str:
    if values is None:
        return "unknown"
    return ", ".join(sorted(values)) or empty


def _shutdown(model: Model) -> str:
    if model.shutdown_by_route:
        routes = "; ".join(f"{route} {when.isoformat()}"
                           for route, when in sorted(model.shutdown_by_route.items()))
        return f"{routes} (other routes: none announced)" if len(model.shutdown_by_route) < 2 \
            else routes
    return model.shutdown.isoformat() if model.shutdown else "none announced"


def _thinking(model: Model) -> str:
    if model.thinking is None:
        return "unknown"
    default = f" (default {model.default_thinking_level})" if model.default_thinking_level else ""
    return model.thinking + default
