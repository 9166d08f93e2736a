"""`catalog --live` against a fake Gemini API on 127.0.0.1: pagination, errors, redirects,
and the key only in the header, only to the Gemini API's host."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest

from preflight.catalog import load_catalog
from tests.conftest import run_cli
from tests.fakes.keys import api_key
from tests.fakes.server import FakeGoogle, refused_url

HOST = "generativelanguage.googleapis.com"
TODAY = "--today=2026-12-02"
SERVED: list[dict[str, Any]] = [
    {"name": "models/gemini-3.5-flash", "displayName": "Gemini 3.5 Flash",
     "inputTokenLimit": 1048576, "outputTokenLimit": 65536},
    {"name": "models/gemini-3.1-pro-preview", "displayName": "Gemini 3.1 Pro Preview",
     "inputTokenLimit": 1048576, "outputTokenLimit": 131072},  # differs from the catalog
    {"name": "models/gemini-2.0-flash", "inputTokenLimit": 1048576, "outputTokenLimit": 8192},
    {"name": "models/gemma-3-27b-it", "inputTokenLimit": 131072, "outputTokenLimit": 8192},
    {"name": "models/gemini-3.1-flash-image", "displayName": "Nano Banana 2"},
]


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    with FakeGoogle(models=list(SERVED), page_size=2) as server:
        yield server


def live(fake: FakeGoogle, *args: str, key: str | None = None, hook: str | None = None,
         **extra: str) -> subprocess.CompletedProcess[str]:
    """``catalog --live`` with only the Gemini API's host mapped to ``fake`` (any other host
    is refused), the key in GOOGLE_API_KEY; ``done.output`` is stdout and stderr."""
    env = {"GEMINI_PREFLIGHT_TEST_ENDPOINTS": hook or f"{HOST}={fake.url}",
           "GOOGLE_API_KEY": key or "", "GEMINI_API_KEY": "", **extra}
    return run_cli("catalog", "--live", TODAY, *args, env=env)


def both(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout + done.stderr


def test_every_page_is_read_and_compared_with_the_catalog(fake: FakeGoogle) -> None:
    key = api_key()
    done = live(fake, "--format", "json", key=key)
    assert done.returncode == 0, done.stderr
    calls = fake.calls("GET /v1beta/models")
    assert len(calls) == 3  # pages of 2, 2 and 1
    tokens = [parse_qs(c.query).get("pageToken") for c in calls]
    assert tokens[0] is None and tokens[1] == [fake.page_token(2)] and tokens[2] == [fake.page_token(4)]
    document = json.loads(done.stdout)
    assert [s["id"] for s in document["served"]] == sorted(str(m["name"])[7:] for m in SERVED)
    assert document["api"] == f"https://{HOST}/v1beta/models"
    assert document["catalog_as_of"] == "2026-12-02"
    differences = document["differences"]
    assert differences["not_in_catalog"] == ["gemma-3-27b-it"]
    assert differences["served_but_retired"] == ["gemini-2.0-flash"]
    assert differences["limit_mismatches"] == [
        {"id": "gemini-3.1-pro-preview", "field": "output_token_limit", "catalog": 65536,
         "served": 131072}]
    not_served = differences["not_served"]
    assert "gemini-3.8-flash" in not_served and "gemini-3.5-flash" not in not_served
    assert "gemini-1.5-pro" not in not_served  # retired: not expected to be served
    catalog = load_catalog()
    assert all(catalog.get(m) is not None for m in not_served)


def test_text_names_the_differences(fake: FakeGoogle) -> None:
    key = api_key()
    done = live(fake, key=key)
    text = both(done)
    assert done.returncode == 0, text
    assert "The Gemini API serves 5 models to the key in GOOGLE_API_KEY" in text
    assert "+ gemma-3-27b-it" in text
    assert "served, not in the catalog (marked +) (1): gemma-3-27b-it" in text
    assert "served, though the catalog says retired (1): gemini-2.0-flash" in text
    assert "gemini-3.1-pro-preview: output 65,536 in the catalog, 131,072 served" in text
    assert all(len(line) <= 100 for line in done.stdout.splitlines())
    assert "Vertex AI is not listed" in text


def test_the_key_goes_only_in_the_header_to_the_gemini_api(fake: FakeGoogle) -> None:
    key = api_key()
    done = live(fake, key=key)
    text = both(done)
    assert done.returncode == 0
    assert fake.seen and all(s.headers.get("x-goog-api-key") == key for s in fake.seen)
    assert all(key not in s.path and key not in s.query and "key=" not in s.query for s in fake.seen)
    assert {s.path for s in fake.seen} == {"/v1beta/models"}
    assert key not in text


def test_gemini_api_key_is_used_when_google_api_key_is_unset(fake: FakeGoogle) -> None:
    key = api_key()
    done = live(fake, GEMINI_API_KEY=key)
    text = both(done)
    assert done.returncode == 0, text
    assert "GEMINI_API_KEY" in text and fake.seen[0].headers["x-goog-api-key"] == key


def test_a_403_is_one_message_and_exit_2_without_the_key(fake: FakeGoogle) -> None:
    key = api_key()
    fake.on("GET", "/v1beta/models", 403, error=(
        "PERMISSION_DENIED", f"API key {key} is not allowed to call this API", "API_KEY_SERVICE_BLOCKED"))
    done = live(fake, key=key)
    text = both(done)
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert "listing models: 403 PERMISSION_DENIED (API_KEY_SERVICE_BLOCKED)" in line
    assert key not in text and key[:4] in text  # shown redacted
    assert len(fake.seen) == 1  # a 4xx is never retried


def test_a_redirect_is_not_followed(fake: FakeGoogle) -> None:
    key = api_key()
    with FakeGoogle() as thief:
        fake.on("GET", "/v1beta/models", 302, {}, headers={"Location": f"{thief.url}/v1beta/models"})
        done = live(fake, key=key)
        assert thief.seen == []
    text = both(done)
    assert done.returncode == 2
    assert "redirect" in text and "no credentials were sent there" in text
    assert key not in text


def test_no_key_makes_no_call(fake: FakeGoogle) -> None:
    done = live(fake)
    text = both(done)
    assert done.returncode == 2 and fake.seen == []
    assert "needs a Gemini API key in GOOGLE_API_KEY or GEMINI_API_KEY" in text


def test_no_network_is_one_message() -> None:
    key = api_key()
    with FakeGoogle() as unused:
        done = live(unused, key=key, hook=f"{HOST}={refused_url()}")
    text = both(done)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert "Connection refused" in line and key not in text


def test_a_page_token_that_repeats_is_an_error(fake: FakeGoogle) -> None:
    fake.on("GET", "/v1beta/models", 200, {"models": SERVED[:1], "nextPageToken": "again"})
    done = live(fake, key=api_key())
    text = both(done)
    assert done.returncode == 2 and "repeated a page token" in text
    assert len(fake.seen) == 2


def test_without_the_live_extra(fake: FakeGoogle, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "preflight.probes.served", None)
    done = live(fake, key=api_key())
    text = both(done)
    assert done.returncode == 2 and "pip install 'gemini-preflight[live]'" in text
    assert fake.seen == []


def test_live_lists_everything() -> None:
    done = run_cli("catalog", "--live", "gemini-3.5-flash")
    assert done.returncode == 2 and "--live" in done.stderr
