"""GP201: the lifecycle of standard keys in its wording, Firebase config keys graded apart."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from preflight import api
from tests.audit_corpus import make_key

WEB = """const firebaseConfig = {{
  apiKey: "{key}",
  authDomain: "demo-shop.firebaseapp.com",
  projectId: "demo-shop",
  messagingSenderId: "418273645501",
  appId: "1:418273645501:web:7c1e2d3f4a5b6c7d",
}};
"""


def _findings(tmp_path: Path, name: str, text: str, today: date) -> list[tuple[str, str]]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = api.audit([tmp_path], api.Options(select=("GP201",), today=today))
    return [(f.severity.label, f.message) for f in result.findings]


def test_standard_key_message_names_the_rejection_dates(tmp_path: Path) -> None:
    key = make_key(random.Random(7))
    after = _findings(tmp_path, "app.py", f'KEY = "{key}"\n', date(2026, 11, 24))
    assert after == [("error", after[0][1])]
    assert "rejects standard keys since September 2026 (unrestricted ones since 2026-06-19)" in after[0][1]
    assert key not in after[0][1]
    before = _findings(tmp_path, "app.py", f'KEY = "{key}"\n', date(2026, 7, 1))
    assert "from September 2026" in before[0][1]
    result = api.audit([tmp_path], api.Options(select=("GP201",), today=date(2026, 11, 24)))
    assert "auth key bound to a service account" in (result.findings[0].fix or "")


def test_firebase_web_config_is_a_warning_with_its_own_wording(tmp_path: Path) -> None:
    key = make_key(random.Random(8))
    found = _findings(tmp_path, "firebase.js", WEB.format(key=key), date(2026, 11, 24))
    assert len(found) == 1 and found[0][0] == "warning"
    assert "Firebase config key" in found[0][1] and "public by design" in found[0][1]
    assert key not in found[0][1]


def test_auth_keys_and_lone_keys_stay_errors(tmp_path: Path) -> None:
    rng = random.Random(9)
    auth, lone = make_key(rng, "AQ.", 56), make_key(rng)
    (tmp_path / "lone.js").write_text(f'const b = {{ projectId: "demo-shop", apiKey: "{lone}" }};\n')
    text = f'const a = {{ apiKey: "{auth}", authDomain: "x.firebaseapp.com", messagingSenderId: "1" }};\n'
    found = _findings(tmp_path, "auth.js", text, date(2026, 11, 24))
    assert sorted(level for level, _ in found) == ["error", "error"]
    assert sorted(message.split()[0] for _, message in found) == ["Gemini", "Google"]
