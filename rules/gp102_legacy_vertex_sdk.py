"""Code that uses the legacy generative modules of the Vertex AI SDK.

## What it does
Flags imports of every generative module of the Vertex AI SDK
(`vertexai.generative_models`, `vertexai.language_models`,
`vertexai.vision_models`, `vertexai.tuning`, `vertexai.caching`, each also
under `vertexai.preview`, also as `from vertexai import generative_models`) in
Python files, notebooks and notebook cells that do not parse, and imports of
the legacy Node package `@google-cloud/vertexai` in JavaScript/TypeScript files
and `package.json`, in Go `go.mod` requirements and imports of the module
`cloud.google.com/go/vertexai` (package `genai`), and in Java and Kotlin imports of
`com.google.cloud.vertexai.generativeai` and Maven/Gradle dependencies on
`com.google.cloud:google-cloud-vertexai` (`pom.xml`, `build.gradle`, `build.gradle.kts`,
`libs.versions.toml`). A Python declaration of `google-cloud-aiplatform` (or the
`vertexai` package) is flagged only when the code it serves imports a legacy generative
module and the same file does not declare `google-genai`: the package also carries APIs
that are not deprecated. The code a declaration serves is the notebook itself for its
`%pip install` lines, otherwise the files in the declaration's folder and below (for a
file in a `requirements/` folder: the folder above). `vertexai.Client`, the new
google-genai based client, is not flagged; neither are Java imports of
`com.google.cloud.vertexai.VertexAI` or `com.google.cloud.vertexai.api` alone. Once the
modules' removal date has passed the finding is an error in every stage.

## Why is this bad?
Google deprecated these modules on 2025-06-24 and removed them on 2026-06-24:
they get no new models or fixes, and an SDK upgrade breaks the import. Their
PaLM and Codey models (`text-bison`, `chat-bison`) are retired. google-genai
serves the same Vertex AI models through `genai.Client(vertexai=True, ...)`.

## Example
```python
from vertexai.generative_models import GenerativeModel

model = GenerativeModel(CHAT_MODEL)
```

Use instead:
```python
from google import genai

client = genai.Client(vertexai=True, project=PROJECT, location=LOCATION)
```
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from preflight.depfix import PYPI_REPLACEMENT, npm_fix, python_add_fix
from preflight.edits import Fixable
from preflight.findings import Severity
from preflight.rule import Problem, Rule
from preflight.rulekit import served_by, spelled

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext, TreeContext
    from preflight.scan.facts import Import, SourceFile

JS_PACKAGE = "@google-cloud/vertexai"
# The catalog's list (sdk.vertexai.modules) wins; this is the fallback when it lacks one.
MODULES = tuple(f"vertexai.{pre}{name}" for name in ("generative_models", "language_models",
                "vision_models", "tuning", "caching") for pre in ("", "preview."))
FIX = "use google-genai: `from google import genai`; `genai.Client(vertexai=True, project=…, location=…)`"
JS_FIX = ("use @google/genai: `import { GoogleGenAI } from \"@google/genai\"`; "
          "`new GoogleGenAI({ vertexai: true, project, location })`")
PY_PACKAGES = ("google-cloud-aiplatform", "vertexai")  # declarations that bring the modules


@functools.lru_cache(maxsize=4)
def _tops(modules: tuple[str, ...]) -> frozenset[str]:
    return frozenset(mod.partition(".")[0] for mod in modules)


def _legacy(imp: Import, modules: tuple[str, ...]) -> str | None:
    # every module the import may bring starts with its top-level package
    if imp.module.partition(".")[0] not in _tops(modules):
        return None
    return next((mod for m in imp.modules() for mod in modules
                 if m == mod or m.startswith(mod + ".")), None)


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    facts: dict[str, Any] = dict(ctx.catalog.sdk.get("vertexai", {}))
    modules = tuple(facts.get("modules") or MODULES)
    when, severity = _when(facts, ctx.today)
    for imp in ctx.file.imports:
        if imp.language == "python":
            legacy = _legacy(imp, modules)
        else:
            legacy = imp.module if imp.module == JS_PACKAGE else None
        if legacy is None:
            continue
        yield Problem(f"{legacy} is the legacy Vertex AI SDK ({when})", line=imp.line,
                      column=imp.column, cell=imp.cell, subject=legacy, severity=severity,
                      fix=spelled(imp.language, FIX, JS_FIX))
    for dep in ctx.file.dependencies:
        if dep.ecosystem == "npm" and dep.name == JS_PACKAGE:
            yield Problem(f"dependency {JS_PACKAGE} is the legacy Vertex AI SDK for Node ({when})",
                          line=dep.line, column=dep.column, subject=JS_PACKAGE, severity=severity,
                          fix="depend on @google/genai (`new GoogleGenAI({vertexai: true, ...})`)",
                          autofix=npm_fix(dep, ctx.file, ctx.catalog))
    yield from _go(ctx)
    yield from _java(ctx)


GO_MODULE = "cloud.google.com/go/vertexai"  # the module holds only the generative package genai
GO_FIX = ("use google.golang.org/genai: `genai.NewClient(ctx, &genai.ClientConfig{Backend: "
          "genai.BackendVertexAI, Project: …, Location: …})`")


def _go(ctx: SourceContext) -> Iterator[Problem]:
    """Go imports of the module's packages and go.mod requirements of it; dates from the catalog."""
    facts = ctx.catalog.sdk.get(GO_MODULE, {})
    replacement = facts.get("replacement") or "google.golang.org/genai"
    when, severity = _when(facts, ctx.today)
    for imp in ctx.file.imports:
        if imp.language == "go" and (imp.module == GO_MODULE or imp.module.startswith(GO_MODULE + "/")):
            yield Problem(f"{imp.module} is the legacy Vertex AI SDK for Go ({when}); use {replacement}",
                          line=imp.line, column=imp.column, subject=imp.module, fix=GO_FIX,
                          severity=severity)
    for dep in ctx.file.dependencies:
        if dep.ecosystem == "go" and dep.name == GO_MODULE:
            yield Problem(f"{dep.origin} requires {GO_MODULE}, the legacy Vertex AI SDK for Go "
                          f"({when}); require {replacement}", line=dep.line, column=dep.column,
                          subject=GO_MODULE, fix=GO_FIX, severity=severity)


JAVA = "com.google.cloud:google-cloud-vertexai"  # its facts (dates, package) are in the catalog
JAVA_FIX = "depend on com.google.genai:google-genai (`Client.builder().vertexAI(true)…`)"


def _java(ctx: SourceContext) -> Iterator[Problem]:
    """Java/Kotlin imports of the generative package, Maven/Gradle dependencies on the artifact."""
    facts: dict[str, Any] = dict(ctx.catalog.sdk.get(JAVA, {}))
    packages = tuple(facts.get("modules") or ("com.google.cloud.vertexai.generativeai",))
    when, severity = _when(facts, ctx.today)
    for imp in ctx.file.imports:
        legacy = next((p for p in packages if imp.module == p or imp.module.startswith(p + ".")), None)
        if imp.language in ("java", "kotlin") and legacy is not None:
            yield Problem(f"{legacy} is the legacy Vertex AI SDK for Java ({when})", line=imp.line,
                          column=imp.column, subject=legacy, fix=JAVA_FIX, severity=severity)
    for dep in ctx.file.dependencies:
        if dep.ecosystem == "maven" and dep.name == JAVA:
            yield Problem(f"dependency {JAVA} is the legacy Vertex AI SDK for Java ({when})",
                          line=dep.line, column=dep.column, subject=JAVA, fix=JAVA_FIX, severity=severity)


def _when(facts: Mapping[str, Any], today: date) -> tuple[str, Severity | None]:
    """"removed on …" (an error from then on) or "deprecated on …", from the catalog's dates."""
    removed = facts.get("removed")
    if isinstance(removed, date) and removed <= today:
        return f"removed on {removed}", Severity.ERROR
    return f"deprecated on {facts.get('deprecated', '2025-06-24')}", None


def _uses(files: Sequence[SourceFile], modules: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """``path:line: module`` of the legacy imports, and of other imports of the package."""
    legacy: list[str] = []
    other: list[str] = []
    for file in sorted(files, key=lambda f: f.path):
        for imp in (i for i in file.imports if i.language == "python"):
            if found := _legacy(imp, modules):
                legacy.append(f"{file.path}:{imp.line}: {found}")
            if kept := next((m for m in imp.modules() if m.startswith("google.cloud.aiplatform") or (
                    m.startswith("vertexai.") and m != "vertexai.init"
                    and not any(mod == m or mod.startswith(m + ".") or m.startswith(mod + ".")
                                for mod in modules))), None):
                other.append(f"{file.path}:{imp.line}: {kept}")
    return legacy, other


def check_tree(ctx: TreeContext) -> Iterator[Problem]:
    """Python declarations of the package, when the code they serve uses the legacy modules."""
    facts: dict[str, Any] = dict(ctx.catalog.sdk.get("vertexai", {}))
    modules = tuple(facts.get("modules") or MODULES)
    when, severity = _when(facts, ctx.today)
    for file in ctx.files:
        if any(d.name == PYPI_REPLACEMENT for d in file.dependencies):
            continue  # google-genai is declared already
        found = [d for d in file.dependencies if d.ecosystem == "pypi" and d.name in PY_PACKAGES]
        for dep in found:
            legacy, other = _uses(served_by(file, dep, ctx.files), modules)
            if not legacy:
                continue
            keep = f"keep {dep.name} for {other[0]}" if other else f"remove {dep.name} once migrated"
            yield Problem(f"{dep.origin} installs {dep.name} for the legacy Vertex AI generative "
                          f"modules ({legacy[0]}, {when}) but not {PYPI_REPLACEMENT}",
                          line=dep.line, column=dep.column, cell=dep.cell, file=file.path,
                          subject=dep.name, severity=severity,
                          fix=f"add {PYPI_REPLACEMENT}, migrate the code to it "
                              f"(`gemini-preflight migrate`), then {keep}",
                          # one addition per file: a second declaration is not needed
                          autofix=python_add_fix(dep, file, ctx.catalog) if dep == found[0] else None)


RULE = Rule(
    id="GP102",
    name="legacy-vertex-sdk",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="The application uses google-genai, not the Vertex AI SDK's generative modules",
    doc=__doc__ or "",
    check_source=check_source,
    check_tree=check_tree,
    fixable=Fixable("sometimes", safe=True),
)
