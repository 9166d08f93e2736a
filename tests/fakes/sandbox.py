"""A sandbox for probe tests: empty HOME, no real credentials, every Google host on a fake.

Nothing in here can reach the internet: the probes' test hook maps every Google
host to the fake server, the metadata server is the fake or not checked at all,
and credential files are generated at run time with loopback ``token_uri``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

from preflight.probes.hosts import TEST_HOOK
from tests.fakes.keys import api_key, authorized_user_file, service_account_file, workload_identity_file
from tests.fakes.server import FakeGoogle

CLEARED = (
    "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_CLOUD_PROJECT",
    "GCLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "GOOGLE_CLOUD_QUOTA_PROJECT", "GCE_METADATA_HOST",
    "GCE_METADATA_IP", "GCE_METADATA_ROOT", "CLOUDSDK_CONFIG", "NO_GCE_CHECK", TEST_HOOK,
    "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_ENTERPRISE",
)
KINDS = ("none", "api-key", "service-account-key-file", "attached-service-account",
         "workload-identity", "gcloud-user")


@dataclass
class Sandbox:
    fake: FakeGoogle
    folder: Path
    environ: dict[str, str]
    slept: list[float] = field(default_factory=list)  # backoff delays the probes asked for

    def setenv(self, name: str, value: str) -> None:
        self.environ[name] = os.environ[name] = value


def sandbox_environ(fake: FakeGoogle, folder: Path, credentials: str) -> dict[str, str]:
    """The environment variables of a sandbox with the given kind of credentials."""
    assert credentials in KINDS, f"unknown credentials {credentials!r} (one of {KINDS})"
    values = {"HOME": str(folder), "CLOUDSDK_CONFIG": str(folder / "gcloud"),
              "NO_GCE_CHECK": "true", TEST_HOOK: f"*={fake.url}"}
    if credentials == "service-account-key-file":
        values["GOOGLE_APPLICATION_CREDENTIALS"] = str(service_account_file(folder, fake.url + "/token"))
    elif credentials == "attached-service-account":
        values.update(NO_GCE_CHECK="false", GCE_METADATA_HOST=fake.netloc, GCE_METADATA_IP=fake.netloc)
    elif credentials == "api-key":
        values["GOOGLE_API_KEY"] = api_key()
    elif credentials == "workload-identity":
        values["GOOGLE_APPLICATION_CREDENTIALS"] = str(workload_identity_file(folder, fake.url + "/sts"))
    elif credentials == "gcloud-user":  # its token_uri is fixed to Google: never refresh it in tests
        authorized_user_file(folder / "gcloud")
    return values


@contextlib.contextmanager
def sandbox(credentials: str = "none", env: Mapping[str, str] | None = None) -> Iterator[Sandbox]:
    with FakeGoogle() as fake, TemporaryDirectory() as tmp:
        folder = Path(tmp)
        values = {**sandbox_environ(fake, folder, credentials), **(env or {})}
        with patched_environ(values), patched_metadata(values):
            yield Sandbox(fake, folder, values)


@contextlib.contextmanager
def patched_environ(values: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    try:
        for name in CLEARED:
            os.environ.pop(name, None)
        os.environ.update(values)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def patched_metadata(values: Mapping[str, str]) -> Iterator[None]:
    """google-auth reads GCE_METADATA_HOST and NO_GCE_CHECK once, at import: follow the sandbox."""
    from google.auth.compute_engine import _metadata

    saved = (_metadata._GCE_METADATA_HOST, _metadata._NO_GCE_CHECK)
    _metadata._GCE_METADATA_HOST = values.get("GCE_METADATA_HOST", "metadata.google.internal")
    _metadata._NO_GCE_CHECK = values.get("NO_GCE_CHECK") == "true"
    try:
        yield
    finally:
        _metadata._GCE_METADATA_HOST, _metadata._NO_GCE_CHECK = saved
