"""Credentials, resolved the way google-genai resolves them for the route.

Developer API: ``GOOGLE_API_KEY`` beats ``GEMINI_API_KEY`` (or the variable the
manifest names in ``auth.api_key_env`` when it is neither). Vertex AI:
Application Default Credentials through ``google.auth.default()``; the kind is
read from the credentials' class, and a token is refreshed so that expired or
revoked credentials show up with google-auth's own error.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import google.auth
import google.auth.transport.requests
import requests
from google.auth import exceptions

import preflight.probes.facts as f
from preflight.manifest import Environment
from preflight.probes.hosts import Redactor
from preflight.probes.http import NetworkError, refuse_redirects, short_reason

API_KEY_VARS = ("GOOGLE_API_KEY", "GEMINI_API_KEY")
SCOPES = ("https://www.googleapis.com/auth/cloud-platform",)

# google-auth class (module, name) -> kind
_KINDS = {
    ("google.oauth2.credentials", "Credentials"): f.GCLOUD_USER,
    ("google.oauth2.service_account", "Credentials"): f.KEY_FILE,
    ("google.auth.compute_engine.credentials", "Credentials"): f.ATTACHED,
    ("google.auth.identity_pool", "Credentials"): f.WORKLOAD,
    ("google.auth.aws", "Credentials"): f.WORKLOAD,
    ("google.auth.pluggable", "Credentials"): f.WORKLOAD,
    ("google.auth.external_account_authorized_user", "Credentials"): f.WORKFORCE,
    ("google.auth.impersonated_credentials", "Credentials"): f.IMPERSONATED,
}


class TimedRequest(google.auth.transport.requests.Request):
    """google-auth's transport with our timeout as an upper bound on every call, and no
    redirect followed (a token endpoint that redirects gets no second assertion)."""

    def __init__(self, timeout: float) -> None:
        super().__init__(session=refuse_redirects(requests.Session()))
        self.cap = timeout

    def __call__(self, url: str, method: str = "GET", body: Any = None, headers: Any = None,
                 timeout: float | None = None, **kwargs: Any) -> Any:
        limit = self.cap if timeout is None else min(float(timeout), self.cap)
        return super().__call__(  # type: ignore[no-untyped-call]
            url, method=method, body=body, headers=headers, timeout=limit, **kwargs)


def api_key(env: Environment, environ: Mapping[str, str]) -> tuple[str | None, f.CredentialFacts]:
    facts = f.CredentialFacts()
    values = {name: environ.get(name, "").strip() for name in API_KEY_VARS}
    if all(values.values()) and len(set(values.values())) == 2:
        facts.key_conflict = API_KEY_VARS
    named = env.auth.api_key_env if env.auth else None
    order = (named,) if named and named not in API_KEY_VARS else API_KEY_VARS
    for name in order:
        key = environ.get(name, "").strip()
        if key:
            facts.kind, facts.source = f.API_KEY, f"environment variable {name}"
            return key, facts
    facts.looked = [f"{name} ({'empty' if name in environ else 'unset'})" for name in order]
    facts.error = "no API key in " + " or ".join(order)
    return None, facts


def application_default(timeout: float, environ: Mapping[str, str],
                        redactor: Redactor) -> tuple[Any, f.CredentialFacts]:
    """``google.auth.default()`` with the cloud-platform scope, classified."""
    facts = f.CredentialFacts()
    try:
        credentials, project = google.auth.default(scopes=list(SCOPES), request=TimedRequest(timeout))
    except exceptions.DefaultCredentialsError as exc:
        facts.looked = looked_for(environ)
        facts.error = redactor(auth_message(exc))
        return None, facts
    except exceptions.TransportError as exc:
        raise NetworkError(f"resolving credentials: {short_reason(exc)}") from None
    facts.kind = kind_of(credentials)
    facts.source = source_of(facts.kind, environ)
    facts.project = project or None
    facts.principal = principal_of(credentials)
    return credentials, facts


def refresh(credentials: Any, facts: f.CredentialFacts, timeout: float, redactor: Redactor) -> None:
    """Get a token now, so expired or revoked credentials show up with google-auth's error."""
    try:
        credentials.refresh(TimedRequest(timeout))
    except exceptions.RefreshError as exc:
        facts.refused, facts.error = True, redactor(auth_message(exc))
    except exceptions.TransportError as exc:
        raise NetworkError(redactor(f"refreshing {facts.label}: {short_reason(exc)}")) from None
    except exceptions.GoogleAuthError as exc:
        facts.refused, facts.error = True, redactor(auth_message(exc))
    redactor.add(getattr(credentials, "token", None))
    facts.principal = principal_of(credentials) or facts.principal


def token_endpoint(credentials: Any) -> str | None:
    """Where a key file or federation config sends its signed assertion or subject token."""
    for name in ("_token_uri", "_token_url"):
        value = getattr(credentials, name, None)
        if isinstance(value, str) and value:
            return value
    return None


def kind_of(credentials: Any) -> str:
    for cls in type(credentials).__mro__:
        kind = _KINDS.get((cls.__module__, cls.__name__))
        if kind:
            return kind
    if type(credentials).__module__.startswith("google.auth.external_account"):
        return f.WORKLOAD
    return type(credentials).__name__


def principal_of(credentials: Any) -> str | None:
    email = getattr(credentials, "service_account_email", None)
    return email if isinstance(email, str) and "@" in email else None


def source_of(kind: str, environ: Mapping[str, str]) -> str:
    explicit = environ.get("GOOGLE_APPLICATION_CREDENTIALS", "")
    if kind == f.ATTACHED:
        return f"the metadata server ({metadata_host(environ)})"
    if explicit:
        return f"GOOGLE_APPLICATION_CREDENTIALS ({explicit})"
    return f"the gcloud ADC file ({adc_file(environ)})"


def looked_for(environ: Mapping[str, str]) -> list[str]:
    """What ``google.auth.default()`` tried, in its order, for a 'not found' message."""
    explicit = environ.get("GOOGLE_APPLICATION_CREDENTIALS", "")
    places = [f"GOOGLE_APPLICATION_CREDENTIALS={explicit}" if explicit
              else "GOOGLE_APPLICATION_CREDENTIALS (unset)"]
    path = adc_file(environ)
    places.append(f"gcloud ADC file {path} ({'present' if path.is_file() else 'missing'})")
    if environ.get("NO_GCE_CHECK", "").lower() == "true":
        places.append("metadata server (not checked: NO_GCE_CHECK=true)")
    else:
        places.append(f"metadata server {metadata_host(environ)} (no answer)")
    return places


def adc_file(environ: Mapping[str, str]) -> Path:
    config = environ.get("CLOUDSDK_CONFIG")
    if config:
        base = Path(config)
    elif os.name == "nt":
        base = Path(environ.get("APPDATA", "")) / "gcloud"
    else:
        base = Path(environ.get("HOME") or Path.home()) / ".config" / "gcloud"
    return base / "application_default_credentials.json"


def metadata_host(environ: Mapping[str, str]) -> str:
    return environ.get("GCE_METADATA_HOST") or environ.get("GCE_METADATA_IP") or "169.254.169.254"


def auth_message(exc: BaseException) -> str:
    """google-auth's own words: the first argument, not the tuple repr."""
    first = exc.args[0] if exc.args else ""
    text = first if isinstance(first, str) else str(exc)
    return " ".join(text.split()) or type(exc).__name__
