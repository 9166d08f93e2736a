r"""A service-account key (JSON with a private key) in the repository.

## What it does
Flags a JSON file with `"type": "service_account"` and a PEM `private_key`,
and the same key JSON embedded in any other text file: code, notebooks,
`.txt` environment dumps, one-line JSON in a variable or a log. Templates
that carry the field names without key material are not reported. The
finding points at the `private_key` field and never shows the key.

## Why is this bad?
A service-account key is a long-lived credential: whoever has the file acts
as that service account, with all its IAM roles, until the key is deleted;
it does not expire. Committed once, it stays in the git history and in every
clone. Google recommends attached service accounts (Cloud Run, GKE, GCE) or
workload identity federation instead of downloaded keys.

## Example
In the example, `…` stands for a PEM private key (the BEGIN line, base64 key
material, the END line).
```json
{
  "type": "service_account",
  "project_id": "acme-genai-prod",
  "private_key": "…",
  "client_email": "genai-runner@acme-genai-prod.iam.gserviceaccount.com"
}
```

Use instead:
```python
from google import genai

# Application Default Credentials: the attached service account in production.
client = genai.Client(vertexai=True, project="acme-genai-prod", location="global")
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import Problem, Rule

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext

FIX = ("delete the key (gcloud iam service-accounts keys delete), remove the file from the "
       "repository and its history, and use an attached service account or workload identity")


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    for key in ctx.file.service_account_keys:
        project = f" of project {key.project}" if key.project else ""
        what = "embedded in this file" if key.embedded else "committed"
        yield Problem(f"service-account key{project} {what}: whoever reads it acts as that "
                      "service account", line=key.line, column=key.column, cell=key.cell,
                      subject=key.digest, fix=FIX)


RULE = Rule(
    id="GP202",
    name="service-account-key-committed",
    severity=Severity.ERROR,
    checklist="No service-account key files in the repository",
    doc=__doc__ or "",
    check_source=check_source,
)
