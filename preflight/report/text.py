"""Plain text: ``path:line:col: GPxxx severity message``, one finding a line.

Colour only when the CLI says the output is a terminal. Ends with a summary.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import click

from preflight.findings import Severity

if TYPE_CHECKING:
    from preflight.core import Result

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def render(result: Result, color: bool) -> str:
    lines = []
    for f in result.findings:
        severity = f.severity.label
        rule = f.rule_id
        if color:
            severity = click.style(severity, fg=_COLOURS[f.severity], bold=True)
            rule = click.style(rule, bold=True)
        cell = f" [cell {f.location.cell}]" if f.location.cell else ""
        lines.append(f"{f.location}:{cell} {rule} {severity} {f.message}")
        if f.fix:
            lines.append(f"    fix: {f.fix}")
        if f.autofix is not None:
            how = "--fix" if f.autofix.safe else "--fix --unsafe-fixes"
            lines.append(f"    fixable with {how}: {f.autofix.description}")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def summary(result: Result) -> str:
    failed = len(result.errors) + len(result.crashes)
    if failed and not result.findings:
        return (f"Not checked completely: {_plural(failed, 'error')} (on standard error); "
                "no problems found in what could be checked.")
    if not result.findings:
        return f"No problems found in {_plural(len(result.inputs), 'file')}."
    counts = Counter(f.severity for f in result.findings)
    parts = [_plural(counts[s], s.label) for s in sorted(counts, reverse=True)]
    files = len({f.location.path for f in result.findings})
    found = (f"Found {_plural(len(result.findings), 'problem')} ({', '.join(parts)}) "
             f"in {_plural(files, 'file')}")
    return found + (f"; {_plural(failed, 'error')} (on standard error) stopped part of the run."
                    if failed else ".")


def _plural(n: int, word: str) -> str:
    if word == "info":
        return f"{n} info"
    return f"{n} {word}{'' if n == 1 else 's'}"
