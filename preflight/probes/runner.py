"""Probe one manifest's environments, in order, and collect what they found.

Per environment: credentials (and a token), then for Vertex with ADC the
project (Resource Manager) and the API (Service Usage), then one free
``countTokens`` call per model on the endpoint google-genai would use. The
first network failure stops the run: the network is the problem, not the
deployment, and one clear message says so.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator, Mapping

import requests
from google.auth.transport.requests import AuthorizedSession

import preflight.probes.credentials as credentials
import preflight.probes.endpoints as endpoints
import preflight.probes.project as project
from preflight.manifest import Manifest
from preflight.probes.facts import SERVICES, EnvFacts, ModelFacts, ProjectFacts, ServiceFacts
from preflight.probes.hosts import HostPolicy, ProbeError, Redactor
from preflight.probes.http import Client, NetworkError, Sleep


class Prober:
    """The probes of one run: where calls may go, how long they may take, what to hide."""

    def __init__(self, policy: HostPolicy, timeout: float, sleep: Sleep,
                 environ: Mapping[str, str], redactor: Redactor) -> None:
        self.policy, self.timeout, self.sleep = policy, timeout, sleep
        self.environ, self.redactor = environ, redactor
        self.errors: list[str] = []

    def run(self, manifest: Manifest, names: list[str]) -> dict[str, EnvFacts]:
        found: dict[str, EnvFacts] = {}
        with warnings.catch_warnings(), _quiet_google_logs():
            warnings.simplefilter("ignore")
            for name in names:
                facts = found[name] = EnvFacts(name, manifest.environments[name])
                try:
                    self.environment(manifest, facts)
                except NetworkError as exc:
                    self.errors.append(f"environment '{name}': {self.redactor(str(exc))}; "
                                       "live probes need network access to *.googleapis.com")
                    break
                except ProbeError as exc:
                    self.errors.append(f"environment '{name}': {self.redactor(str(exc))}")
        return found

    def environment(self, manifest: Manifest, facts: EnvFacts) -> None:
        env = facts.env
        uses_key = facts.uses_api_key
        headers: dict[str, str] = {}
        project_id: str | None = None
        if uses_key:
            key, facts.credentials = credentials.api_key(env, self.environ)
            if key is None:
                return
            self.redactor.add(key)
            headers["x-goog-api-key"] = key
            session = requests.Session()
            project_id = env.project if env.route == "vertex" else None
        else:
            found, facts.credentials = credentials.application_default(
                self.timeout, self.environ, self.redactor)
            if found is None:
                return
            endpoint = credentials.token_endpoint(found)
            if endpoint:
                self.policy.check_token_endpoint(endpoint)
            credentials.refresh(found, facts.credentials, self.timeout, self.redactor)
            if facts.credentials.refused:
                return
            session = AuthorizedSession(  # type: ignore[no-untyped-call]
                found, refresh_status_codes=(), max_refresh_attempts=1,
                refresh_timeout=self.timeout, auth_request=credentials.TimedRequest(self.timeout))
            facts.project = self.resolve_project(env.project, facts.credentials.project)
            if facts.project.id is None:
                return
            project_id = facts.project.id
            project.get_project(facts.project, found, self.policy, self.timeout, self.sleep,
                                self.redactor)
            if facts.project.error and facts.project.error.http == 404:
                return
        client = Client(session, self.policy, self.timeout, self.sleep, self.redactor)
        if env.route == "vertex" and not uses_key and project_id:
            facts.service = ServiceFacts(SERVICES["vertex"])
            project.get_service(facts.service, project_id, client)
        if env.route == "vertex":
            facts.location = (env.location or self.environ.get("GOOGLE_CLOUD_LOCATION")
                              or ("us-central1" if _legacy_vertex(manifest) else "global"))
        self.models(manifest, facts, client, headers, project_id)

    def resolve_project(self, named: str | None, from_adc: str | None) -> ProjectFacts:
        """The manifest's project, else GOOGLE_CLOUD_PROJECT, else the one ADC names."""
        if named:
            return ProjectFacts(named, "manifest")
        env_project = self.environ.get("GOOGLE_CLOUD_PROJECT")
        if env_project:
            return ProjectFacts(env_project, "GOOGLE_CLOUD_PROJECT")
        return ProjectFacts(from_adc, "Application Default Credentials")

    def models(self, manifest: Manifest, facts: EnvFacts, client: Client,
               headers: Mapping[str, str], project_id: str | None) -> None:
        seen: dict[str, ModelFacts] = {}
        for slot, model_id, key in model_ids(manifest):
            if model_id in seen:
                first = seen[model_id]
                facts.models.append(ModelFacts(slot, model_id, key, first.where, first.url, first.error))
                continue
            target = endpoints.count_tokens(facts.env, manifest.sdk, model_id, project_id,
                                            facts.location)
            reply = client.call("POST", target.url, f"countTokens for {model_id}",
                                body=endpoints.COUNT_BODY, headers=headers)
            seen[model_id] = result = ModelFacts(slot, model_id, key, target.where, target.url,
                                                 reply.error)
            facts.models.append(result)
            if reply.error and (reply.error.http == 401 or reply.error.reason in _FATAL_REASONS):
                if reply.error.http == 401 or reply.error.reason == "API_KEY_INVALID":
                    facts.credentials.refused = True
                return  # every other call would fail the same way


_FATAL_REASONS = {"API_KEY_INVALID", "SERVICE_DISABLED", "CONSUMER_INVALID", "BILLING_DISABLED"}


def model_ids(manifest: Manifest) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(slot, model ID, key path inside the slot) for each model and migration fallback."""
    for slot, model in manifest.models.items():
        yield slot, model.id, ("id",)
        plan = model.migration_plan
        if plan is not None and plan.fallback:
            yield slot, plan.fallback, ("migration_plan", "fallback")


def _legacy_vertex(manifest: Manifest) -> bool:
    return manifest.sdk is not None and manifest.sdk.package == "vertexai"


@contextlib.contextmanager
def _quiet_google_logs() -> Iterator[None]:
    """google-auth logs warnings (no metadata server, no project) that the probes report."""
    logger = logging.getLogger("google")
    saved = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(saved)
