"""The deprecated google-generativeai SDK instead of google-genai.

## What it does
Flags a manifest whose `sdk.package` is `google-generativeai`, the legacy
Gemini SDK (`import google.generativeai as genai`). The finding points at the
value and names the replacement, `google-genai`.

In code it flags `import google.generativeai`, `from google import generativeai`,
`google.ai.generativelanguage`, notebook `pip install`s and dependency declarations
of `google-generativeai` / `google-ai-generativelanguage`, and the Node package
`@google/generative-ai`: JavaScript/TypeScript imports, `require()`, dynamic
`import()`, CDN URLs (`https://esm.run/@google/generative-ai`, jsDelivr, unpkg,
esm.sh) in code, `<script src>` and import maps, and `package.json` (never prose,
strings, comments, lock files or the package's own name). In Go it flags `go.mod`
requirements (`// indirect` ones too) and imports of `github.com/google/generative-ai-go`
(never `go.sum`, a `replace` directive, comments or strings).

## Why is this bad?
All support for `google-generativeai` ended on 2025-11-30 (first announced
for 2025-09-30): it gets no fixes, no new models or features, and importing
0.8.6 emits a `FutureWarning`. Its default model (`gemini-1.5-flash-002`) is
retired, and it reads `GEMINI_API_KEY` before `GOOGLE_API_KEY`, the opposite
of google-genai. Google's production checklist asks for google-genai
(`from google import genai`, `genai.Client(...)`).

## Example
```yaml
version: 1
app: demo
sdk:
  package: google-generativeai
  version: "0.8.6"
```

Use instead:
```yaml
version: 1
app: demo
sdk:
  package: google-genai
  version: ">=1.74.0"
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.depfix import npm_fix, python_fix
from preflight.edits import Edit, Fix, Fixable, replace_literal
from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext

LEGACY = "google-generativeai"
REPLACEMENT = "google-genai"  # used when the catalog does not name one
MIGRATION = "https://ai.google.dev/gemini-api/docs/migrate"


def check_manifest(ctx: ManifestContext) -> Iterator[Problem]:
    sdk = ctx.manifest.sdk
    if sdk is None or sdk.package != LEGACY:
        return
    facts = ctx.catalog.sdk.get(LEGACY, {})
    replacement = str(facts.get("replacement") or REPLACEMENT)
    ended = facts.get("support_ended")
    why = f"support ended on {ended}" if ended else "it is no longer supported"
    yield Problem(
        f"sdk.package is {LEGACY}: {why}; migrate to {replacement}",
        path=("sdk", "package"), subject=f"manifest:{LEGACY}",
        fix=(f"set sdk.package: {replacement} and port the code to "
             f"`from google import genai` / `genai.Client()` ({MIGRATION})"),
        autofix=_manifest_fix(ctx, replacement),
    )


def _manifest_fix(ctx: ManifestContext, replacement: str) -> Fix:
    """sdk.package becomes the replacement; a version pin becomes the catalog's minimum."""
    mark = ctx.document.locate(("sdk", "package"))
    fix = replace_literal(mark.line, mark.column, LEGACY, replacement)
    minimum = ctx.catalog.sdk_minimum(replacement)
    version = ctx.document.values.get(("sdk", "version"))
    if minimum is None or version is None:
        return fix
    pin = Edit(version.line, version.column, ((r"([\"']).*?\1|[^\s#]+", f'">={minimum}"'),))
    return Fix(f"sdk: {replacement} >={minimum}", (*fix.edits, pin))


PY_LEGACY = ("google.generativeai", "google.ai.generativelanguage")
DEP_LEGACY = {("pypi", "google-generativeai"), ("pypi", "google-ai-generativelanguage"),
              ("npm", "@google/generative-ai")}


JS_FIX = ("port the code to @google/genai: `import { GoogleGenAI } from \"@google/genai\"`; "
          "`new GoogleGenAI({})` (https://ai.google.dev/gemini-api/docs/migrate)")


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    fix = f"port the code to `from google import genai` / `genai.Client()` ({MIGRATION})"
    for imp in ctx.file.imports:
        found = imp.module if imp.module == "@google/generative-ai" else next(
            (m for m in imp.modules() if m.startswith(PY_LEGACY)), None)
        if found is not None:
            node = imp.language != "python"
            yield Problem(f"{found} is the legacy Gemini SDK (support ended); use "
                          f"{'@google/genai' if node else REPLACEMENT}",
                          line=imp.line, column=imp.column, cell=imp.cell, subject=found,
                          fix=JS_FIX if node else fix)
    yield from _go(ctx)
    for dep in ctx.file.dependencies:
        if (dep.ecosystem, dep.name) in DEP_LEGACY:
            npm = dep.ecosystem == "npm"
            autofix = (npm_fix(dep, ctx.file, ctx.catalog) if npm else
                       python_fix(dep, ctx.file, ctx.catalog) if dep.name == LEGACY else None)
            yield Problem(f"{dep.origin} installs {dep.name}, the legacy Gemini SDK; "
                          f"depend on {'@google/genai' if npm else REPLACEMENT}",
                          line=dep.line, column=dep.column, cell=dep.cell, subject=dep.name,
                          fix=JS_FIX if npm else fix, autofix=autofix)


GO_LEGACY = "github.com/google/generative-ai-go"  # its dates and replacement: the catalog
GO_FIX = ("port the code to google.golang.org/genai: `genai.NewClient(ctx, &genai.ClientConfig{…})`; "
          "`client.Models.GenerateContent(ctx, model, …)` (https://ai.google.dev/gemini-api/docs/migrate)")


def _go(ctx: SourceContext) -> Iterator[Problem]:
    """Go imports of the legacy module's packages and go.mod requirements of it."""
    facts = ctx.catalog.sdk.get(GO_LEGACY, {})
    replacement = str(facts.get("replacement") or "google.golang.org/genai")
    ended = facts.get("support_ended")
    why = f"support ended on {ended}" if ended else "support ended"
    for imp in ctx.file.imports:
        if imp.language == "go" and (imp.module == GO_LEGACY or imp.module.startswith(GO_LEGACY + "/")):
            yield Problem(f"{imp.module} is the legacy Gemini SDK for Go ({why}); use {replacement}",
                          line=imp.line, column=imp.column, subject=imp.module, fix=GO_FIX)
    for dep in ctx.file.dependencies:
        if dep.ecosystem == "go" and dep.name == GO_LEGACY:
            yield Problem(f"{dep.origin} requires {dep.name}, the legacy Gemini SDK for Go ({why}); "
                          f"require {replacement}", line=dep.line, column=dep.column,
                          subject=dep.name, fix=GO_FIX)


RULE = Rule(
    id="GP101",
    name="legacy-sdk",
    severity=Severity.ERROR,
    checklist="The application uses google-genai, not google-generativeai",
    doc=__doc__ or "",
    check_manifest=check_manifest,
    check_source=check_source,
    fixable=Fixable("sometimes", safe=True),
)
