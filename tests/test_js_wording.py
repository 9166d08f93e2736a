"""Fix texts speak the language of the file: @google/genai spelling for JS/TS findings."""

from __future__ import annotations

from pathlib import Path

from preflight import api
from preflight.findings import Finding
from tests.conftest import TODAY

TS = """import { GoogleGenAI } from "@google/genai";

const ai = new GoogleGenAI({});
export const reply = await ai.models.generateContent({ model: "gemini-3.5-flash", contents: "hi" });
"""
PY = """from google import genai

client = genai.Client()
reply = client.models.generate_content(model="gemini-3.5-flash", contents="hi")
"""
JS_FIXES = {
    "GP401": "pass config: { thinkingConfig: { thinkingLevel: ThinkingLevel.LOW } } (MINIMAL, LOW, "
             "MEDIUM or HIGH) chosen by the work",
    "GP403": "pass config: { maxOutputTokens: N } sized for the answer",
    "GP504": "httpOptions: { retryOptions: { attempts: 3 } } in new GoogleGenAI({...}) (retries 408, 429",
}
PY_FIXES = {
    "GP401": "pass thinking_config=types.ThinkingConfig(thinking_level=...) chosen by the work",
    "GP403": "pass config=types.GenerateContentConfig(max_output_tokens=N) sized for the answer",
    "GP504": "http_options=types.HttpOptions(retry_options=types.HttpRetryOptions(attempts=3)) (retries",
}


def _findings(tmp_path: Path, name: str, code: str) -> dict[str, Finding]:
    (tmp_path / name).write_text(code)
    result = api.audit([tmp_path / name], api.Options(select=tuple(JS_FIXES), today=TODAY))
    return {f.rule_id: f for f in result.findings}


def test_a_typescript_finding_is_worded_for_google_genai_js(tmp_path: Path) -> None:
    found = _findings(tmp_path, "chat.ts", TS)
    assert sorted(found) == sorted(JS_FIXES)
    for rule, text in JS_FIXES.items():
        assert text in (found[rule].fix or ""), found[rule].fix
        assert "types." not in (found[rule].fix or "") and "_" not in found[rule].message.split(":")[0]
    assert "set no maxOutputTokens" in found["GP403"].message
    assert "client has no retryOptions" in found["GP504"].message
    assert "@google/genai makes a single attempt" in found["GP504"].message


def test_a_python_finding_keeps_the_python_wording(tmp_path: Path) -> None:
    found = _findings(tmp_path, "chat.py", PY)
    assert sorted(found) == sorted(PY_FIXES)
    for rule, text in PY_FIXES.items():
        assert text in (found[rule].fix or ""), found[rule].fix
    assert "set no max_output_tokens" in found["GP403"].message
    assert "client has no retry_options" in found["GP504"].message
    assert "google-genai makes a single attempt" in found["GP504"].message


def test_short_timeouts_and_legacy_vertex_imports_are_worded_per_language(tmp_path: Path) -> None:
    (tmp_path / "old.ts").write_text(
        'import { VertexAI } from "@google-cloud/vertexai";\n'
        'import { GoogleGenAI } from "@google/genai";\n\n'
        "const ai = new GoogleGenAI({ httpOptions: { timeout: 30 } });\n")
    (tmp_path / "old.py").write_text(
        "from vertexai.generative_models import GenerativeModel\nfrom google import genai\n"
        "from google.genai import types\n\n"
        "client = genai.Client(http_options=types.HttpOptions(timeout=30))\n")
    result = api.audit([tmp_path], api.Options(select=("GP102", "GP505"), today=TODAY))
    found = {(Path(f.location.path).name, f.rule_id): f for f in result.findings}
    ts102, py102 = found[("old.ts", "GP102")], found[("old.py", "GP102")]
    assert ts102.fix == ('use @google/genai: `import { GoogleGenAI } from "@google/genai"`; '
                         "`new GoogleGenAI({ vertexai: true, project, location })`")
    assert py102.fix is not None and py102.fix.startswith("use google-genai: `from google import genai`")
    ts505, py505 = found[("old.ts", "GP505")], found[("old.py", "GP505")]
    assert "(timeout: 30*1000)? httpOptions.timeout is in milliseconds" in ts505.message
    assert ts505.fix == "timeout: 30000"
    assert ts505.autofix is not None and ts505.autofix.description == "timeout: 30 * 1000 (milliseconds)"
    assert "(timeout=30*1000)? HttpOptions.timeout is in milliseconds" in py505.message
    assert py505.fix == "timeout=30000"
