"""HTTP for probes: allowed hosts only, a timeout on every call, bounded retries.

429 and 5xx answers get at most two retries, with exponential backoff from one
second (``sleep`` is injected so tests stay fast); 4xx answers are never
retried; no answer at all (refused, DNS, timeout) is a :class:`NetworkError`.

No redirect is ever followed (:func:`refuse_redirects`): a 3xx answer is reported
as it is, so a key or token is never re-sent to the host a redirect names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import requests

from preflight import __version__
from preflight.probes.facts import ApiError
from preflight.probes.hosts import HostPolicy, ProbeError, Redactor, host_of

Sleep = Callable[[float], None]
T = TypeVar("T")
S = TypeVar("S", bound=requests.Session)

MAX_RETRIES = 2
FIRST_DELAY_S = 1.0
USER_AGENT = f"gemini-preflight/{__version__}"


class NetworkError(ProbeError):
    """No answer at all: connection refused, name not resolved, timeout."""


def refuse_redirects(session: S) -> S:
    """Make ``session`` return 3xx answers as they are instead of following them.

    A response hook moves ``Location`` aside before requests looks for it, so this
    holds for every caller of the session, including google-auth and the Resource
    Manager client, whatever ``allow_redirects`` they pass.
    """
    if _keep_redirect not in session.hooks["response"]:
        session.hooks["response"].append(_keep_redirect)
    return session


REFUSED_LOCATION = "x-preflight-refused-location"


def _keep_redirect(response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
    location = response.headers.pop("location", None)
    if location is not None:
        response.headers[REFUSED_LOCATION] = location
    return response


def redirect_error(response: requests.Response, redactor: Redactor, attempts: int = 1) -> ApiError:
    """A 3xx answer as an error: where it pointed (host only) and that it was not followed."""
    location = response.headers.get(REFUSED_LOCATION, "")
    where = f" to {host_of(location) or 'another place'}" if location else ""
    return ApiError(response.status_code, message=redactor(
        f"the server answered with a redirect{where}; probes follow no redirect, so no "
        "credentials were sent there"), attempts=attempts)


def retryable(status: int) -> bool:
    return status == 429 or status >= 500


def with_retries(attempt: Callable[[], T], status_of: Callable[[T], int], sleep: Sleep) -> tuple[T, int]:
    """Run ``attempt`` until it is not retryable or two retries are spent: (outcome, attempts)."""
    delay = FIRST_DELAY_S
    number = 1
    outcome = attempt()
    while number <= MAX_RETRIES and retryable(status_of(outcome)):
        sleep(delay)
        delay *= 2
        number += 1
        outcome = attempt()
    return outcome, number


def parse_error(http: int, payload: Any, redactor: Redactor, attempts: int = 1,
                fallback: str = "") -> ApiError:
    """Google's error shape ``{"error": {code, message, status, details: [ErrorInfo]}}``."""
    if isinstance(payload, list) and payload and isinstance(payload[0], dict):
        payload = payload[0]  # some Google APIs wrap the error in a list
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        text = " ".join(fallback.split())[:200]
        return ApiError(http, message=redactor(text), attempts=attempts)
    details = error.get("details")
    infos = [d for d in details if isinstance(d, dict)
             and str(d.get("@type", "")).endswith("google.rpc.ErrorInfo")] if isinstance(
                 details, list) else []
    info: Mapping[str, Any] = infos[0] if infos else {}
    metadata = info.get("metadata")
    meta: Mapping[str, Any] = metadata if isinstance(metadata, dict) else {}
    return ApiError(
        http,
        status=str(error.get("status") or ""),
        reason=str(info.get("reason") or ""),
        message=redactor(str(error.get("message") or "")),
        service=str(meta.get("service") or ""),
        permission=str(meta.get("permission") or ""),
        consumer=str(meta.get("consumer") or ""),
        attempts=attempts,
    )


_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\"()\[\]]+)")


def short_reason(exc: BaseException) -> str:
    """``Connection refused`` rather than urllib3's paragraph."""
    text = str(exc)
    match = _ERRNO.search(text)
    if match:
        return match.group(1).strip().rstrip(".")
    if "Name or service not known" in text or "NameResolutionError" in text:
        return "name not resolved"
    return " ".join(text.split())[:160] or type(exc).__name__


def network_error(what: str, url: str, exc: BaseException, timeout: float,
                  redactor: Redactor) -> NetworkError:
    host = host_of(url) or url
    if isinstance(exc, requests.Timeout):
        return NetworkError(f"{what}: no answer from {host} within {timeout:g} s")
    return NetworkError(redactor(f"{what}: cannot reach {host}: {short_reason(exc)}"))


@dataclass(frozen=True)
class Reply:
    status: int
    payload: Mapping[str, Any]
    error: ApiError | None


class Client:
    """Calls Google REST endpoints through one session (plain, or google-auth's)."""

    def __init__(self, session: requests.Session, policy: HostPolicy, timeout: float,
                 sleep: Sleep, redactor: Redactor) -> None:
        self.session, self.policy, self.timeout = refuse_redirects(session), policy, timeout
        self.sleep, self.redactor = sleep, redactor

    def call(self, method: str, url: str, what: str, body: Mapping[str, Any] | None = None,
             headers: Mapping[str, str] | None = None) -> Reply:
        target = self.policy.resolve(url)
        sent = {"user-agent": USER_AGENT, "x-goog-api-client": USER_AGENT, **(headers or {})}

        def once() -> requests.Response:
            try:
                return self.session.request(method, target, json=body, headers=sent,
                                            timeout=self.timeout, allow_redirects=False)
            except requests.RequestException as exc:
                raise network_error(what, target, exc, self.timeout, self.redactor) from None

        response, attempts = with_retries(once, lambda r: r.status_code, self.sleep)
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if 300 <= response.status_code < 400:
            return Reply(response.status_code, {}, redirect_error(response, self.redactor, attempts))
        if response.status_code < 400:
            return Reply(response.status_code, payload if isinstance(payload, dict) else {}, None)
        error = parse_error(response.status_code, payload, self.redactor, attempts, response.text)
        return Reply(response.status_code, {}, error)
