"""google-genai pinned below the catalog's minimum version.

## What it does
Flags `sdk.package: google-genai` whose `sdk.version` (a pin such as
`"1.52.0"` or a PEP 440 specifier such as `">=1.0,<1.40"`) admits no version
at or above the minimum in the model catalog (1.56.0), and names the SDK
behaviour changes the range misses. A `version` that is not a PEP 440 version
or specifier is reported too. No `version` (or an empty one) admits any
release and is not flagged. Warning; error when an environment is production.

In code it checks `google-genai` pins and caps in dependency files and
notebook `pip install`s the same way.

## Why is this bad?
Older google-genai releases lack behaviour the rest of the checks assume:
`GEMINI_API_KEY` is honoured only since 1.19.0, Vertex without a location
raises `ValueError` before 1.47.0, and the Gemini 3.x thinking levels
MINIMAL and MEDIUM arrive in 1.56.0. A range that cannot reach the minimum
keeps every one of those failures in production.

## Example
```yaml
version: 1
app: demo
sdk:
  package: google-genai
  version: ">=1.0,<1.40"
```

Use instead:
```yaml
version: 1
app: demo
sdk:
  package: google-genai
  version: ">=1.74.0,<4"
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from preflight.findings import Severity
from preflight.rule import ManifestContext, Problem, Rule
from preflight.versions import below_minimum

if TYPE_CHECKING:
    from preflight.scan.context import SourceContext

PACKAGE = "google-genai"


def check(ctx: ManifestContext) -> Iterator[Problem]:
    sdk = ctx.manifest.sdk
    minimum = ctx.catalog.sdk_minimum(PACKAGE)
    if sdk is None or sdk.package != PACKAGE or sdk.version is None or minimum is None:
        return
    from packaging.version import Version  # loads when a manifest pins the SDK

    fix = f'require {PACKAGE} >= {minimum}, e.g. version: ">={minimum}"'
    below = below_minimum(sdk.version, minimum)
    if below is None:
        yield Problem(f"sdk.version {sdk.version!r} is not a PEP 440 version or specifier",
                      path=("sdk", "version"), subject=f"{PACKAGE} {sdk.version}", fix=fix)
    elif below:
        missed = [f"{_short(change)} ({version})"
                  for version, change in ctx.catalog.sdk_boundaries(PACKAGE)
                  if Version(version) <= Version(minimum) and below_minimum(sdk.version, version)]
        misses = f"; it misses: {', '.join(missed)}" if missed else ""
        yield Problem(f"{PACKAGE} {sdk.version!r} cannot reach the minimum {minimum}{misses}",
                      path=("sdk", "version"), subject=f"{PACKAGE} {sdk.version}", fix=fix)


def _short(change: str) -> str:
    """A boundary's change without its asides in parentheses."""
    return re.sub(r"\s*\([^)]*\)", "", change).strip()


def check_source(ctx: SourceContext) -> Iterator[Problem]:
    minimum = ctx.catalog.sdk_minimum(PACKAGE)
    for dep in ctx.file.dependencies:
        if dep.name != PACKAGE or dep.ecosystem != "pypi" or not minimum or not dep.specifier:
            continue
        below = below_minimum(dep.specifier, minimum)
        if below is None:
            shown = dep.specifier if len(dep.specifier) <= 40 else dep.specifier[:37] + "..."
            yield Problem(f"{dep.origin} pins {PACKAGE}{shown}, which is not a readable PEP 440 "
                          "specifier", line=dep.line, column=dep.column, cell=dep.cell,
                          subject=f"{PACKAGE} unreadable", fix=f"require {PACKAGE}>={minimum}")
        elif below:
            yield Problem(f"{dep.origin} pins {PACKAGE}{dep.specifier}, below the minimum {minimum}",
                          line=dep.line, column=dep.column, cell=dep.cell,
                          subject=f"{PACKAGE} {dep.specifier}", fix=f"require {PACKAGE}>={minimum}")


RULE = Rule(
    id="GP103",
    name="outdated-sdk",
    severity=Severity.WARNING,
    production_severity=Severity.ERROR,
    checklist="google-genai is at or above the catalog's minimum version",
    doc=__doc__ or "",
    check_manifest=check,
    check_source=check_source,
)
