"""``catalog --live``: the models the Gemini API serves to the caller's API key, and how
they differ from the bundled catalog.

One call per page of ``GET https://generativelanguage.googleapis.com/v1beta/models``
(``pageToken`` / ``nextPageToken``), the key in the ``x-goog-api-key`` header and never
in the URL, through the probes' HTTP client: Google hosts only (or ``--allow-host``),
https only, no redirect followed, a timeout on every call, secrets redacted from every
message. Only the Gemini API (Developer API) is listed: see docs/catalog.md for why
Vertex AI is not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

import requests

from preflight.catalog import Catalog, normalize_model_id
from preflight.probes.credentials import API_KEY_VARS
from preflight.probes.endpoints import DEVELOPER_BASE
from preflight.probes.hosts import HostPolicy, ProbeError, Redactor
from preflight.probes.http import Client, Sleep

LIST_URL = f"{DEVELOPER_BASE}/v1beta/models"
PAGE_SIZE = 1000  # the largest page models.list gives
MAX_PAGES = 100  # a server that never stops paging is an error, not an endless loop
VERTEX_NOTE = ("Vertex AI is not listed: it documents no list of the models served to a project "
               "in a location; `gemini-preflight probe` checks each model of a manifest there.")


@dataclass(frozen=True)
class Served:
    """One model the API lists (``models/x`` read as ``x``); None = the API gave no limit."""

    id: str
    display_name: str
    input_token_limit: int | None
    output_token_limit: int | None


@dataclass
class Comparison:
    """The API's list beside the catalog's, on one day."""

    served: list[Served]
    source: str  # where the key came from: "environment variable GOOGLE_API_KEY"
    unknown: list[str] = field(default_factory=list)  # served, not in the catalog
    missing: list[str] = field(default_factory=list)  # in the catalog (not retired), not served
    retired: list[str] = field(default_factory=list)  # served, though the catalog says retired
    limits: list[tuple[str, str, int, int]] = field(default_factory=list)  # id, field, catalog, API


def fetch(catalog: Catalog, today: date, environ: Mapping[str, str], timeout: float,
          sleep: Sleep) -> Comparison:
    """List what the Gemini API serves to the key in ``environ`` and compare it with
    ``catalog``; :class:`ProbeError` (its message redacted) when that cannot be done."""
    redactor = Redactor()
    try:
        policy = HostPolicy.create((), environ)
        key, source = api_key(environ)
        redactor.add(key)
        served = list_models(key, policy, timeout, sleep, redactor)
    except ProbeError as exc:
        raise ProbeError(redactor(str(exc))) from None
    return compare(catalog, served, source, today)


def api_key(environ: Mapping[str, str]) -> tuple[str, str]:
    """The key google-genai would use (``GOOGLE_API_KEY`` beats ``GEMINI_API_KEY``) and
    where it came from; :class:`ProbeError` when there is none."""
    for name in API_KEY_VARS:
        key = environ.get(name, "").strip()
        if key:
            return key, f"environment variable {name}"
    raise ProbeError(f"catalog --live needs a Gemini API key in {' or '.join(API_KEY_VARS)} "
                     "(it lists the models the Gemini API serves to that key)")


def list_models(key: str, policy: HostPolicy, timeout: float, sleep: Sleep,
                redactor: Redactor) -> list[Served]:
    """Every page of the models list; :class:`ProbeError` on any error answer."""
    client = Client(requests.Session(), policy, timeout, sleep, redactor)
    served: list[Served] = []
    token: str | None = None
    seen_tokens: set[str] = set()
    for _ in range(MAX_PAGES):
        url = f"{LIST_URL}?pageSize={PAGE_SIZE}" + (f"&pageToken={quote(token, safe='')}" if token else "")
        reply = client.call("GET", url, "listing models", headers={"x-goog-api-key": key})
        if reply.error is not None:
            raise ProbeError(f"listing models: {reply.error.describe()}")
        models = reply.payload.get("models") or []
        if not isinstance(models, list):
            raise ProbeError("listing models: the answer has no list of models")
        served.extend(_served(m) for m in models if isinstance(m, dict) and m.get("name"))
        following = reply.payload.get("nextPageToken")
        if not isinstance(following, str) or not following:
            return sorted(set(served), key=lambda s: s.id)
        if following in seen_tokens:
            raise ProbeError("listing models: the API repeated a page token")
        seen_tokens.add(following)
        token = following
    raise ProbeError(f"listing models: more than {MAX_PAGES} pages")


def _served(raw: Mapping[str, Any]) -> Served:
    def limit(key: str) -> int | None:
        value = raw.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

    return Served(normalize_model_id(str(raw["name"])), str(raw.get("displayName") or ""),
                  limit("inputTokenLimit"), limit("outputTokenLimit"))


def compare(catalog: Catalog, served: Sequence[Served], source: str, today: date) -> Comparison:
    """What the API serves that the catalog does not know, and the other way round."""
    found = Comparison(list(served), source)
    matched: set[str] = set()
    for item in served:
        model = catalog.get(item.id)
        if model is None:
            found.unknown.append(item.id)
            continue
        matched.add(model.id)
        if model.status(today, "developer-api") == "retired":
            found.retired.append(item.id)
        for name, ours, theirs in (("input_token_limit", model.input_token_limit, item.input_token_limit),
                                   ("output_token_limit", model.output_token_limit,
                                    item.output_token_limit)):
            if ours is not None and theirs is not None and ours != theirs:
                found.limits.append((item.id, name, ours, theirs))
    found.missing = [m.id for m in catalog.models.values()
                     if m.id not in matched and m.status(today, "developer-api") != "retired"]
    return found


def render_json(found: Comparison, catalog: Catalog, today: date) -> str:
    import json

    document = {
        "api": LIST_URL,
        "credentials": found.source,
        "catalog_as_of": None if catalog.as_of is None else catalog.as_of.isoformat(),
        "today": today.isoformat(),
        "served": [{"id": s.id, "display_name": s.display_name, "in_catalog": s.id not in found.unknown,
                    "input_token_limit": s.input_token_limit,
                    "output_token_limit": s.output_token_limit} for s in found.served],
        "differences": {
            "not_in_catalog": found.unknown,
            "not_served": found.missing,
            "served_but_retired": found.retired,
            "limit_mismatches": [{"id": i, "field": f, "catalog": c, "served": a}
                                 for i, f, c, a in found.limits],
        },
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_text(found: Comparison, catalog: Catalog, today: date) -> str:
    from preflight.catalog_report import WIDTH, count, wrap

    as_of = catalog.as_of.isoformat() if catalog.as_of else "unknown"
    width = max([len(s.id) for s in found.served] + [2])
    lines = wrap(f"The Gemini API serves {len(found.served)} models to the key in "
                 f"{found.source.removeprefix('environment variable ')} ({LIST_URL}):", "", "")
    for item in found.served:
        mark = "  " if item.id not in found.unknown else "+ "
        limits = f"input {count(item.input_token_limit)}, output {count(item.output_token_limit)}"
        row = f"  {mark}{item.id:<{width}}  {limits}"
        lines.append(row if len(row) <= WIDTH else f"  {mark}{item.id}\n      {limits}")
    lines += ["", f"Compared with the bundled catalog (as of {as_of}, status on {today.isoformat()}):"]
    groups = [
        ("served, not in the catalog (marked +)", found.unknown),
        ("in the catalog and not retired on the Gemini API, not served to this key "
         "(Vertex-only, gated or withdrawn)", found.missing),
        ("served, though the catalog says retired", found.retired),
    ]
    for title, ids in groups:
        lines += wrap(f"{title} ({len(ids)}): {', '.join(ids) or 'none'}", "  ", "    ")
    lines.append(f"  token limits that differ ({len(found.limits)}){':' if found.limits else ': none'}")
    for model_id, name, ours, theirs in found.limits:
        kind = name.split("_")[0]
        lines += wrap(f"{model_id}: {kind} {ours:,} in the catalog, {theirs:,} served", "    ", "      ")
    lines += ["", *wrap(VERTEX_NOTE, "", "")]
    return "\n".join(lines) + "\n"

