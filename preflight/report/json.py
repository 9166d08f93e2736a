"""JSON for scripts: a stable document described in docs/output-formats.md.

Keys are sorted and findings ordered by path, line, column and rule, so the
same input gives byte-identical output.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from preflight import __version__

if TYPE_CHECKING:
    from preflight.core import Result

SCHEMA_VERSION = 1


def render(result: Result, color: bool) -> str:
    counts = {"error": 0, "warning": 0, "info": 0}
    findings: list[dict[str, Any]] = []
    for f in result.findings:
        counts[f.severity.label] += 1
        findings.append({
            "rule_id": f.rule_id,
            "rule_name": f.rule_name,
            "severity": f.severity.label,
            "message": f.message,
            "path": f.location.path,
            "line": f.location.line,
            "column": f.location.column,
            "cell": f.location.cell,
            "fix": f.fix,
            "fingerprint": f.fingerprint,
        })
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "gemini-preflight", "version": __version__},
        "inputs": sorted(set(result.inputs)),
        "findings": findings,
        "errors": list(result.errors) + [str(c) for c in result.crashes],
        "summary": {"total": len(findings), **counts},
        "baseline": None if result.baseline is None else {
            "file": result.baseline.file,
            "matched": result.baseline.matched,
            "stale": [e.as_dict() for e in result.baseline.stale],
        },
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
