"""The Vertex project: does it exist, is it ACTIVE, is the API enabled in it.

Resource Manager through google-cloud-resource-manager (REST transport,
``retry=None``, a timeout; our own bounded retries); Service Usage through the
probes' HTTP client.
"""

from __future__ import annotations

from typing import Any

import requests
from google.api_core import exceptions as api_exceptions
from google.api_core.client_options import ClientOptions
from google.auth import exceptions as auth_exceptions
from google.cloud import resourcemanager_v3

from preflight.probes.facts import ApiError, ProjectFacts, ServiceFacts
from preflight.probes.hosts import HostPolicy, ProbeError, Redactor
from preflight.probes.http import (
    Client,
    NetworkError,
    Sleep,
    network_error,
    parse_error,
    redirect_error,
    refuse_redirects,
    with_retries,
)

RESOURCE_MANAGER = "https://cloudresourcemanager.googleapis.com"
SERVICE_USAGE = "https://serviceusage.googleapis.com"


def get_project(facts: ProjectFacts, credentials: Any, policy: HostPolicy, timeout: float,
                sleep: Sleep, redactor: Redactor) -> None:
    """Fill ``facts`` from ``projects.get``; an error answer lands in ``facts.error``."""
    endpoint = policy.resolve(RESOURCE_MANAGER + "/")
    options = None if endpoint == RESOURCE_MANAGER + "/" else ClientOptions(
        api_endpoint=endpoint.rstrip("/"))
    client = resourcemanager_v3.ProjectsClient(credentials=credentials, transport="rest",
                                               client_options=options)
    _refuse_redirects(client)
    what = f"project {facts.id}"

    def once() -> Any:
        try:
            return client.get_project(name=f"projects/{facts.id}", retry=None, timeout=timeout)
        except api_exceptions.GoogleAPICallError as exc:
            return exc
        except requests.RequestException as exc:
            raise network_error(what, endpoint, exc, timeout, redactor) from None
        except auth_exceptions.TransportError as exc:
            raise NetworkError(redactor(f"{what}: {exc}")) from None

    outcome, attempts = with_retries(once, _status, sleep)
    if isinstance(outcome, api_exceptions.GoogleAPICallError):
        facts.error = _api_error(outcome, attempts, redactor)
        return
    state = outcome.state.name
    facts.state = None if state == "STATE_UNSPECIFIED" else state
    facts.project_id = outcome.project_id or None


def _refuse_redirects(client: Any) -> None:
    """The REST transport's session follows redirects by default and offers no option:
    its session gets the probes' no-redirect hook; without one the call is refused."""
    session = getattr(getattr(client, "_transport", None), "_session", None)
    if not isinstance(session, requests.Session):
        raise ProbeError("the Resource Manager client has no session whose redirects can be "
                         "turned off; refusing to call it")
    refuse_redirects(session)


def get_service(facts: ServiceFacts, project: str, client: Client) -> None:
    """Service Usage ``services.get``: ENABLED or DISABLED, or an error answer."""
    url = f"{SERVICE_USAGE}/v1/projects/{project}/services/{facts.name}"
    reply = client.call("GET", url, what=f"Service Usage for {facts.name}")
    if reply.error:
        facts.error = reply.error
        return
    state = reply.payload.get("state")
    facts.state = str(state) if state else None


def _status(outcome: Any) -> int:
    if isinstance(outcome, api_exceptions.GoogleAPICallError):
        return int(outcome.code or 0)
    return 200


def _api_error(exc: api_exceptions.GoogleAPICallError, attempts: int, redactor: Redactor) -> ApiError:
    response = exc.response
    if isinstance(response, requests.Response) and 300 <= response.status_code < 400:
        return redirect_error(response, redactor, attempts)
    if isinstance(response, requests.Response):
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if payload is not None:
            return parse_error(response.status_code, payload, redactor, attempts)
    return ApiError(int(exc.code or 0), message=redactor(exc.message or str(exc)), attempts=attempts)
