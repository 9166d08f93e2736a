"""JVM builds: Maven, Gradle (Groovy and Kotlin) and version catalogs; comments are never declarations."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from preflight import suppress
from preflight.scan import classify, jvmbuild, scan_file
from preflight.scan.facts import SourceFile
from preflight.scan.secrets import Lines

VERTEX = "com.google.cloud:google-cloud-vertexai"


@pytest.mark.parametrize(("name", "kind"), [
    ("pom.xml", "pom"), ("build.gradle", "gradle"), ("app/build.gradle.kts", "gradle"),
    ("buildSrc/src/main/kotlin/conventions.gradle.kts", "gradle"), ("settings.gradle", "gradle"),
    ("gradle/libs.versions.toml", "gradle-catalog"), ("other.toml", "text"), ("pom.xml.bak", "text"),
])
def test_build_files_are_classified_by_name(name: str, kind: str) -> None:
    assert classify(Path(name)) == kind


def _gradle(text: str) -> list[tuple[int, int, str, str]]:
    return [(d.line, d.column, d.name, d.specifier) for d in jvmbuild.gradle(text, Lines(text))]


def test_gradle_groovy_and_kotlin_notations() -> None:
    text = (
        "dependencies {\n"
        "    implementation 'com.google.cloud:google-cloud-vertexai:1.2.0'\n"
        "    api(\"com.google.cloud:google-cloud-vertexai:1.1.0\") { exclude group: 'x', module: 'y' }\n"
        "    implementation group: 'com.google.cloud', name: 'google-cloud-vertexai', version: '1.0'\n"
        "    compileOnly(group = \"com.google.cloud\",\n"
        "        name = \"google-cloud-vertexai\")\n"
        "    testImplementation(platform(\"com.google.cloud:libraries-bom:26.50.0\"))\n"
        "    kapt \"com.google.genai:google-genai:$genai\"\n"
        "}\n")
    assert _gradle(text) == [
        (2, 20, VERTEX, "1.2.0"), (3, 9, VERTEX, "1.1.0"), (4, 53, VERTEX, "1.0"),
        (6, 16, VERTEX, ""), (7, 33, "com.google.cloud:libraries-bom", "26.50.0"),
        (8, 10, "com.google.genai:google-genai", "$genai"),
    ]


@pytest.mark.parametrize("text", [
    "// implementation 'com.google.cloud:google-cloud-vertexai:1.2.0'\n",
    "/* implementation(\"com.google.cloud:google-cloud-vertexai:1.2.0\")\n */\n",
    "println \"com.google.cloud:google-cloud-vertexai:1.2.0\"\n",
    "val legacy = \"com.google.cloud:google-cloud-vertexai:1.2.0\"\n",
    "configurations.all { exclude group: 'com.google.cloud', module: 'google-cloud-vertexai' }\n",
    "def s = '''implementation 'com.google.cloud:google-cloud-vertexai:1.2.0' '''\n",
    "implementation \"x\" // 'com.google.cloud:google-cloud-vertexai:1.2.0'\n",
])
def test_gradle_lookalikes_declare_nothing_of_vertex(text: str) -> None:
    assert [d for d in _gradle(text) if d[2] == VERTEX] == []


def test_pom_dependencies_of_every_section_at_their_artifact() -> None:
    text = ('<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
            "<!-- <dependency><groupId>com.google.cloud</groupId>"
            "<artifactId>google-cloud-vertexai</artifactId></dependency> -->\n"
            "<dependencyManagement><dependencies><dependency>\n"
            "  <groupId>com.google.cloud</groupId>\n  <artifactId>google-cloud-vertexai</artifactId>\n"
            "  <version>${vertexai.version}</version>\n</dependency></dependencies></dependencyManagement>\n"
            "<dependencies><dependency><groupId>com.google.genai</groupId>"
            "<artifactId>google-genai</artifactId><version>1.28.0</version></dependency></dependencies>\n"
            "<exclusions><exclude>com.google.cloud:google-cloud-vertexai</exclude></exclusions>\n"
            "</project>\n")
    found = [(d.line, d.column, d.name, d.specifier, d.ecosystem) for d in jvmbuild.pom(text)]
    assert found == [(6, 3, VERTEX, "${vertexai.version}", "maven"),
                     (9, 62, "com.google.genai:google-genai", "1.28.0", "maven")]


BILLION_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY a "' + "a" * 10 + '">'
                  + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
                  + "]>\n<project><dependencies><dependency><groupId>&j;</groupId>"
                  "<artifactId>google-cloud-vertexai</artifactId></dependency></dependencies></project>\n")
EXTERNAL = ('<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            "<project><name>google-cloud-vertexai &x;</name></project>\n")


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL])
def test_entity_declarations_are_refused_before_any_expansion(text: str) -> None:
    started = time.perf_counter()
    with pytest.raises(jvmbuild.EntityDeclared):
        list(jvmbuild.pom(text))
    assert time.perf_counter() - started < 1.0  # generous: the refusal comes at the first declaration


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL, "<project><dependencies>\n<dependency>vertexai\n",
                                  "\ufeff<project>google-cloud-vertexai</projec>"])
def test_a_bad_pom_is_a_note_never_a_traceback(tmp_path: Path, text: str) -> None:
    path = tmp_path / "pom.xml"
    path.write_text(text, encoding="utf-8")
    facts, note = scan_file(path, "pom.xml")
    assert note is not None and "could not parse as pom" in note
    assert facts.dependencies == []


def test_version_catalog_libraries() -> None:
    text = ('[versions]\nvertexai = "1.2.0"\n\n[libraries]\n'
            'vertexai = { module = "com.google.cloud:google-cloud-vertexai", version.ref = "vertexai" }\n'
            '  old = "com.google.cloud:google-cloud-vertexai:1.1.0"\n'
            'genai = { group = "com.google.genai", name = "google-genai", version = { strictly = "1.28" } }\n'
            '# gone = "com.google.cloud:google-cloud-vertexai:1.0.0"\n')
    found = [(d.line, d.column, d.name, d.specifier) for d in jvmbuild.version_catalog(text, Lines(text))]
    assert found == [(5, 1, VERTEX, "1.2.0"), (6, 3, VERTEX, "1.1.0"),
                     (7, 1, "com.google.genai:google-genai", "1.28")]


def test_suppressions_in_xml_and_gradle_comments() -> None:
    xml = "<artifactId>google-cloud-vertexai</artifactId> <!-- gemini-preflight: ignore[GP102] -->\n"
    assert [m.names for m in suppress.find(xml, suppress.kind_of("pom.xml"))] == [("GP102",)]
    assert suppress.find("<x># gemini-preflight: ignore[GP102]</x>\n", suppress.kind_of("pom.xml")) == []
    gradle = "implementation 'x:y:1' // gemini-preflight: ignore[GP102]\n"
    assert [m.names for m in suppress.find(gradle, suppress.kind_of("build.gradle.kts"))] == [("GP102",)]


def _java(code: str, tmp_path: Path, name: str = "App.java") -> SourceFile:
    path = tmp_path / name
    path.write_text(code, encoding="utf-8")
    facts, note = scan_file(path, name)
    assert note is None
    return facts


def test_java_imports_are_declarations_never_comments_or_strings(tmp_path: Path) -> None:
    code = ("package x;\n"
            "// import com.google.cloud.vertexai.generativeai.A;\n"
            "/** import com.google.cloud.vertexai.generativeai.B; */\n"
            "import com.google.cloud.vertexai.generativeai.GenerativeModel;\n"
            "import  com.google.cloud.vertexai.generativeai.*;\n"
            "import static com.google.cloud.vertexai.generativeai.ResponseHandler.getText;\n"
            "import com.google.genai.Client;\n"
            'class A { String s = "import com.google.cloud.vertexai.generativeai.C;"; }\n')
    found = [(i.module, i.line, i.column, i.names, i.language) for i in _java(code, tmp_path).imports]
    assert found == [
        ("com.google.cloud.vertexai.generativeai.GenerativeModel", 4, 1, (), "java"),
        ("com.google.cloud.vertexai.generativeai", 5, 1, ("*",), "java"),
        ("com.google.cloud.vertexai.generativeai.ResponseHandler.getText", 6, 1, (), "java"),
        ("com.google.genai.Client", 7, 1, (), "java"),
    ]


def test_a_java_file_without_a_needle_is_not_parsed(tmp_path: Path) -> None:
    code = "import com.google.genai.Client;\nclass A { Client c = Client.builder().build(); }\n"
    assert _java(code, tmp_path).imports == []


@pytest.mark.parametrize(("code", "usage", "where", "env"), [
    ('client.models.generateContent("gemini-3.5-flash", "hi", null);', "call",
     "models.generateContent(…)", ""),
    ('client.async.models.generateContentStream("gemini-3.5-flash", "hi", null);', "call",
     "models.generateContentStream(…)", ""),
    ('client.models.embedContent("gemini-embedding-001", "hi", null);', "call", "models.embedContent(…)", ""),
    ('client.chats.create("gemini-3.5-flash");', "call", "chats.create(…)", ""),
    ('client.caches.create("gemini-3.5-flash", config);', "call", "caches.create(…)", ""),
    ('var m = new GenerativeModel("gemini-1.5-pro", vertexAI);', "call", "new GenerativeModel(…)", ""),
    ('var m = new GenerativeModel.Builder().setModelName("gemini-1.5-pro").build();', "call",
     "setModelName(…)", ""),
    ('static final String MODEL = "gemini-3.5-flash";', "config", "MODEL = …", ""),
    ('String m = System.getenv().getOrDefault("CHAT_MODEL", "gemini-3.5-flash");', "config",
     "getOrDefault(…, default)", "CHAT_MODEL"),
    ('String m = Optional.ofNullable(System.getenv("M")).orElse("gemini-3.5-flash");', "config",
     "orElse(…, default)", "M"),
    ('String m = System.getProperty("model", "gemini-3.5-flash");', "config", "getProperty(…, default)", ""),
    ('model = (fast ? "gemini-3.5-flash" : other);', "config", "model = …", ""),
])
def test_java_model_literals_are_uses_or_configuration(tmp_path: Path, code: str, usage: str, where: str,
                                                       env: str) -> None:
    models = _java("class A { void f() { " + code + " } }\n", tmp_path).models
    assert [(m.usage, m.where, m.env) for m in models] == [(usage, where, env)]


@pytest.mark.parametrize("code", [
    '// client.models.generateContent("gemini-3.5-flash", "hi", null);',
    '/** {@code new GenerativeModel("gemini-1.5-pro", v)} */',
    'System.out.println("Try gemini-3.5-flash");',
    'log.info("model", "gemini-3.5-flash");',
    'String[] choices = {"gemini-3.5-flash", "gemini-3.1-pro-preview"};',
    'client.models.generateContent(MODEL, "Tell me about gemini-3.5-flash", null);',
    'model.generateContent("gemini-3.5-flash");',
    'String t = """\n  client.models.generateContent("gemini-3.5-flash", "hi", null);\n  """;',
    'String n = "gemini-live-demo";',
])
def test_java_lookalikes_are_not_model_facts(tmp_path: Path, code: str) -> None:
    assert _java("class A { void f() { " + code + " } }\n", tmp_path).models == []


def test_kotlin_imports_and_broken_java_still_give_facts(tmp_path: Path) -> None:
    kotlin = ("/* import com.google.cloud.vertexai.generativeai.A */\n"
              "import com.google.cloud.vertexai.generativeai.GenerativeModel as GM\n"
              "import com.google.cloud.vertexai.generativeai.*\n"
              'val s = "import com.google.cloud.vertexai.generativeai.B"\n')
    found = [(i.module, i.line, i.names, i.language) for i in _java(kotlin, tmp_path, "Main.kt").imports]
    assert found == [("com.google.cloud.vertexai.generativeai.GenerativeModel", 2, (), "kotlin"),
                     ("com.google.cloud.vertexai.generativeai", 3, ("*",), "kotlin")]
    broken = ('import com.google.cloud.vertexai.generativeai.GenerativeModel;\nclass A { void f( {\n'
              '  client.models.generateContent("gemini-3.5-flash", "hi", null);\n')
    facts = _java(broken, tmp_path)
    assert [i.line for i in facts.imports] == [1]
    assert [(m.line, m.usage) for m in facts.models] == [(3, "call")]


@pytest.mark.parametrize(("code", "usage", "where", "env"), [
    ('val m = GenerativeModel("gemini-3.5-flash", vertexAI)', "call", "GenerativeModel(…)", ""),
    ('val m = GenerativeModel(modelName = "gemini-3.5-flash", apiKey = k)', "call",
     "GenerativeModel(modelName = …)", ""),
    ('val m = Firebase.ai(backend = b).generativeModel("gemini-3.5-flash")', "call",
     "ai.generativeModel(…)", ""),
    ('client.models.generateContent("gemini-3.5-flash", "hi", null)', "call",
     "models.generateContent(…)", ""),
    ('private const val MODEL = "gemini-3.5-flash"', "config", "MODEL = …", ""),
    ('val m = System.getenv("CHAT_MODEL") ?: "gemini-3.5-flash"', "config",
     'System.getenv("CHAT_MODEL") ?: …', "CHAT_MODEL"),
])
def test_kotlin_model_literals_are_uses_or_configuration(tmp_path: Path, code: str, usage: str,
                                                         where: str, env: str) -> None:
    models = _java("fun f() {\n" + code + "\n}\n", tmp_path, "Main.kt").models
    assert [(m.usage, m.where, m.env) for m in models] == [(usage, where, env)]


@pytest.mark.parametrize("code", [
    '// val m = GenerativeModel("gemini-3.5-flash", v)',
    'println("Try gemini-3.5-flash")',
    'val t = "model $name gemini-3.5-flash"',
    'val list = listOf("gemini-3.5-flash", "gemini-3.1-pro-preview")',
    'val m = GenerativeModel(apiKey = "gemini-3.5-flash", modelName = name)',
])
def test_kotlin_lookalikes_are_not_model_facts(tmp_path: Path, code: str) -> None:
    assert _java("fun f() {\n" + code + "\n}\n", tmp_path, "Main.kt").models == []
