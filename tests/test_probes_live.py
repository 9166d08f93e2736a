"""Live probes with the real google-auth, Resource Manager and requests clients, against
fake Google servers on 127.0.0.1 (tests/fakes). No test touches the internet."""

from __future__ import annotations

import time

import pytest

from preflight import api
from preflight.probes import ProbeSettings
from tests.conftest import TODAY
from tests.fakes.keys import service_account_file
from tests.fakes.sandbox import Sandbox, sandbox
from tests.fakes.server import RUNNER, refused_url

HOOK = "GEMINI_PREFLIGHT_TEST_ENDPOINTS"

VERTEX = """\
version: 1
app: demo
environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: {location}
    auth: {{method: {method}}}
models:
  chat:
    id: gemini-3.5-flash
    migration_plan: {{fallback: gemini-3.1-flash-lite}}
"""
DEVELOPER = """\
version: 1
app: demo
environments:
  development:
    route: developer-api
    auth: {method: api-key, api_key_env: GEMINI_API_KEY}
models:
  chat: {id: gemini-3.5-flash}
"""
COUNT = "*/models/gemini-3.5-flash:countTokens"


def run(box: Sandbox, manifest: str, timeout: float = 5, **options: object) -> api.Result:
    path = box.folder / "gemini-deploy.yaml"
    path.write_text(manifest, encoding="utf-8")
    box.slept.clear()
    settings = ProbeSettings(sleep=box.slept.append, timeout=timeout, **options)  # type: ignore[arg-type]
    return api.probe([path], api.Options(today=TODAY), settings)


def vertex(location: str = "us-central1", method: str = "service-account-key-file") -> str:
    return VERTEX.format(location=location, method=method)


def rules(result: api.Result) -> list[tuple[str, str]]:
    return [(f.rule_id, f.severity.label) for f in result.findings]


def test_service_account_success_calls_each_google_api_once_per_model() -> None:
    with sandbox("service-account-key-file") as box:
        result = run(box, vertex())
        assert (result.findings, result.errors) == ([], [])
        paths = [f"{s.method} {s.path}" for s in box.fake.seen]
        assert paths == [
            "POST /token",
            "GET /v3/projects/acme-genai-prod",
            "GET /v1/projects/acme-genai-prod/services/aiplatform.googleapis.com",
            "POST /v1beta1/projects/acme-genai-prod/locations/us-central1/publishers/google/models/"
            "gemini-3.5-flash:countTokens",
            "POST /v1beta1/projects/acme-genai-prod/locations/us-central1/publishers/google/models/"
            "gemini-3.1-flash-lite:countTokens",
        ]
        assert all(s.headers["authorization"] == f"Bearer {box.fake.token}" for s in box.fake.seen[2:])
        assert "service-account key file (genai-runner@" in result.notes[0]
        assert "project acme-genai-prod ACTIVE; aiplatform.googleapis.com ENABLED" in result.notes[0]


def test_attached_service_account_through_the_metadata_server() -> None:
    with sandbox("attached-service-account") as box:
        result = run(box, vertex("global", "attached-service-account"))
        assert (result.findings, result.errors) == ([], [])
        assert box.fake.calls("GET /computeMetadata/v1/instance/service-accounts/default/token")
        assert all(s.headers.get("metadata-flavor") == "Google" for s in box.fake.calls("GET /compute*"))
        assert RUNNER in result.notes[0] and "locations/global" in box.fake.calls("POST *")[0].path


def test_api_key_goes_in_a_header_never_in_the_url() -> None:
    with sandbox("none", {"GEMINI_API_KEY": "AIza" + "k" * 35}) as box:
        result = run(box, DEVELOPER)
        assert (result.findings, result.errors) == ([], [])
        (call,) = box.fake.calls("POST *")
        assert call.path == "/v1/models/gemini-3.5-flash:countTokens"
        assert call.headers["x-goog-api-key"] == "AIza" + "k" * 35
        assert "authorization" not in call.headers and "key=" not in call.path


def test_two_different_api_key_variables_warn() -> None:
    with sandbox("api-key", {"GEMINI_API_KEY": "AIza" + "g" * 35}) as box:
        result = run(box, DEVELOPER)
        assert rules(result) == [("GP903", "warning")]
        assert "google-genai uses GOOGLE_API_KEY" in result.findings[0].message
        assert box.fake.calls("POST *")[0].headers["x-goog-api-key"] == box.environ["GOOGLE_API_KEY"]


def test_401_from_the_model_call_is_credentials_rejected() -> None:
    with sandbox("service-account-key-file") as box:
        box.fake.on("POST", COUNT, 401, error=("UNAUTHENTICATED", "Request had invalid authentication "
                                               "credentials.", "ACCESS_TOKEN_EXPIRED"))
        result = run(box, vertex())
        assert rules(result) == [("GP902", "error")]
        assert "401 UNAUTHENTICATED (ACCESS_TOKEN_EXPIRED)" in result.findings[0].message
        assert len(box.fake.calls("POST *count*")) == 1  # 4xx is never retried, nothing after it


def test_refused_refresh_reports_google_auth_error() -> None:
    with sandbox("service-account-key-file") as box:
        box.fake.on("POST", "/token", 400, {"error": "invalid_grant",
                                            "error_description": "Invalid JWT Signature."})
        result = run(box, vertex())
        assert rules(result) == [("GP902", "error")]
        assert "could not get a token: invalid_grant: Invalid JWT Signature." in result.findings[0].message
        assert len(box.fake.seen) == 1


def test_403_service_disabled_names_service_and_consumer() -> None:
    with sandbox("service-account-key-file") as box:
        box.fake.on("GET", "/v1/projects/*/services/*", 403, error=(
            "PERMISSION_DENIED", "Permission denied to get service", "IAM_PERMISSION_DENIED"))
        box.fake.on("POST", COUNT, 403, error=("PERMISSION_DENIED", "Vertex AI API has not been used "
                                               "in project 123456789012", "SERVICE_DISABLED"),
                    metadata={"service": "aiplatform.googleapis.com", "consumer": "projects/123456789012"})
        result = run(box, vertex())
        assert rules(result) == [("GP906", "error")]
        finding = result.findings[0]
        assert "aiplatform.googleapis.com is not enabled in project 123456789012" in finding.message
        assert "403 PERMISSION_DENIED (SERVICE_DISABLED)" in finding.message
        assert finding.fix == "gcloud services enable aiplatform.googleapis.com --project 123456789012"
        assert len(box.fake.calls("POST *:countTokens")) == 1  # the fallback is not probed in vain


def test_403_iam_permission_denied_names_the_principal() -> None:
    with sandbox("service-account-key-file") as box:
        box.fake.on("POST", COUNT, 403, error=("PERMISSION_DENIED", "Permission 'aiplatform.endpoints."
                                               "predict' denied", "IAM_PERMISSION_DENIED"))
        result = run(box, vertex())
        assert rules(result) == [("GP908", "error")]
        assert result.findings[0].message.startswith(
            "environment 'production': genai-runner@acme-genai-prod.iam.gserviceaccount.com may not call")
        assert "roles/aiplatform.user" in (result.findings[0].fix or "")
        assert result.findings[0].location.line == 11  # the model's id line


def test_404_project_stops_before_the_model_calls() -> None:
    with sandbox("service-account-key-file") as box:
        box.fake.on("GET", "/v3/projects/*", 404, error=("NOT_FOUND", "Project not found"))
        result = run(box, vertex())
        assert rules(result) == [("GP904", "error")]
        assert "project 'acme-genai-prod' not found: 404 NOT_FOUND" in result.findings[0].message
        assert result.findings[0].location.line == 6 and not box.fake.calls("POST *count*")


def test_403_project_is_ambiguous_unless_a_model_call_succeeds() -> None:
    with sandbox("service-account-key-file") as box:
        box.fake.on("GET", "/v3/projects/*", 403, error=(
            "PERMISSION_DENIED", "Permission 'resourcemanager.projects.get' denied on resource "
            "(or it may not exist).", "IAM_PERMISSION_DENIED"))
        assert rules(run(box, vertex())) == [("GP904", "info")]
        box.fake.on("POST", COUNT, 403, error=("PERMISSION_DENIED", "denied", "IAM_PERMISSION_DENIED"))
        box.fake.on("POST", "*flash-lite:countTokens", 403, error=("PERMISSION_DENIED", "denied"))
        result = run(box, vertex())
        assert sorted(rules(result)) == [("GP904", "error"), ("GP908", "error"), ("GP908", "error")]
        assert "Google answers 403 in both cases" in result.findings[0].message


def test_404_model_names_the_catalog_locations() -> None:
    with sandbox("service-account-key-file") as box:
        box.fake.on("POST", COUNT, 404, error=("NOT_FOUND", "Publisher Model was not found"))
        result = run(box, vertex())
        assert rules(result) == [("GP907", "error")]
        message = result.findings[0].message
        assert "not served in location us-central1: 404 NOT_FOUND" in message
        assert "(the catalog knows it in: global)" in message


def test_429_is_a_warning_after_two_retries_with_backoff() -> None:
    with sandbox("service-account-key-file") as box:
        box.fake.on("POST", COUNT, 429, error=("RESOURCE_EXHAUSTED", "Resource exhausted, please try "
                                               "again later."))
        result = run(box, vertex())
        assert rules(result) == [("GP909", "warning")]
        assert "429 RESOURCE_EXHAUSTED after 3 attempts" in result.findings[0].message
        assert len(box.fake.calls("POST " + COUNT)) == 3 and box.slept == [1.0, 2.0]
        assert result.exit_code(None) == 0


def test_503_is_retried_then_succeeds_or_is_reported() -> None:
    with sandbox("service-account-key-file") as box:
        box.fake.on("POST", COUNT, 503, error=("UNAVAILABLE", "overloaded"), times=1)
        box.fake.on("GET", "/v3/projects/*", 503, error=("UNAVAILABLE", "try later"), times=2)
        result = run(box, vertex())
        assert (result.findings, box.slept) == ([], [1.0, 2.0, 1.0])
        box.fake.on("POST", COUNT, 503, error=("UNAVAILABLE", "The service is currently unavailable."))
        result = run(box, vertex())
        assert rules(result) == [("GP910", "warning")]
        assert "503 UNAVAILABLE after 3 attempts" in result.findings[0].message


def test_timeout_is_exit_2_with_one_message_and_quick() -> None:
    with sandbox("service-account-key-file") as box:
        box.fake.on("POST", COUNT, 200, {"totalTokens": 1}, delay=3)
        started = time.monotonic()
        result = run(box, vertex(), timeout=0.5)
        assert time.monotonic() - started < 3
        assert result.errors == [f"{box.folder}/gemini-deploy.yaml: environment 'production': "
                                 "countTokens for gemini-3.5-flash: no answer from 127.0.0.1 within "
                                 "0.5 s; live probes need network access to *.googleapis.com"
                                 .replace(f"{box.folder}/", _shown_prefix(box))]
        assert result.exit_code(None) == 2


def _shown_prefix(box: Sandbox) -> str:
    return api.display_path(box.folder) + "/"


def test_refused_connection_is_exit_2() -> None:
    with sandbox("api-key") as box:
        box.setenv(HOOK, f"*={refused_url()}")
        result = run(box, DEVELOPER)
        (error,) = result.errors
        assert "cannot reach 127.0.0.1: Connection refused" in error
        assert result.findings == [] and result.exit_code(None) == 2


def test_gateway_endpoint_is_refused_unless_allowed() -> None:
    gateway = DEVELOPER.replace("route: developer-api", "route: developer-api\n    endpoint: "
                                "https://gateway.example.com")
    with sandbox("api-key") as box:
        (error,) = run(box, gateway).errors
        assert "'gateway.example.com' is not a Google host" in error
        assert "--allow-host gateway.example.com" in error and not box.fake.seen
        box.setenv(HOOK, f"gateway.example.com={box.fake.url}")
        result = run(box, gateway, allow_hosts=("gateway.example.com",))
        assert (result.errors, result.findings) == ([], [])
        assert box.fake.calls("POST /v1/models/gemini-3.5-flash:countTokens")


@pytest.mark.parametrize(("location", "host"), [("us", "aiplatform.us.rep.googleapis.com"),
                                                ("europe-west4", "europe-west4-aiplatform.googleapis.com"),
                                                ("global", "aiplatform.googleapis.com")])
def test_each_location_goes_to_its_own_host(location: str, host: str) -> None:
    with sandbox("service-account-key-file") as box:
        box.setenv(HOOK, ",".join(
            f"{h}={box.fake.url}" for h in (host, "cloudresourcemanager.googleapis.com",
                                             "serviceusage.googleapis.com")))
        result = run(box, vertex(location))
        assert (result.errors, result.findings) == ([], [])
        assert box.fake.calls(f"POST */locations/{location}/*")


@pytest.mark.parametrize("secret_in", ["message", "network"])
def test_keys_and_tokens_never_reach_findings_or_errors(secret_in: str) -> None:
    with sandbox("api-key") as box:
        key = box.environ["GOOGLE_API_KEY"]
        if secret_in == "message":
            box.fake.on("POST", "*", 400, error=("INVALID_ARGUMENT", f"API key {key} not valid; "
                                                 f"token {box.fake.token}", "API_KEY_INVALID"))
        else:
            box.setenv(HOOK, f"*={refused_url()}")
        result = run(box, DEVELOPER)
        text = repr(result.findings) + repr(result.errors) + repr(result.notes)
        assert key not in text and box.fake.token not in text


def test_project_and_location_come_from_adc_and_environment_when_the_manifest_omits_them() -> None:
    manifest = vertex().replace("    project: acme-genai-prod\n", "")
    manifest = manifest.replace("    location: us-central1\n", "")
    with sandbox("service-account-key-file", {"GOOGLE_CLOUD_LOCATION": "europe-west1"}) as box:
        result = run(box, manifest)
        assert (result.errors, result.findings) == ([], [])
        assert box.fake.calls("POST /v1beta1/projects/acme-genai-prod/locations/europe-west1/*")
    with sandbox("attached-service-account") as box:
        box.fake.on("GET", "/computeMetadata/v1/project/project-id", 404, "not found")
        result = run(box, manifest.replace("service-account-key-file", "attached-service-account"))
        assert rules(result) == [("GP904", "error")]
        assert "no project: the manifest names none" in result.findings[0].message


def test_declared_service_account_must_be_the_one_found() -> None:
    manifest = vertex().replace("auth: {method: service-account-key-file}",
                                "auth: {method: service-account-key-file, "
                                "service_account: other@acme-genai-prod.iam.gserviceaccount.com}")
    with sandbox("service-account-key-file") as box:
        result = run(box, manifest)
        assert rules(result) == [("GP903", "error")]  # production: an error
        assert "act as genai-runner@acme-genai-prod.iam.gserviceaccount.com" in result.findings[0].message


def test_unreadable_service_usage_is_silent_and_a_failing_project_read_is_reported() -> None:
    with sandbox("service-account-key-file") as box:
        box.fake.on("GET", "/v1/projects/*/services/*", 403,
                    error=("PERMISSION_DENIED", "no", "IAM_PERMISSION_DENIED"))
        assert run(box, vertex()).findings == []
        box.fake.on("GET", "/v3/projects/*", 500, error=("INTERNAL", "boom"))
        result = run(box, vertex())
        assert rules(result) == [("GP910", "warning")]
        assert result.findings[0].message == ("environment 'production': reading the project failed: "
                                              "500 INTERNAL after 3 attempts: boom")


def test_workload_identity_federation_exchanges_its_token_with_sts() -> None:
    with sandbox("workload-identity") as box:
        result = run(box, vertex("global", "workload-identity"))
        assert (result.errors, result.findings) == ([], [])
        assert box.fake.calls("POST /sts") and "workload identity federation" in result.notes[0]
        result = run(box, vertex("global", "service-account-key-file"))
        assert rules(result) == [("GP903", "error")]
        assert "the credential found is workload identity federation" in result.findings[0].message


def test_express_mode_sends_the_key_without_a_project() -> None:
    manifest = vertex().replace("    project: acme-genai-prod\n", "").replace(
        "service-account-key-file", "api-key")
    with sandbox("api-key") as box:
        result = run(box, manifest)
        assert (result.errors, result.findings) == ([], [])
        (call,) = box.fake.calls("POST *gemini-3.5-flash:countTokens")
        assert call.path == "/v1beta1/publishers/google/models/gemini-3.5-flash:countTokens"
        assert "x-goog-api-key" in call.headers and len(box.fake.seen) == 2  # model + fallback only


def test_a_key_file_whose_token_endpoint_is_not_google_is_refused() -> None:
    with sandbox("none") as box:
        key_file = service_account_file(box.folder, "https://tokens.example.com/token")
        box.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
        result = run(box, vertex())
        (error,) = result.errors
        assert "token endpoint 'https://tokens.example.com/token' is not https on a Google host" in error
        assert box.fake.seen == [] and result.exit_code(None) == 2
