"""An API key written into a file of the repository.

## What it does
Searches every text file (code, notebooks and their outputs, `.env`, YAML,
compose files, logs, SQL, `process.env.X || '...'` fallbacks in JavaScript)
for Google API keys (`AIza` + 35 characters) and Gemini authorization keys
(`AQ.` + 40 or more characters), each as a whole token. Every occurrence is a
finding (a log with ten copies of a key has ten). Obvious placeholders
(`AIzaSy-your-api-key…`, `AIzaXXXX…`, low variety) are not reported. Reports
show the key redacted (`AIza…Xq`), never whole. A Google API key inside a
Firebase app config (`firebaseConfig = {apiKey: …, authDomain: …}`,
`google-services.json`, `GoogleService-Info.plist`) is reported apart, as a
warning: it is public by design, but it can call Gemini when the Generative
Language API is enabled on that project.

## Why is this bad?
Google's production checklist: credentials are not stored in source code. A
key in a repository is in every clone, fork, CI log and backup, and in the
git history after the line is deleted. Anyone holding a Gemini key can spend
the project's quota and read its files and cached content. The Gemini API
rejects unrestricted standard `AIza` keys since 2026-06-19 and every standard
key since September 2026: Gemini wants an authorization key bound to a service
account, which belongs in the environment or a secret manager too.

## Example
In the example, `…` stands for the rest of a real 39-character key.
```python
from google import genai

client = genai.Client(api_key="AIzaSy…")
```

Use instead:
```python
import os

from google import genai

client = genai.Client(api_key=os.environ["GEMINI_API_KEY"])
```
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from preflight.findings import Severity
from preflight.rule import Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext

KINDS = {
    "google-api-key": "Google API key",
    "gemini-auth-key": "Gemini API key",
}
FIX = ("revoke or rotate the key now (it is in the git history), then read it from the "
       "environment (GEMINI_API_KEY) or a secret manager")
FIREBASE_FIX = ("restrict the key to the Firebase APIs it serves (API restrictions in the Cloud "
                "console), and call Gemini through Firebase AI Logic with App Check, never with this key")


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    where = "notebook" if ctx.file.kind == "notebook" else "file"
    for secret in ctx.file.secrets:
        place = {"line": secret.line, "column": secret.column, "cell": secret.cell,
                 "subject": secret.digest}
        if secret.context == "firebase":
            yield Problem(f"Firebase config key {secret.redacted} in this {where} is public by "
                          "design, but it can call Gemini if the Generative Language API is "
                          "enabled on its project", fix=FIREBASE_FIX, severity=Severity.WARNING,
                          **place)  # type: ignore[arg-type]
        elif secret.kind == "google-api-key":
            yield Problem(f"Google API key {secret.redacted} is hardcoded in this {where}; "
                          + _lifecycle(ctx.today), fix=FIX + _replacement(), **place)  # type: ignore[arg-type]
        else:
            yield Problem(f"{KINDS.get(secret.kind, 'API key')} {secret.redacted} is hardcoded in "
                          f"this {where}", fix=FIX, **place)  # type: ignore[arg-type]


def _facts() -> dict[str, Any]:
    from preflight.datafiles import load_data

    return dict(load_data("keys.yaml").get("lifecycle") or {})


def _lifecycle(today: date) -> str:
    """What the Gemini API does with standard keys, from keys.yaml (dates as data)."""
    facts = _facts()
    every, unrestricted = facts.get("all_rejected"), facts.get("unrestricted_rejected")
    text = facts.get("all_rejected_text") or str(every)
    if isinstance(every, date) and every <= today:
        return (f"the Gemini API rejects standard keys since {text} (unrestricted ones since "
                f"{unrestricted})")
    return f"the Gemini API rejects standard keys from {text} (unrestricted ones from {unrestricted})"


def _replacement() -> str:
    replacement = _facts().get("replacement")
    return f"; for Gemini create {replacement}" if replacement else ""


RULE = Rule(
    id="GP201",
    name="hardcoded-api-key",
    severity=Severity.ERROR,
    checklist="Credentials are not stored in source code",
    doc=__doc__ or "",
    check_source=check_source,
)
