"""Test credentials made at run time: no key or PEM block is ever committed."""

from __future__ import annotations

import functools
import json
import secrets
import string
from pathlib import Path

ALPHABET = string.ascii_letters + string.digits + "_-"


def api_key() -> str:
    """A fresh key in the shape of a standard Google API key ("AIza" + 35 characters)."""
    return "AIza" + "".join(secrets.choice(ALPHABET) for _ in range(35))


@functools.lru_cache(maxsize=1)
def _private_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def service_account_file(folder: Path, token_uri: str, project: str = "acme-genai-prod",
                         name: str = "genai-runner") -> Path:
    """A service-account key file whose ``token_uri`` points at a fake token endpoint."""
    email = f"{name}@{project}.iam.gserviceaccount.com"
    info = {
        "type": "service_account",
        "project_id": project,
        "private_key_id": secrets.token_hex(20),
        "private_key": _private_key_pem(),
        "client_email": email,
        "client_id": "".join(secrets.choice(string.digits) for _ in range(21)),
        "token_uri": token_uri,
        "universe_domain": "googleapis.com",
    }
    path = folder / "sa-key.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return path


def authorized_user_file(folder: Path) -> Path:
    """A gcloud ADC file (``authorized_user``); its refresh token is random."""
    info = {"type": "authorized_user", "client_id": "fake.apps.googleusercontent.com",
            "client_secret": secrets.token_urlsafe(12), "refresh_token": "1//" + secrets.token_urlsafe(40)}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "application_default_credentials.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return path


def workload_identity_file(folder: Path, token_url: str) -> Path:
    """An ``external_account`` config reading its subject token from a file (no secret inside)."""
    subject = folder / "subject-token.txt"
    subject.write_text(secrets.token_urlsafe(32), encoding="utf-8")
    info = {
        "type": "external_account",
        "audience": "//iam.googleapis.com/locations/global/workloadIdentityPools/pool/providers/ci",
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "token_url": token_url,
        "credential_source": {"file": str(subject)},
    }
    path = folder / "workload-identity.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return path


def loopback_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (PEM files in ``folder``), so a
    test can run an https server that requests trusts through ``REQUESTS_CA_BUNDLE``."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = serialization.load_pem_private_key(_private_key_pem().encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "loopback-cert.pem", folder / "loopback-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_text(_private_key_pem(), encoding="utf-8")
    return cert_file, key_file
