"""The deprecated google-generativeai SDK instead of google-genai.

## What it does
Flags a manifest whose `sdk.package` is `google-generativeai`, the legacy
Gemini SDK (`import google.generativeai as genai`). The finding points at the
value and names the replacement, `google-genai`.

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

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule

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
    )


RULE = Rule(
    id="GP101",
    name="legacy-sdk",
    severity=Severity.ERROR,
    checklist="The application uses google-genai, not google-generativeai",
    doc=__doc__ or "",
    check_manifest=check_manifest,
)
