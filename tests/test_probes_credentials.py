"""Credential kinds read from google-auth's own classes, built offline."""

from __future__ import annotations

from pathlib import Path

from google.auth import compute_engine, impersonated_credentials
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from preflight.probes import credentials, facts
from preflight.probes.hosts import Redactor
from tests.fakes.keys import service_account_file
from tests.fakes.sandbox import sandbox


def test_gcloud_user_adc_file_is_found_and_named() -> None:
    with sandbox("gcloud-user") as box:
        found, cred = credentials.application_default(5, box.environ, Redactor())
        assert found is not None and cred.kind == facts.GCLOUD_USER
        adc = box.folder / "gcloud" / "application_default_credentials.json"
        assert cred.source == f"the gcloud ADC file ({adc})"
        assert cred.label == "gcloud user credentials"


def test_kinds_from_classes(tmp_path: Path) -> None:
    key = service_account.Credentials.from_service_account_file(
        str(service_account_file(tmp_path, "http://127.0.0.1:9/token")))
    impersonated = impersonated_credentials.Credentials(
        source_credentials=key, target_principal="target@acme.iam.gserviceaccount.com",
        target_scopes=list(credentials.SCOPES))
    user = user_credentials.Credentials(token=None, refresh_token="r", client_id="c", client_secret="s",
                                        token_uri="http://127.0.0.1:9/token")
    assert credentials.kind_of(key) == facts.KEY_FILE
    assert credentials.kind_of(impersonated) == facts.IMPERSONATED
    assert credentials.principal_of(impersonated) == "target@acme.iam.gserviceaccount.com"
    assert credentials.kind_of(user) == facts.GCLOUD_USER
    assert credentials.kind_of(compute_engine.Credentials()) == facts.ATTACHED
    assert credentials.kind_of(object()) == "object"


def test_malformed_credentials_file_is_reported_in_google_auths_words(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "nonsense"}', encoding="utf-8")
    with sandbox("none", {"GOOGLE_APPLICATION_CREDENTIALS": str(bad)}) as box:
        found, cred = credentials.application_default(5, box.environ, Redactor())
        assert found is None and cred.kind is None
        assert cred.error is not None and "does not have a valid type" in cred.error
        assert cred.looked[0] == f"GOOGLE_APPLICATION_CREDENTIALS={bad}"
