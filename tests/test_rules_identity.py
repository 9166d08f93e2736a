"""Edge cases of the SDK, identity and endpoint rules: GP101, GP103, GP203-GP206, GP604, GP605.
Each case is a small manifest run through the API with one rule selected."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from preflight import catalog
from preflight.findings import Finding, Severity
from preflight.versions import below_minimum
from tests.conftest import check_snippet

HEAD = "version: 1\napp: demo\n"


def run(tmp_path: Path, rule_id: str, body: str) -> list[Finding]:
    return check_snippet(tmp_path, rule_id, HEAD + textwrap.dedent(body))


def at(finding: Finding) -> str:
    """The manifest line a finding points at, stripped."""
    lines = Path(finding.location.path).read_text(encoding="utf-8").splitlines()
    return lines[finding.location.line - 1].strip()


def env(name: str, route: str = "vertex", stage: str | None = None, **keys: Any) -> str:
    """One environment block; ``auth`` may be a method name or a dict."""
    text = f"  {name}:\n    route: {route}\n"
    if stage:
        text += f"    stage: {stage}\n"
    auth = keys.pop("auth", None)
    for key, value in keys.items():
        text += f"    {key}: {value}\n"
    if isinstance(auth, str):
        auth = {"method": auth}
    if auth:
        text += "    auth:\n" + "".join(f"      {k}: {v}\n" for k, v in auth.items())
    return text


def envs(*blocks: str) -> str:
    return "environments:\n" + "".join(blocks)


def sdk(package: str, version: str | None = None) -> str:
    text = f"sdk:\n  package: {package}\n"
    return text + (f"  version: {version}\n" if version is not None else "")


PROD_OK = env("production", project="acme-prod", location="global", auth="attached-service-account")


@pytest.fixture
def patch_sdk(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Replace the catalog's facts about one SDK package for one test."""

    def _patch(package: str, facts: dict[str, Any]) -> None:
        real = catalog.load_catalog()
        fake = catalog.Catalog(models=real.models, sdk=MappingProxyType({**real.sdk, package: facts}))
        monkeypatch.setattr(catalog, "load_catalog", lambda path=None: fake)

    return _patch


# --- GP101 legacy-sdk -------------------------------------------------------------------

def test_gp101_points_at_the_package_and_names_date_and_replacement(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP101", sdk("google-generativeai", '"0.8.6"'))
    assert at(f) == "package: google-generativeai" and f.location.column == 12
    assert f.severity is Severity.ERROR  # an error even with no production environment
    assert "2025-11-30" in f.message and "google-genai" in f.message
    assert f.fix is not None and "from google import genai" in f.fix


@pytest.mark.parametrize("body", [sdk("google-genai", '"1.74.0"'), sdk("vertexai"), ""])
def test_gp101_silent_without_the_legacy_package(tmp_path: Path, body: str) -> None:
    assert run(tmp_path, "GP101", body) == []  # vertexai is GP102's


def test_gp101_without_catalog_facts_still_names_the_replacement(tmp_path: Path,
                                                                 patch_sdk: Any) -> None:
    patch_sdk("google-generativeai", {})
    [f] = run(tmp_path, "GP101", sdk("google-generativeai"))
    assert "no longer supported" in f.message and "google-genai" in f.message


# --- GP103 outdated-sdk -----------------------------------------------------------------

@pytest.mark.parametrize(("spec", "below"), [
    ("1.52.0", True), ("1.56.0", False), ("v1.60", False), ("1.56", False),
    (">=1.0,<1.40", True), ("<1.56.0", True), ("<=1.56.0", False), (">=1.60", False),
    ("~=1.52", False), ("~=1.52.0", True), (">1.56.0", False), (">1.60", False),
    ("!=1.56.0,>=1.50", False), (">=1.56,!=1.56.0,!=1.56.1", False),
    ("==1.60.*", False), ("==1.52.*", True), ("===1.60.0", False), ("==2.0.0rc1", False),
    (" >= 1.0 , < 1.40 ", True), ("", False),
    ("latest", None), (">=1.0 <1.40", None), ("1.52.0,", None), ("=>1.0", None),
])
def test_below_minimum(spec: str, below: bool | None) -> None:
    assert below_minimum(spec, "1.56.0") is below


def test_gp103_names_the_boundaries_the_range_misses(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP103", sdk("google-genai", '"1.10.0"'))
    assert at(f) == 'version: "1.10.0"'
    assert "GEMINI_API_KEY" in f.message and "(1.19.0)" in f.message and "(1.56.0)" in f.message
    assert "(3.0.0)" not in f.message and "before:" not in f.message  # only up to the minimum
    [g] = run(tmp_path, "GP103", sdk("google-genai", '">=1.20,<1.50"'))
    assert "(1.19.0)" not in g.message and "(1.56.0)" in g.message


def test_gp103_is_an_error_when_an_environment_is_production(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP103", sdk("google-genai", '"1.52.0"'))
    assert f.severity is Severity.WARNING
    [g] = run(tmp_path, "GP103", sdk("google-genai", '"1.52.0"') + envs(PROD_OK))
    assert g.severity is Severity.ERROR


def test_gp103_reads_a_yaml_number_as_a_version(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP103", sdk("google-genai", "1.52"))  # YAML float 1.52
    assert "'1.52'" in f.message


def test_gp103_unparsable_version_is_reported(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP103", sdk("google-genai", '"1.x"'))
    assert "not a PEP 440 version or specifier" in f.message
    assert f.fix is not None and "1.56.0" in f.fix


@pytest.mark.parametrize("body", [
    sdk("google-genai"), sdk("google-genai", '">=1.74.0,<4"'),
    sdk("google-generativeai", '"0.8.6"'), sdk("vertexai", '"1.0"'), "",
])
def test_gp103_silent_cases(tmp_path: Path, body: str) -> None:
    assert run(tmp_path, "GP103", body) == []


def test_gp103_silent_when_the_catalog_has_no_minimum(tmp_path: Path, patch_sdk: Any) -> None:
    patch_sdk("google-genai", {"boundaries": []})
    assert run(tmp_path, "GP103", sdk("google-genai", '"0.1.0"')) == []


# --- GP203 api-key-in-production --------------------------------------------------------

def test_gp203_developer_api_with_a_key_is_one_finding_at_the_route(tmp_path: Path) -> None:
    body = envs(env("production", "developer-api",
                    auth={"method": "api-key", "api_key_env": "GEMINI_API_KEY"}))
    [f] = run(tmp_path, "GP203", body)
    assert at(f) == "route: developer-api" and f.severity is Severity.ERROR


def test_gp203_vertex_express_mode_in_production(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP203", envs(env("prod", auth="api-key")))
    assert at(f) == "method: api-key" and "express mode" in f.message


def test_gp203_follows_the_stage_not_the_name(tmp_path: Path) -> None:
    body = envs(env("main", "developer-api", stage="production", auth="api-key"),
                env("production", "developer-api", stage="staging", auth="api-key"))
    [f] = run(tmp_path, "GP203", body)
    assert "'main'" in f.message


@pytest.mark.parametrize("block", [
    env("staging", "developer-api", auth="api-key"),
    env("production", project="p", location="global"),  # no auth section: ADC
    env("production", project="p", location="global", auth="workload-identity"),
])
def test_gp203_silent_cases(tmp_path: Path, block: str) -> None:
    assert run(tmp_path, "GP203", envs(block)) == []


# --- GP204 mixed-auth -------------------------------------------------------------------

@pytest.mark.parametrize(("name", "severity"), [
    ("development", Severity.INFO), ("staging", Severity.WARNING), ("production", Severity.ERROR),
])
def test_gp204_express_mode_severity_by_stage(tmp_path: Path, name: str,
                                              severity: Severity) -> None:
    [f] = run(tmp_path, "GP204", envs(env(name, auth="api-key")))
    assert f.severity is severity and "Vertex express mode (API key)" in f.message


@pytest.mark.parametrize("method", [
    "adc", "attached-service-account", "workload-identity", "service-account-key-file",
])
def test_gp204_developer_api_needs_a_key(tmp_path: Path, method: str) -> None:
    [f] = run(tmp_path, "GP204", envs(env("development", "developer-api", auth=method)))
    assert at(f) == f"method: {method}" and f.severity is Severity.WARNING
    assert "needs an API key" in f.message


def test_gp204_key_variable_beside_an_identity(tmp_path: Path) -> None:
    body = envs(env("development", "developer-api",
                    auth={"method": "adc", "api_key_env": "GEMINI_API_KEY"}))
    found = sorted(at(f) for f in run(tmp_path, "GP204", body))
    assert found == ["api_key_env: GEMINI_API_KEY", "method: adc"]


@pytest.mark.parametrize("block", [
    env("development", "developer-api", auth={"method": "api-key", "api_key_env": "MY_KEY"}),
    env("development", "developer-api"),  # no auth section
    env("production", project="p", location="global", auth="adc"),
])
def test_gp204_silent_cases(tmp_path: Path, block: str) -> None:
    assert run(tmp_path, "GP204", envs(block)) == []


# --- GP205 key-file-auth ----------------------------------------------------------------

def test_gp205_severity_by_stage_and_names_the_account(tmp_path: Path) -> None:
    account = "runner@acme-prod.iam.gserviceaccount.com"
    body = envs(env("development", auth="service-account-key-file"),
                env("production", project="acme-prod", location="global",
                    auth={"method": "service-account-key-file", "service_account": account}))
    dev, prod = run(tmp_path, "GP205", body)
    assert (dev.severity, prod.severity) == (Severity.WARNING, Severity.ERROR)
    assert account in prod.message and at(prod) == "method: service-account-key-file"


@pytest.mark.parametrize("method", ["adc", "attached-service-account", "workload-identity"])
def test_gp205_silent_for_keyless_identities(tmp_path: Path, method: str) -> None:
    assert run(tmp_path, "GP205", envs(env("production", auth=method))) == []


# --- GP206 shared-project ---------------------------------------------------------------

def test_gp206_points_at_the_non_production_project_as_an_error(tmp_path: Path) -> None:
    body = envs(env("development", project="acme-prod"), env("production", project="acme-prod"))
    [f] = run(tmp_path, "GP206", body)
    assert f.location.line == 6 and at(f) == "project: acme-prod"
    assert f.severity is Severity.ERROR and "'production'" in f.message


def test_gp206_ignores_case_and_surrounding_space(tmp_path: Path) -> None:
    body = envs(env("staging", project='" ACME-prod"'), env("production", project="acme-prod"))
    assert len(run(tmp_path, "GP206", body)) == 1


def test_gp206_follows_stages(tmp_path: Path) -> None:
    body = envs(env("main", stage="production", project="acme"), env("sandbox", project="acme"))
    [f] = run(tmp_path, "GP206", body)
    assert "'sandbox'" in f.message and "'main'" in f.message


@pytest.mark.parametrize("body", [
    envs(env("development", project="acme"), env("staging", project="acme")),
    envs(env("production", project="acme"), env("prod-eu", project="acme")),
    envs(env("development", "developer-api"), env("production", project="acme")),
])
def test_gp206_silent_cases(tmp_path: Path, body: str) -> None:
    assert run(tmp_path, "GP206", body) == []


# --- GP604 third-party-gateway ----------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://googleapis.com", "https://us-central1-aiplatform.googleapis.com",
    "https://aiplatform.us.rep.googleapis.com/", "https://generativelanguage.googleapis.com/v1",
    "https://aiplatform.googleapis.com:443", "HTTPS://AIPLATFORM.GOOGLEAPIS.COM.",
    "https://my-psc.p.googleapis.com",
])
def test_gp604_google_hosts_pass(tmp_path: Path, url: str) -> None:
    assert run(tmp_path, "GP604", envs(env("production", endpoint=f'"{url}"'))) == []


@pytest.mark.parametrize("url", [
    "https://evilgoogleapis.com", "https://googleapis.com.proxy.example",
    "https://127.0.0.1:8443", "https://openrouter.example/api/v1",
])
def test_gp604_other_hosts_are_gateways(tmp_path: Path, url: str) -> None:
    [f] = run(tmp_path, "GP604", envs(env("production", endpoint=f'"{url}"')))
    assert f.severity is Severity.ERROR and "not Google's" in f.message and "402" in f.message


def test_gp604_plain_http_to_google(tmp_path: Path) -> None:
    body = envs(env("staging", endpoint="http://aiplatform.googleapis.com"))
    [f] = run(tmp_path, "GP604", body)
    assert f.severity is Severity.WARNING and "http, not https" in f.message
    assert "not Google's" not in f.message


@pytest.mark.parametrize("url", [
    "gateway.example.com", "https://", "https://aiplatform.googleapis.com:99999",
    "http://[::1", "//aiplatform.googleapis.com",
])
def test_gp604_malformed_urls(tmp_path: Path, url: str) -> None:
    [f] = run(tmp_path, "GP604", envs(env("development", endpoint=f'"{url}"')))
    assert "not a valid URL" in f.message


@pytest.mark.parametrize(("url", "reason"), [
    ("https://127.0.0.1:8443\\@generativelanguage.googleapis.com", "backslash"),
    ("https://bob@generativelanguage.googleapis.com", "user information"),
    ("https://generativelanguage.googleapis.com%2f@gw.example", "user information"),
    ("https://generativelanguage.googleapis.com\t.gw.example", "white space"),
    ("https://aiplatform.googleapis.com%2e/", "'%'"),
])
def test_gp604_endpoints_two_parsers_read_differently(tmp_path: Path, url: str, reason: str) -> None:
    [f] = run(tmp_path, "GP604", envs(env("production", endpoint=f"'{url}'")))
    assert "not a valid URL" in f.message and reason in f.message
    assert f.severity is Severity.ERROR


def test_gp604_never_shows_credentials_in_the_url(tmp_path: Path) -> None:
    secret = "s3cr3t" + "-pa55word"
    for url in (f"https://bob:{secret}@gw.example.com/v1", f"https://bob:{secret}@[bad"):
        [f] = run(tmp_path, "GP604", envs(env("production", endpoint=f'"{url}"')))
        assert secret not in f.message and secret not in (f.fix or "") and secret not in f.subject


# --- GP605 missing-location -------------------------------------------------------------

def test_gp605_identity_without_location_or_project(tmp_path: Path) -> None:
    found = run(tmp_path, "GP605", envs(env("production", auth="adc")))
    assert sorted(f.subject for f in found) == ["production:location", "production:project"]
    assert all(at(f) == "production:" and f.severity is Severity.ERROR for f in found)
    assert any("global" in f.message and "404" in f.message for f in found)


def test_gp605_no_auth_section_means_adc(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP605", envs(env("staging", project="acme")))
    assert f.subject == "staging:location" and f.severity is Severity.WARNING


def test_gp605_empty_location_counts_as_missing(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP605", envs(env("staging", project="acme", location='""')))
    assert f.subject == "staging:location"


def test_gp605_key_with_location_but_no_project(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP605", envs(env("development", location="us-central1", auth="api-key")))
    assert "projects/None" in f.message


@pytest.mark.parametrize("block", [
    env("development", auth="api-key"),  # Vertex express mode
    env("development", "developer-api", auth="api-key"),
    env("production", project="acme", location="europe-west4", auth="workload-identity"),
    env("production", project="acme", location="global", auth="api-key"),
])
def test_gp605_silent_cases(tmp_path: Path, block: str) -> None:
    assert run(tmp_path, "GP605", envs(block)) == []
