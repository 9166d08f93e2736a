"""Probe building blocks without servers: hosts, redaction, retries, errors, endpoints."""

from __future__ import annotations

import pytest

from preflight.loader import parse_yaml
from preflight.manifest import Environment, Sdk, parse_manifest
from preflight.probes import choose_environments
from preflight.probes.endpoints import count_tokens, developer_version
from preflight.probes.hosts import HostPolicy, HostRefused, ProbeError, Redactor, parse_test_endpoints
from preflight.probes.http import parse_error, with_retries
from tests.fakes.keys import api_key
from tests.fakes.server import google_error


@pytest.mark.parametrize("url", ["https://aiplatform.googleapis.com/v1", "https://x.googleapis.com/",
                                 "https://us-central1-aiplatform.googleapis.com/a"])
def test_google_hosts_over_https_pass(url: str) -> None:
    assert HostPolicy().resolve(url) == url


@pytest.mark.parametrize(("url", "words"), [
    ("https://gateway.example.com/v1", "--allow-host gateway.example.com"),
    ("https://googleapis.com.evil.example/v1", "not a Google host"),
    ("https://evilgoogleapis.com/v1", "not a Google host"),
    ("http://aiplatform.googleapis.com/v1", "not https"),
])
def test_other_hosts_and_plain_http_are_refused(url: str, words: str) -> None:
    with pytest.raises(HostRefused, match=words.replace(".", r"\.")):
        HostPolicy().resolve(url)


def test_allowed_host_still_needs_https() -> None:
    policy = HostPolicy.create(["Gateway.Example.com"], {})
    assert policy.resolve("https://gateway.example.com/v1") == "https://gateway.example.com/v1"
    with pytest.raises(HostRefused, match="not https"):
        policy.resolve("http://gateway.example.com/v1")


@pytest.mark.parametrize("value", ["*=http://example.com:80", "*=http://10.0.0.1:8080",
                                   "aiplatform.googleapis.com=https://aiplatform.googleapis.com",
                                   "http://169.254.169.254"])
def test_test_hook_accepts_loopback_only(value: str) -> None:
    with pytest.raises(ProbeError, match="loopback URLs only"):
        parse_test_endpoints(value)


def test_test_hook_maps_hosts_and_refuses_unmapped_ones() -> None:
    hook = "aiplatform.googleapis.com=http://127.0.0.1:9,x.googleapis.com=http://[::1]:8/"
    policy = HostPolicy.create([], {"GEMINI_PREFLIGHT_TEST_ENDPOINTS": hook})
    assert policy.resolve("https://aiplatform.googleapis.com/v1/a?b=c") == "http://127.0.0.1:9/v1/a?b=c"
    assert policy.resolve("https://x.googleapis.com/p") == "http://[::1]:8/p"
    with pytest.raises(ProbeError, match=r"maps no endpoint for y\.googleapis\.com"):
        policy.resolve("https://y.googleapis.com/")
    with pytest.raises(HostRefused):  # the hook never opens a way to other hosts
        policy.resolve("https://gateway.example.com/")


def test_redactor_hides_keys_tokens_and_jwts() -> None:
    key, redact = api_key(), Redactor()
    redact.add("custom-secret-value")
    text = redact(f"key={key} token=ya29.a0AfB_abcdefgh-123 jwt=eyJhbGciOi.eyJzdWIiOiJ4.c2ln "
                  "Authorization: Bearer sometokenvalue123 other=custom-secret-value")
    for secret in (key, "ya29.a0AfB_abcdefgh-123", "eyJhbGciOi.eyJzdWIiOiJ4.c2ln", "sometokenvalue123",
                   "custom-secret-value"):
        assert secret not in text
    assert key[:4] + "…" + key[-2:] in text


@pytest.mark.parametrize(("statuses", "attempts", "sleeps"), [
    ([503, 503, 503, 200], 3, [1.0, 2.0]),
    ([429, 200], 2, [1.0]),
    ([500, 502, 504], 3, [1.0, 2.0]),
    ([404, 200], 1, []),
    ([400], 1, []),
    ([401], 1, []),
    ([200], 1, []),
])
def test_retries_only_429_and_5xx_at_most_twice(statuses: list[int], attempts: int,
                                                 sleeps: list[float]) -> None:
    answers, slept = iter(statuses), list[float]()
    outcome, used = with_retries(lambda: next(answers), lambda s: s, slept.append)
    assert used == attempts and slept == sleeps
    assert outcome == statuses[attempts - 1]


def test_parse_error_reads_canonical_status_and_error_info() -> None:
    body = google_error(403, "PERMISSION_DENIED", "API has not been used", "SERVICE_DISABLED",
                        {"service": "aiplatform.googleapis.com", "consumer": "projects/42"})
    error = parse_error(403, body, Redactor(), attempts=1)
    assert (error.http, error.status, error.reason) == (403, "PERMISSION_DENIED", "SERVICE_DISABLED")
    assert (error.service, error.consumer) == ("aiplatform.googleapis.com", "projects/42")
    assert error.describe() == "403 PERMISSION_DENIED (SERVICE_DISABLED): API has not been used"
    assert parse_error(502, None, Redactor(), 3, "<html>Bad   gateway</html>").describe() == (
        "502 after 3 attempts: <html>Bad gateway</html>")
    assert parse_error(403, [body], Redactor()).reason == "SERVICE_DISABLED"  # list-wrapped


def _env(**values: object) -> Environment:
    return Environment.model_validate(values)


@pytest.mark.parametrize(("location", "url"), [
    ("us-central1", "https://us-central1-aiplatform.googleapis.com/v1beta1/projects/p1/locations/"
                    "us-central1/publishers/google/models/m:countTokens"),
    ("global", "https://aiplatform.googleapis.com/v1beta1/projects/p1/locations/global/"
               "publishers/google/models/m:countTokens"),
    ("us", "https://aiplatform.us.rep.googleapis.com/v1beta1/projects/p1/locations/us/"
           "publishers/google/models/m:countTokens"),
    ("eu", "https://aiplatform.eu.rep.googleapis.com/v1beta1/projects/p1/locations/eu/"
           "publishers/google/models/m:countTokens"),
    (None, "https://aiplatform.googleapis.com/v1beta1/projects/p1/locations/global/"
           "publishers/google/models/m:countTokens"),
])
def test_vertex_endpoints_follow_google_genai(location: str | None, url: str) -> None:
    assert count_tokens(_env(route="vertex"), None, "m", "p1", location).url == url


def test_express_developer_and_custom_endpoints() -> None:
    express = count_tokens(_env(route="vertex"), None, "m", None, None)
    assert express.url == "https://aiplatform.googleapis.com/v1beta1/publishers/google/models/m:countTokens"
    developer = count_tokens(_env(route="developer-api"), None, "gemini-3.5-flash", None, None)
    assert developer.url == ("https://generativelanguage.googleapis.com/v1/models/"
                             "gemini-3.5-flash:countTokens")
    assert developer.where == "the Developer API (v1)"
    custom = count_tokens(_env(route="vertex", endpoint="https://gw.example.com/"), None, "m", "p",
                          "us-east4")
    assert custom.url.startswith("https://gw.example.com/v1beta1/projects/p/locations/us-east4/")
    with pytest.raises(ProbeError, match="not a Google Cloud location"):
        count_tokens(_env(route="vertex"), None, "m", "p", "evil.example.com/#")


@pytest.mark.parametrize(("package", "version", "expected"), [
    ("google-genai", None, "v1"), ("google-genai", "3.4.0", "v1"), ("google-genai", "2.9.0", "v1beta"),
    ("google-genai", ">=1.52,<3", "v1beta"), ("google-genai", ">=1.52", "v1"),
    ("google-genai", "~=3.2", "v1"), ("google-generativeai", "0.8.5", "v1beta"),
])
def test_developer_api_version_follows_the_sdk(package: str, version: str | None, expected: str) -> None:
    assert developer_version(Sdk.model_validate({"package": package, "version": version})) == expected


def _manifest(envs: str) -> object:
    return parse_manifest(parse_yaml(f"version: 1\napp: a\nenvironments:\n{envs}"))


def test_environment_choice() -> None:
    one = _manifest("  dev: {route: developer-api}\n")
    two = _manifest("  dev: {route: developer-api}\n  prod: {route: vertex}\n")
    assert choose_environments(one, ()) == ["dev"]  # type: ignore[arg-type]
    assert choose_environments(two, ("prod", "prod")) == ["prod"]  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"2 environments \(dev, prod\); choose .* --env NAME"):
        choose_environments(two, ())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"no environment 'stage'.*environments: dev, prod"):
        choose_environments(two, ("stage",))  # type: ignore[arg-type]
