"""Facts from Go: go.mod requirements and Go source (tree-sitter-go), unit by unit."""

from __future__ import annotations

from pathlib import Path

import pytest

from preflight.scan import classify, golang, scan_file
from preflight.scan.facts import SourceFile


def go(text: str) -> SourceFile:
    out = SourceFile("x.go", "go")
    golang.scan_go(text, out)
    return out


def test_go_mod_requirements_are_declarations_replace_and_exclude_are_not() -> None:
    text = ("module github.com/google/generative-ai-go\n\ngo 1.22\n\n"
            "require github.com/google/generative-ai-go v0.20.1 // a comment\n"
            "require (\n\t\"cloud.google.com/go/vertexai\" v0.13.4 // indirect\n"
            "\t// github.com/x/commented v1.0.0\n\tgoogle.golang.org/genai v1.30.0\n)\n"
            "require ()\nreplace (\n\tgithub.com/google/generative-ai-go => ../fork\n)\n"
            "exclude cloud.google.com/go/vertexai v0.12.0\n"
            "replace cloud.google.com/go/vertexai v0.13.4 => example.com/shim v0.1.0\n")
    found = [(d.name, d.specifier, d.line, d.column, d.ecosystem, d.origin)
             for d in golang.go_mod(text)]
    assert found == [
        ("github.com/google/generative-ai-go", "v0.20.1", 5, 9, "go", "go.mod"),
        ("cloud.google.com/go/vertexai", "v0.13.4", 7, 2, "go", "go.mod"),
        ("google.golang.org/genai", "v1.30.0", 9, 2, "go", "go.mod"),
    ]


@pytest.mark.parametrize(("name", "kind"), [
    ("svc/go.mod", "go.mod"), ("svc/main.go", "go"), ("svc/go.sum", "text"), ("go.work", "text"),
    ("vendor/github.com/google/generative-ai-go/genai/client.go", "text"),
    ("svc/vendor.go", "go"), ("vendors/x.go", "go")])
def test_file_kinds(name: str, kind: str) -> None:
    assert classify(Path(name)) == kind


def test_imports_are_specs_never_comments_or_strings() -> None:
    out = go('package p\n\n// import "github.com/google/generative-ai-go/genai"\n'
             'import "github.com/google/generative-ai-go/genai"\n'
             'import (\n\t"fmt"\n\tv "cloud.google.com/go/vertexai/genai"\n\t_ `google.golang.org/genai`\n)\n'
             'var s = "cloud.google.com/go/vertexai/genai"\n'
             'func f() { import_ := 1; _ = import_ }\n')
    assert [(i.module, i.line, i.column, i.language) for i in out.imports] == [
        ("github.com/google/generative-ai-go/genai", 4, 8, "go"), ("fmt", 6, 2, "go"),
        ("cloud.google.com/go/vertexai/genai", 7, 2, "go"), ("google.golang.org/genai", 8, 2, "go")]


@pytest.mark.parametrize(("code", "usage", "where", "env"), [
    ('m := client.GenerativeModel("gemini-3.5-flash")', "call", "GenerativeModel(…)", ""),
    ('e := client.EmbeddingModel("gemini-embedding-001")', "call", "EmbeddingModel(…)", ""),
    ('client.Models.GenerateContent(ctx, "gemini-3.5-flash", nil, nil)', "call",
     "GenerateContent(ctx, …)", ""),
    ('models.GenerateContentStream(ctx, ("gemini-3.5-flash"), nil, nil)', "call",
     "GenerateContentStream(ctx, …)", ""),
    ('client.Chats.Create(ctx, `gemini-3.5-flash`, nil, nil)', "call", "Chats.Create(ctx, …)", ""),
    ('client.Live.Connect(ctx, "gemini-3.5-flash", nil)', "call", "Live.Connect(ctx, …)", ""),
    ('client.Caches.Create(ctx, /* model */ "gemini-3.5-flash", nil)', "call",
     "Caches.Create(ctx, …)", ""),
    ('m := cmp.Or(os.Getenv("CHAT_MODEL"), "gemini-3.5-flash")', "config", "cmp.Or(…, default)",
     "CHAT_MODEL"),
    ('m := getEnv("CHAT_MODEL", "gemini-3.5-flash")', "config", "getEnv(…, default)", "CHAT_MODEL"),
    ('m := flag.String("model", "gemini-3.5-flash", "usage")', "config", "flag.String(…, default)", ""),
    ('model = "gemini-3.5-flash"', "config", "model = …", ""),
    ('a, b := 1, "gemini-3.5-flash"', "config", "b = …", ""),
    ('s := Settings{Model: "gemini-3.5-flash"}', "config", "Model: …", ""),
])
def test_model_literals_are_uses_or_configuration(code: str, usage: str, where: str, env: str) -> None:
    out = go(f"package p\n\nfunc f() {{\n\t{code}\n}}\n")
    assert [(m.model_id, m.usage, m.where, m.env) for m in out.models] == [
        ("gemini-3.5-flash" if "embedding" not in code else "gemini-embedding-001", usage, where, env)]


def test_declarations_are_configuration() -> None:
    out = go('package p\nconst Chat = "gemini-3.5-flash"\nvar (\n\tA, B = "gemini-3.5-flash", '
             '"gemini-2.0-flash"\n)\n')
    assert [(m.line, m.column, m.where) for m in out.models] == [
        (2, 14, "Chat = …"), (4, 9, "A = …"), (4, 29, "B = …")]


@pytest.mark.parametrize("code", [
    '// client.GenerativeModel("gemini-3.5-flash")',
    '/* client.Models.GenerateContent(ctx, "gemini-3.5-flash", nil, nil) */',
    'log.Printf("calling gemini-3.5-flash")',
    'fmt.Println("gemini-3.5-flash")',
    '_ = []string{"gemini-3.5-flash"}',
    's := Settings{Name: "gemini-3.5-flash"}',
    'GenerateContent(ctx, "gemini-3.5-flash")',
    'client.Models.GenerateContent("gemini-3.5-flash", nil)',
    'client.Models.GenerateContent(ctx, "gemini-3.5-flash-"+suffix, nil, nil)',
    'client.Models.GenerateContent(ctx, "my-gemini-3.5-flash", nil, nil)',
    'model.GenerateContent(ctx, genai.Text("gemini-3.5-flash"))',
    'client.Models.GenerateContent(ctx, "gemini-3.5-flash\\n", nil, nil)',
])
def test_model_lookalikes_are_not_facts(code: str) -> None:
    assert go(f"package p\n\nfunc f() {{\n\t{code}\n}}\n").models == []


def test_go_files_are_parsed_only_when_the_prefilter_lets_them_through(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = golang.scan_go

    def spy(text: str, out: SourceFile) -> None:
        parsed.append(out.path)
        real(text, out)

    monkeypatch.setattr(golang, "scan_go", spy)
    (tmp_path / "plain.go").write_text('package p\n\nimport "google.golang.org/genai"\n\n'
                                       'func f() { genai.NewClient(nil, nil) }\n')
    (tmp_path / "legacy.go").write_text('package p\n\nimport "github.com/google/generative-ai-go/genai"\n')
    for name in ("plain.go", "legacy.go"):
        scan_file(tmp_path / name, name)
    assert parsed == ["legacy.go"]


def test_broken_go_still_gives_its_facts(tmp_path: Path) -> None:
    path = tmp_path / "broken.go"
    path.write_text('package p\nimport "cloud.google.com/go/vertexai/genai"\nfunc f( {\n'
                    '\tclient.GenerativeModel("gemini-3.5-flash")\n')
    found, note = scan_file(path, "broken.go")
    assert note is None
    assert [i.module for i in found.imports] == ["cloud.google.com/go/vertexai/genai"]


def test_go_suppressions_are_slash_comments(tmp_path: Path) -> None:
    path = tmp_path / "s.go"
    path.write_text('package p\n\nfunc f() {\n\tclient.GenerativeModel("gemini-3.5-flash") '
                    '// gemini-preflight: ignore[GP305]\n}\n')
    found, _ = scan_file(path, "s.go")
    assert [(m.line, m.column, m.names) for m in found.suppressions] == [(4, 45, ("GP305",))]


def test_vertex_clients_with_a_key_are_express_mode_never_copied() -> None:
    key = "AIza" + "Sy" + "k" * 33
    out = go('package p\nfunc f() {\n\tgenai.NewClient(ctx, &genai.ClientConfig{'
             f'Backend: genai.BackendVertexAI, APIKey: "{key}", Location: "us-central1"}})\n'
             '\tc := genai.ClientConfig{Backend: genai.BackendVertexAI, Project: "p"}\n'
             '\td := genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: k}\n'
             '\tif b == genai.BackendVertexAI {}\n}\n')
    assert [(c.flag, c.api_key, c.line, c.column, c.location, c.project, c.sdk, c.language)
            for c in out.clients] == [
        ("vertexai", "a string literal", 3, 2, "us-central1", "", "", "go"),
        ("vertexai", "", 4, 7, "", "p", "", "go")]
