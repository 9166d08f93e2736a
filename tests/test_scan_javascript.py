"""Facts from JavaScript/TypeScript and HTML script blocks (tree-sitter), unit by unit."""

from __future__ import annotations

from pathlib import Path

import pytest

from preflight.scan import scan_file
from preflight.scan.facts import SourceFile
from preflight.scan.javascript import scan_html, scan_js
from preflight.scan.jsnodes import package_of


def js(text: str, grammar: str = "typescript") -> SourceFile:
    out = SourceFile("x", "js")
    scan_js(text, out, grammar)
    return out


@pytest.mark.parametrize(("specifier", "package"), [
    ("@google/generative-ai", "@google/generative-ai"),
    ("@google/generative-ai/server", "@google/generative-ai"),
    ("npm:@google/genai@1.30.0", "@google/genai"),
    ("https://esm.run/@google/generative-ai", "@google/generative-ai"),
    ("https://cdn.jsdelivr.net/npm/@google/generative-ai@0.21.0/+esm", "@google/generative-ai"),
    ("https://unpkg.com/@google-cloud/vertexai@1.9.0/build/src/index.js", "@google-cloud/vertexai"),
    ("https://esm.sh/v135/@google/genai@1.30.0", "@google/genai"),
    ("https://ga.jspm.io/npm:@google/generative-ai@0.21.0/dist/index.mjs", "@google/generative-ai"),
    ("https://example.com/@google/generative-ai", ""),
    ("./@google/generative-ai.js", ""),
    ("node:fs", ""),
    ("@google/generative-ai-tools", "@google/generative-ai-tools"),
])
def test_package_of_specifiers_and_cdn_urls(specifier: str, package: str) -> None:
    assert package_of(specifier) == package


def test_imports_are_statements_and_calls_never_strings_or_comments() -> None:
    out = js('import a from "@google/genai";\n'
             '// import b from "@google/generative-ai";\n'
             'const s = "import c from \'@google/generative-ai\'";\n'
             'const d = require("@google/generative-ai");\n')
    assert [(i.module, i.line, i.column) for i in out.imports] == [
        ("@google/genai", 1, 1), ("@google/generative-ai", 4, 11)]
    assert {i.language for i in out.imports} == {"javascript"}


@pytest.mark.parametrize(("code", "usage", "where", "env"), [
    ('ai.models.generateContent({model: "gemini-3.5-flash"})', "call",
     "models.generateContent({model: …})", ""),
    ('new ChatGoogleGenerativeAI({ model: "gemini-3.5-flash" })', "call",
     "new ChatGoogleGenerativeAI({model: …})", ""),
    ('generateText({ model: google("gemini-3.5-flash") })', "call", "google(…)", ""),
    ('ai.tunings.tune({ baseModel: "gemini-3.5-flash" })', "call", "tunings.tune({baseModel: …})", ""),
    ('const M = process.env.CHAT_MODEL || "gemini-3.5-flash"', "config",
     "process.env.CHAT_MODEL || …", "CHAT_MODEL"),
    ('ai.models.generateContent({model: import.meta.env.M ?? "gemini-3.5-flash"})', "config",
     "import.meta.env.M ?? …", "M"),
    ('const MODEL = "gemini-3.5-flash" as const', "config", "MODEL = …", ""),
    ('function f(model: string = "gemini-3.5-flash") {}', "config", "model = …", ""),
    ('const cfg = { model: "gemini-3.5-flash" }', "config", "model: …", ""),
    ('program.option("--model <id>", "model", "gemini-3.5-flash")', "config", "option(…, default)",
     "--model <id>"),
])
def test_model_literals_are_uses_or_configuration(code: str, usage: str, where: str, env: str) -> None:
    (ref,) = js(code).models
    assert (ref.model_id, ref.usage, ref.where, ref.env) == ("gemini-3.5-flash", usage, where, env)


@pytest.mark.parametrize("code", [
    '// ai.models.generateContent({model: "gemini-3.5-flash"})',
    'console.log("gemini-3.5-flash")',
    'const list = ["gemini-3.5-flash"]',
    'const f = "gemini-3.5-flash.json"',
    'const t = `${base}/gemini-3.5-flash`',
    'const el = <p>Served by gemini-3.5-flash</p>',
    'const el = <Option value="gemini-3.5-flash" />',
])
def test_model_lookalikes_are_not_facts(code: str) -> None:
    assert js(code, "tsx").models == []


def test_client_and_call_configuration() -> None:
    out = js('import { GoogleGenAI, Modality, ThinkingLevel } from "@google/genai";\n'
             'const RETRY = { attempts: 5, initialDelay: 2, httpStatusCodes: [429, 503] };\n'
             'const ai = new GoogleGenAI({ vertexai: true, project: "p", location: "global",\n'
             '  httpOptions: { timeout: 120 * 1000, retryOptions: RETRY } });\n'
             'async function run(config: object) {\n'
             '  await ai.models.generateContent({ model: "gemini-3.5-flash", contents: "x", config: {\n'
             '    maxOutputTokens: 65536, thinkingConfig: { thinkingLevel: ThinkingLevel.LOW },\n'
             '    responseModalities: [Modality.TEXT, "IMAGE"], tools: [{ googleSearch: {} },\n'
             '    { functionDeclarations: [] }] } });\n'
             '  await ai.chats.create({ model: "gemini-3.5-flash", config });\n'
             '}\n')
    (client,) = out.clients
    assert (client.flag, client.api_key, client.project, client.location, client.sdk, client.name) == (
        "vertexai", "", "p", "global", "@google/genai", "ai")
    assert client.http is not None and client.http.timeout == 120000 and client.http.retry is not None
    assert (client.http.retry.attempts, client.http.retry.initial_delay,
            client.http.retry.status_codes) == (5, 2, (429, 503))
    generate, chat = sorted(out.calls, key=lambda c: c.line)
    assert (generate.kind, generate.model, generate.max_output_tokens, generate.thinking_level,
            generate.modalities, generate.tools, generate.client, generate.function) == (
        "generate", "gemini-3.5-flash", 65536, "low", ("TEXT", "IMAGE"),
        ("google-search", "function-calling"), "ai", "run")
    assert generate.model_span is not None and generate.model_span.text == '"gemini-3.5-flash"'
    assert (chat.kind, chat.config_known) == ("chat", False)  # a parameter: unknown


def test_calls_need_the_current_sdk_imported() -> None:
    out = js('ai.models.generateContent({ model: "gemini-3.5-flash", config: { maxOutputTokens: 9 } })')
    assert out.calls == [] and [m.usage for m in out.models] == ["call"]


def test_express_mode_key_is_described_never_copied() -> None:
    key = "AIza" + "Sy" + "Q" * 8 + "x7Lm2Pq9Rt4Vw8Zb3Nc6Hd1Jf5Kg0"
    out = js(f'const a = new GoogleGenAI({{ enterprise: true, apiKey: "{key}" }});\n'
             'const b = new GoogleGenAI({ vertexai: true, apiKey: undefined });\n')
    assert [(c.flag, c.api_key) for c in out.clients] == [("enterprise", "a string literal"),
                                                          ("vertexai", "")]


def test_html_blocks_map_positions_back_to_the_file() -> None:
    text = ('<html>\n<!-- <script src="https://unpkg.com/@google/generative-ai"></script> -->\n'
            '<script type="importmap">{"imports": {"x": "https://esm.run/@google/generative-ai"}}'
            '</script>\n'
            '<p>import "@google/generative-ai" with gemini-1.5-flash</p>\n'
            '<script>  const m = g.getGenerativeModel({ model: "gemini-1.5-flash" });\n'
            '  const n = g.getGenerativeModel({ model: "gemini-1.5-flash" });</script>\n'
            '<script type="text/template">require("@google/generative-ai")</script>\n')
    out = SourceFile("x.html", "html")
    scan_html(text, out)
    assert [(i.module, i.line, i.column) for i in out.imports] == [("@google/generative-ai", 3, 45)]
    assert [(m.line, m.column) for m in out.models] == [(5, 51), (6, 43)]


def test_vue_script_in_typescript(tmp_path: Path) -> None:
    (tmp_path / "A.vue").write_text('<template><p>{{ "gemini-1.5-flash" }}</p></template>\n'
                                    '<script setup lang="ts">\nlet x: number = 1;\n'
                                    'import { VertexAI } from "@google-cloud/vertexai";\n</script>\n')
    out, note = scan_file(tmp_path / "A.vue", "A.vue")
    assert note is None and [(i.module, i.line) for i in out.imports] == [("@google-cloud/vertexai", 4)]
    assert out.models == []


def test_broken_code_and_utf16_files_still_give_facts(tmp_path: Path) -> None:
    (tmp_path / "broken.js").write_text('import "@google/generative-ai";\nfunction ( {{{\n')
    out, note = scan_file(tmp_path / "broken.js", "broken.js")
    assert note is None and [i.module for i in out.imports] == ["@google/generative-ai"]
    (tmp_path / "wide.ts").write_text('const é = 1; import "@google/generative-ai";\n', encoding="utf-16")
    out, _ = scan_file(tmp_path / "wide.ts", "wide.ts")
    assert [(i.line, i.column) for i in out.imports] == [(1, 14)]
