"""What the live probes observed, per environment: the facts GP9xx rules judge.

Plain data, no network and no Google imports, so the rule pack can import it on
every run. Every text here has already been scrubbed of tokens and keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from preflight.catalog import Catalog
    from preflight.manifest import Environment, Manifest

# Credential kinds, as google-auth's classes reveal them.
API_KEY = "api-key"
GCLOUD_USER = "gcloud-user"
KEY_FILE = "service-account-key-file"
ATTACHED = "attached-service-account"
WORKLOAD = "workload-identity"
WORKFORCE = "workforce-identity"
IMPERSONATED = "impersonated"

# The API each route calls.
SERVICES = {"vertex": "aiplatform.googleapis.com",
            "developer-api": "generativelanguage.googleapis.com"}

KIND_LABELS = {
    API_KEY: "an API key",
    GCLOUD_USER: "gcloud user credentials",
    KEY_FILE: "a service-account key file",
    ATTACHED: "an attached service account",
    WORKLOAD: "workload identity federation",
    WORKFORCE: "workforce identity federation",
    IMPERSONATED: "an impersonated service account",
}


@dataclass(frozen=True)
class ApiError:
    """A Google error answer: HTTP status, canonical status and ErrorInfo, scrubbed."""

    http: int
    status: str = ""  # canonical status, e.g. PERMISSION_DENIED
    reason: str = ""  # ErrorInfo reason, e.g. SERVICE_DISABLED
    message: str = ""
    service: str = ""  # ErrorInfo metadata.service, when given
    permission: str = ""  # ErrorInfo metadata.permission, when given
    consumer: str = ""  # ErrorInfo metadata.consumer ("projects/123"), when given
    attempts: int = 1

    def describe(self) -> str:
        """``403 PERMISSION_DENIED (SERVICE_DISABLED): message``."""
        head = " ".join(p for p in (str(self.http), self.status) if p)
        if self.reason:
            head += f" ({self.reason})"
        if self.attempts > 1:
            head += f" after {self.attempts} attempts"
        message = self.message if len(self.message) <= 300 else self.message[:297] + "..."
        return f"{head}: {message}" if message else head


def category(source: str, error: ApiError) -> str:
    """Which GP9xx question an error answers, so that each error has one owner.

    ``source`` is where it came from: "project" (Resource Manager), "service"
    (Service Usage) or "model" (countTokens).
    """
    if error.http == 401 or error.reason == "API_KEY_INVALID":
        return "credentials"
    if error.reason == "SERVICE_DISABLED":
        gemini = not error.service or error.service in SERVICES.values()
        return "api-disabled" if gemini else "unknown"
    if error.http == 429:
        return "quota"
    if error.reason == "CONSUMER_INVALID" or (source == "project" and error.http in (403, 404)):
        return "project"
    if source == "service" and error.http in (403, 404):
        return "unknown"  # no permission to read Service Usage; the model call tells
    if source == "model" and error.http == 404:
        return "model-not-served"
    if source == "model" and error.http == 403:
        return "denied"
    return "failed"


@dataclass
class CredentialFacts:
    """Which credential google-genai would use for the route, and whether it works."""

    kind: str | None = None  # one of the kinds above; None = nothing found
    source: str = ""  # where it came from, e.g. "GOOGLE_APPLICATION_CREDENTIALS (/k.json)"
    principal: str | None = None  # service-account e-mail when known
    project: str | None = None  # the project ADC names, if any
    looked: list[str] = field(default_factory=list)  # what was looked for, where (not found)
    error: str | None = None  # google-auth's own words: not found, malformed, refresh refused
    refused: bool = False  # the credential was found but refused (refresh, 401, invalid key)
    key_conflict: tuple[str, str] | None = None  # two API key variables with different values

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind or "", self.kind or "no credentials")


@dataclass
class ProjectFacts:
    """The Vertex project the probes used, and what Resource Manager said about it."""

    id: str | None  # None = no project could be resolved
    source: str = ""  # "manifest", "GOOGLE_CLOUD_PROJECT", "ADC"
    state: str | None = None  # ACTIVE, DELETE_REQUESTED, ...
    project_id: str | None = None  # what Google calls it
    error: ApiError | None = None


@dataclass
class ServiceFacts:
    """Service Usage's answer for the API the route needs."""

    name: str  # aiplatform.googleapis.com | generativelanguage.googleapis.com
    state: str | None = None  # ENABLED | DISABLED | None (unknown)
    error: ApiError | None = None


@dataclass
class ModelFacts:
    """One free ``countTokens`` call on the endpoint google-genai would use."""

    slot: str
    model_id: str
    key: tuple[str, ...]  # key path of the ID inside the slot: ("id",) or the fallback
    where: str  # "location us-central1", "the Developer API (v1)", "express mode"
    url: str  # the endpoint, secret-free
    error: ApiError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class EnvFacts:
    """Everything probed for one environment of the manifest."""

    name: str
    env: Environment
    location: str | None = None
    credentials: CredentialFacts = field(default_factory=CredentialFacts)
    project: ProjectFacts | None = None
    service: ServiceFacts | None = None
    models: list[ModelFacts] = field(default_factory=list)

    def errors(self) -> Iterator[tuple[str, ApiError]]:
        """Every API error seen, with where it came from (project, service, model)."""
        if self.project and self.project.error:
            yield "project", self.project.error
        if self.service and self.service.error:
            yield "service", self.service.error
        for model in self.models:
            if model.error:
                yield "model", model.error

    @property
    def uses_api_key(self) -> bool:
        """google-genai sends an API key on this route (Developer API, or Vertex with a key)."""
        auth = self.env.auth
        return self.env.route == "developer-api" or (auth is not None and auth.method == "api-key")

    @property
    def any_call_succeeded(self) -> bool:
        return any(m.ok for m in self.models)

    def summary(self) -> str:
        """One line on what was probed and found, for the run's notes."""
        cred = self.credentials
        if cred.kind is None:
            return f"probed '{self.name}': no credentials found"
        parts = [f"probed '{self.name}' with {cred.label}"
                 + (f" ({cred.principal})" if cred.principal else "")
                 + (f" from {cred.source}" if cred.source else "")]
        if self.project is not None and self.project.id:
            parts.append(f"project {self.project.id} {self.project.state or 'not read'}")
        if self.service is not None:
            parts.append(f"{self.service.name} {self.service.state or 'not read'}")
        if self.models:
            served = sum(m.ok for m in self.models)
            parts.append(f"{served} of {len(self.models)} model calls answered in "
                         f"{self.models[0].where}")
        return "; ".join(parts)


@dataclass(frozen=True)
class ProbeContext:
    """What a probe rule (``check_probe``) is given: the manifest and the facts."""

    manifest: Manifest
    catalog: Catalog
    today: date
    environments: dict[str, EnvFacts]

    def probed(self) -> Iterator[EnvFacts]:
        yield from self.environments.values()
