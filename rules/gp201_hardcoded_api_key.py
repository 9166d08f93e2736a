"""An API key written into a file of the repository.

## What it does
Searches every text file (code, notebooks and their outputs, `.env`, YAML,
compose files, logs, SQL, `process.env.X || '...'` fallbacks in JavaScript)
for Google API keys (`AIza` + 35 characters) and Gemini authorization keys
(`AQ.` + 40 or more characters), each as a whole token. Every occurrence is a
finding (a log with ten copies of a key has ten). Obvious placeholders
(`AIzaSy-your-api-key…`, `AIzaXXXX…`, low variety) are not reported. Reports
show the key redacted (`AIza…Xq`), never whole.

## Why is this bad?
Google's production checklist: credentials are not stored in source code. A
key in a repository is in every clone, fork, CI log and backup, and in the
git history after the line is deleted. Anyone holding a Gemini key can spend
the project's quota and read its files and cached content. Standard `AIza`
keys are being retired for Gemini in favour of authorization keys bound to a
service account; either kind belongs in the environment or a secret manager.

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
from typing import TYPE_CHECKING

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


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    where = "notebook" if ctx.file.kind == "notebook" else "file"
    for secret in ctx.file.secrets:
        what = KINDS.get(secret.kind, "API key")
        yield Problem(f"{what} {secret.redacted} is hardcoded in this {where}",
                      line=secret.line, column=secret.column, cell=secret.cell,
                      subject=secret.digest, fix=FIX)


RULE = Rule(
    id="GP201",
    name="hardcoded-api-key",
    severity=Severity.ERROR,
    checklist="Credentials are not stored in source code",
    doc=__doc__ or "",
    check_source=check_source,
)
