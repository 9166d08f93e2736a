"""The endpoint google-genai would call for a route and location, and the free call made there.

| route | base URL |
|---|---|
| Developer API | ``https://generativelanguage.googleapis.com/{v1 or v1beta}/models/{m}`` |
| Vertex regional | ``https://{loc}-aiplatform.googleapis.com/v1beta1/projects/{p}/locations/{loc}/...`` |
| Vertex ``global`` | ``https://aiplatform.googleapis.com/v1beta1/projects/{p}/locations/global/...`` |
| Vertex ``us`` / ``eu`` | ``https://aiplatform.{us,eu}.rep.googleapis.com/v1beta1/...`` |
| Vertex express (key only) | ``https://aiplatform.googleapis.com/v1beta1/publishers/google/models/{m}`` |

A manifest ``endpoint`` replaces the base URL, as ``HttpOptions(base_url=...)`` does.
The call is ``countTokens``, which costs nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from preflight.manifest import Environment, Sdk
from preflight.probes.hosts import ProbeError
from preflight.versions import may_reach

DEVELOPER_BASE = "https://generativelanguage.googleapis.com"
VERTEX_GLOBAL = "https://aiplatform.googleapis.com"
COUNT_BODY = {"contents": [{"role": "user", "parts": [{"text": "ping"}]}]}

_LOCATION = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
_PROJECT = re.compile(r"^[a-z0-9][a-z0-9:.-]{0,99}$")


@dataclass(frozen=True)
class Target:
    url: str
    where: str  # for messages: "location us-central1", "the Developer API (v1)"


def developer_version(sdk: Sdk | None) -> str:
    """``v1`` for google-genai 3.x (the default since 3.0.0); ``v1beta`` for older pins."""
    if sdk is None or sdk.version is None:
        return "v1"
    if sdk.package == "google-generativeai":
        return "v1beta"
    return "v1beta" if may_reach(sdk.version, "3.0.0") is False else "v1"


def vertex_base(location: str) -> str:
    check_location(location)
    if location == "global":
        return VERTEX_GLOBAL
    if location in ("us", "eu"):
        return f"https://aiplatform.{location}.rep.googleapis.com"
    return f"https://{location}-aiplatform.googleapis.com"


def check_location(location: str) -> None:
    if not _LOCATION.match(location):
        raise ProbeError(f"location {location!r} is not a Google Cloud location name")


def count_tokens(env: Environment, sdk: Sdk | None, model_id: str, project: str | None,
                 location: str | None) -> Target:
    """Where google-genai would send this model's requests, as a countTokens URL."""
    model = quote(model_id, safe="-._@")
    base = env.endpoint.rstrip("/") if env.endpoint else None
    if env.route == "developer-api":
        version = developer_version(sdk)
        return Target(f"{base or DEVELOPER_BASE}/{version}/models/{model}:countTokens",
                      f"the Developer API ({version})")
    version = "v1" if sdk is not None and sdk.package == "vertexai" else "v1beta1"
    if project is None:  # express mode: an API key and no project
        return Target(f"{base or VERTEX_GLOBAL}/{version}/publishers/google/models/{model}:countTokens",
                      "Vertex AI express mode")
    if not _PROJECT.match(project):
        raise ProbeError(f"project {project!r} is not a Google Cloud project ID or number")
    loc = location or "global"
    check_location(loc)
    path = f"/{version}/projects/{project}/locations/{loc}/publishers/google/models/{model}:countTokens"
    return Target((base or vertex_base(loc)) + path, f"location {loc}")
