"""Calls of the legacy JS SDKs (@google/generative-ai, @google-cloud/vertexai) feed the
checklist facts like the Python legacy path: model, output cap, thinking."""

from __future__ import annotations

from pathlib import Path

from preflight import api
from preflight.scan.facts import SourceFile
from preflight.scan.javascript import scan_js
from tests.conftest import TODAY

LEGACY = """import { GoogleGenerativeAI } from "@google/generative-ai";

const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);
const model = genAI.getGenerativeModel({ model: "gemini-3.5-flash" });
const capped = genAI.getGenerativeModel({
  model: "gemini-3.5-flash",
  generationConfig: { maxOutputTokens: 1024, thinkingConfig: { thinkingLevel: "LOW" } },
});

export async function ask(prompt: string) {
  const a = await model.generateContent(prompt);
  const b = await capped.generateContent(prompt);
  const c = await model.generateContent({ contents: [], generationConfig: { maxOutputTokens: 256 } });
  const d = await genAI.getGenerativeModel({ model: "gemini-3.5-flash" }).generateContentStream("hi");
  const e = await model.generateContent(buildRequest());
  const chat = capped.startChat({ history: [] });
  // model.generateContent("a comment is not a call");
  const text = "model.generateContent(prompt)";
  return [a, b, c, d, e, chat, text];
}
"""


def _calls(code: str) -> list[tuple[int, str, str, bool, bool, bool, str]]:
    out = SourceFile("x.ts", "js")
    scan_js(code, out, "typescript")
    return [(c.line, c.kind, c.method, c.config_known, c.output_cap, c.thinking, c.model)
            for c in out.calls]


def test_legacy_calls_carry_the_model_and_its_generation_config() -> None:
    assert _calls(LEGACY) == [
        (11, "legacy", "generateContent", True, False, False, "gemini-3.5-flash"),
        (12, "legacy", "generateContent", True, True, True, "gemini-3.5-flash"),  # the model's config
        (13, "legacy", "generateContent", True, True, False, "gemini-3.5-flash"),  # the request's
        (14, "legacy", "generateContentStream", True, False, False, "gemini-3.5-flash"),
        (15, "legacy", "generateContent", False, False, False, "gemini-3.5-flash"),  # unreadable request
        (16, "legacy", "startChat", True, True, True, "gemini-3.5-flash"),
    ]


def test_vertex_legacy_sdk_and_models_held_on_this() -> None:
    code = ('import { VertexAI } from "@google-cloud/vertexai";\n'
            "class Bot {\n  constructor() {\n"
            '    this.model = new VertexAI({ project: "p", location: "us-central1" })'
            '.getGenerativeModel({ model: "gemini-2.5-flash", generationConfig: { maxOutputTokens: 64 } });\n'
            "  }\n  ask(q) { return this.model.generateContent(q); }\n}\n")
    assert _calls(code) == [(6, "legacy", "generateContent", True, True, False, "gemini-2.5-flash")]


def test_without_a_legacy_import_nothing_is_a_legacy_call() -> None:
    code = LEGACY.replace("@google/generative-ai", "./my-wrapper")
    assert _calls(code) == []
    other = ('import { GoogleGenerativeAI } from "@google/generative-ai";\n'
             "const model = store.get();\nmodel.generateContent(prompt);\n")
    assert _calls(other) == []  # a model not from getGenerativeModel


def test_checklist_rules_judge_legacy_js_calls(tmp_path: Path) -> None:
    (tmp_path / "chat.ts").write_text(LEGACY)
    result = api.audit([tmp_path], api.Options(select=("GP401", "GP403"), today=TODAY))
    found = {f.rule_id: f for f in result.findings}
    assert found["GP403"].message.startswith("2 Gemini calls in this file set no maxOutputTokens")
    assert found["GP401"].message.startswith("3 calls to a Gemini 3.x model in this file set no")
    assert found["GP403"].location.line == found["GP401"].location.line == 11
