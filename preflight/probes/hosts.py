"""Where probes may send credentials, and how secrets are kept out of every text.

Credentials and keys go only to Google hosts (``*.googleapis.com``) over https,
or to a host the user names with ``--allow-host`` (https too). Every URL is read
once, by :func:`preflight.urls.parse` (which refuses any URL two parsers would
read differently), and the request goes to the URL rebuilt from that reading.

Test hook, not a user feature: the environment variable
``GEMINI_PREFLIGHT_TEST_ENDPOINTS`` maps Google hosts to fake servers that a
test runs on the loopback interface, as ``HOST=URL`` pairs separated by commas
(``*=URL`` for every host). Only loopback URLs (127.0.0.1, ::1, localhost) are
accepted, so it cannot be used to send credentials anywhere else; once it is
set, a Google host it does not map is refused rather than reached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from preflight import urls
from preflight.findings import redact, scrub

TEST_HOOK = "GEMINI_PREFLIGHT_TEST_ENDPOINTS"
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
GOOGLE_DOMAIN = "googleapis.com"


class ProbeError(Exception):
    """The probes cannot do their job (exit 2): one message, no traceback."""


class HostRefused(ProbeError):
    """A request would send credentials to a host that is not allowed."""


def is_google_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host == GOOGLE_DOMAIN or host.endswith("." + GOOGLE_DOMAIN)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def parse_test_endpoints(value: str) -> dict[str, str]:
    """``HOST=URL,...`` -> ``{host: url}``; any non-loopback URL is refused."""
    mapping: dict[str, str] = {}
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        host, sep, url = item.partition("=")
        if not sep:
            host, url = "*", item
        try:
            parts = urls.parse(url.strip())
        except urls.UrlError:
            parts = None
        if parts is None or parts.host not in LOOPBACK:
            raise ProbeError(
                f"{TEST_HOOK} is a test hook and accepts loopback URLs only "
                f"(127.0.0.1, ::1, localhost); got {url.strip()!r}"
            )
        mapping[host.strip().lower()] = parts.geturl().rstrip("/")
    return mapping


@dataclass(frozen=True)
class HostPolicy:
    """Decides where a request may go; rewrites Google hosts to fakes in tests."""

    allow_hosts: frozenset[str] = frozenset()
    test_endpoints: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, allow_hosts: Iterable[str], environ: Mapping[str, str]) -> HostPolicy:
        hook = environ.get(TEST_HOOK, "")
        return cls(frozenset(h.strip().lower() for h in allow_hosts if h.strip()),
                   parse_test_endpoints(hook) if hook.strip() else {})

    def check(self, url: str) -> urls.Url:
        """Refuse a URL that is not plain https on a Google or an allowed host."""
        try:
            parts = urls.parse(url)
        except urls.UrlError as exc:
            raise HostRefused(f"refusing to send credentials to {scrub(url)!r}: {exc}") from None
        host = parts.host
        if not (is_google_host(host) or host in self.allow_hosts):
            raise HostRefused(
                f"{host or url!r} is not a Google host: probes send credentials only to "
                f"*.{GOOGLE_DOMAIN} (pass --allow-host {host or 'HOST'} to probe it anyway)"
            )
        if parts.scheme != "https":
            raise HostRefused(f"{parts.scheme}://{host} is not https: probes send credentials "
                              "only over https")
        return parts

    def check_token_endpoint(self, url: str) -> None:
        """A credential file's token endpoint gets signed assertions: Google hosts only
        (loopback too while the test hook is set, for fake token servers)."""
        try:
            if self.test_endpoints and urls.parse(url).host in LOOPBACK:
                return
        except urls.UrlError:
            pass
        try:
            self.check(url)
        except HostRefused:
            raise HostRefused(f"the credentials' token endpoint {scrub(url)!r} is not https on a Google "
                              "host: refusing to send a signed assertion there") from None

    def resolve(self, url: str) -> str:
        """The URL to really call: ``url`` itself, or its loopback stand-in in tests."""
        parts = self.check(url)
        if not self.test_endpoints:
            return parts.geturl()
        base = self.test_endpoints.get(parts.host) or self.test_endpoints.get("*")
        if base is None:
            raise ProbeError(f"{TEST_HOOK} is set but maps no endpoint for {parts.host}")
        return base + parts.path + (f"?{parts.query}" if parts.query else "")


class Redactor:
    """Removes known secrets (the key or token in use) and, through ``scrub``, every
    credential shape of ``data/keys.yaml`` (keys, OAuth tokens, JWTs) from text."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def add(self, secret: str | None) -> None:
        if secret and len(secret) >= 8:
            self._secrets.add(secret)

    def __call__(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = re.sub(re.escape(secret), redact(secret), text, flags=re.IGNORECASE)
        return scrub(text)
