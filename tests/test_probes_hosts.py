"""Where credentials may go: one URL reading for the host policy and the request, and no
redirect followed. Real requests, google-auth and Resource Manager clients against servers
on 127.0.0.1 (tests/fakes); nothing here reaches the internet."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from preflight import api, urls
from preflight.probes import ProbeSettings
from tests.conftest import TODAY
from tests.fakes.keys import loopback_certificate
from tests.fakes.sandbox import Sandbox, sandbox
from tests.fakes.server import FakeGoogle, refused_url

HOOK = "GEMINI_PREFLIGHT_TEST_ENDPOINTS"
DEVELOPER = """\
version: 1
app: demo
environments:
  development:
    route: developer-api
    auth: {{method: api-key}}
{endpoint}models:
  chat: {{id: gemini-3.5-flash}}
"""
VERTEX = """\
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: us-central1
    auth: {method: service-account-key-file}
models:
  chat: {id: gemini-3.5-flash}
"""


def probe(box: Sandbox, manifest: str, **options: object) -> api.Result:
    path = box.folder / "gemini-deploy.yaml"
    path.write_text(manifest, encoding="utf-8")
    settings = ProbeSettings(sleep=lambda s: None, timeout=5, **options)  # type: ignore[arg-type]
    return api.probe([path], api.Options(today=TODAY), settings)


def everything(result: api.Result) -> str:
    return repr(result.findings) + repr(result.errors) + repr(result.notes)


@pytest.fixture
def tls_server(tmp_path: Path) -> tuple[FakeGoogle, Path]:
    cert, key = loopback_certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return FakeGoogle(tls=context), cert


def real_hosts(box: Sandbox, cert: Path) -> None:
    """No test-hook mapping: the probes use the endpoint as written. requests trusts the
    loopback certificate, and every other host goes to a proxy that refuses connections."""
    box.setenv(HOOK, "")
    box.setenv("REQUESTS_CA_BUNDLE", str(cert))
    box.setenv("HTTPS_PROXY", refused_url())
    box.setenv("NO_PROXY", "127.0.0.1")


def test_the_loopback_https_server_receives_the_key_when_the_host_is_allowed(
        tls_server: tuple[FakeGoogle, Path]) -> None:
    """Control for the next test: this set-up does deliver a key to 127.0.0.1."""
    server, cert = tls_server
    with server, sandbox("api-key") as box:
        real_hosts(box, cert)
        endpoint = f"    endpoint: {server.url}\n"
        result = probe(box, DEVELOPER.format(endpoint=endpoint), allow_hosts=("127.0.0.1",))
        assert result.errors == []
        assert [s.headers["x-goog-api-key"] for s in server.seen] == [box.environ["GOOGLE_API_KEY"]]


@pytest.mark.parametrize("authority", [
    "{netloc}\\@generativelanguage.googleapis.com",
    "{netloc}\\\\@generativelanguage.googleapis.com",
    "generativelanguage.googleapis.com\\@{netloc}",
    "bob@{netloc}",
])
def test_an_endpoint_read_two_ways_never_gets_the_key(
        tls_server: tuple[FakeGoogle, Path], authority: str) -> None:
    server, cert = tls_server
    with server, sandbox("api-key") as box:
        real_hosts(box, cert)
        url = "https://" + authority.format(netloc=server.netloc)
        result = probe(box, DEVELOPER.format(endpoint=f"    endpoint: '{url}'\n"))
        assert server.seen == []
        (error,) = result.errors
        assert "refusing to send credentials" in error
        assert box.environ["GOOGLE_API_KEY"] not in everything(result)


@pytest.mark.parametrize("url", [
    "https://127.0.0.1:8443\\@generativelanguage.googleapis.com",
    "https://bob:pw@generativelanguage.googleapis.com",
    "https://generativelanguage.googleapis.com\t/v1",
    "https://generativelanguage.googleapis.com\x00.evil.example",
    "https://generativelanguage.googleapis.com%2f@evil.example",
    "https://x.googleapis.com%2e/",
    "https://generativelanguage.googleapis.com /v1",
    "https://gén.googleapis.com/",
    "https://[::1/",
    "ftp://generativelanguage.googleapis.com",
    "//generativelanguage.googleapis.com",
])
def test_urls_refuses_anything_two_parsers_could_read_differently(url: str) -> None:
    with pytest.raises(urls.UrlError):
        urls.parse(url)


@pytest.mark.parametrize(("url", "origin"), [
    ("https://generativelanguage.googleapis.com/v1", "https://generativelanguage.googleapis.com"),
    ("HTTPS://AIPLATFORM.GOOGLEAPIS.COM.:443/", "https://aiplatform.googleapis.com:443"),
    ("http://[::1]:8080/x?y=1", "http://[::1]:8080"),
])
def test_urls_reads_plain_urls(url: str, origin: str) -> None:
    parsed = urls.parse(url)
    assert parsed.origin == origin
    assert urls.parse(parsed.geturl()) == parsed


REDIRECTS = [
    ("api-key", "developer", "POST", "*:countTokens"),
    ("service-account-key-file", "vertex", "POST", "/token"),
    ("service-account-key-file", "vertex", "GET", "/v3/projects/*"),
    ("service-account-key-file", "vertex", "GET", "*/services/*"),
    ("service-account-key-file", "vertex", "POST", "*:countTokens"),
]


@pytest.mark.parametrize(("credentials", "route", "method", "pattern"), REDIRECTS)
@pytest.mark.parametrize("status", [307, 302])
def test_a_redirect_is_never_followed(credentials: str, route: str, method: str, pattern: str,
                                      status: int) -> None:
    """An allowed host answers with a redirect to another host: nothing reaches it."""
    with FakeGoogle() as thief, sandbox(credentials) as box:
        port = thief.server.server_address[1]
        box.fake.on(method, pattern, status, {}, headers={"Location": f"http://localhost:{port}/x"})
        manifest = DEVELOPER.format(endpoint="") if route == "developer" else VERTEX
        result = probe(box, manifest)
        assert thief.seen == []
        assert box.fake.calls(f"{method} {pattern}")
        text = everything(result)
        assert box.fake.token not in text
        assert box.environ.get("GOOGLE_API_KEY", "\x00") not in text
        if pattern == "/v3/projects/*":  # silent when the model calls answer (see GP904)
            assert "project acme-genai-prod not read" in text
        elif pattern != "/token":  # google-auth reports a refused token its own way (GP902)
            assert "redirect" in text, text
        assert result.findings or result.errors or pattern == "/v3/projects/*"
