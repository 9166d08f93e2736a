"""GitHub Actions workflow commands (``--format github``): annotations on the pull request.

One command a finding, ``::error file=…,line=…,col=…,title=GP302 name::message``
(``warning`` and ``notice`` for the milder severities), with GitHub's escaping:
``%``, CR and LF in the message; also ``:`` and ``,`` in properties. Paths are
relative to the repository root, which is what GitHub resolves them against.
Tool errors are plain ``::error::`` commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.findings import Finding, Severity

if TYPE_CHECKING:
    from preflight.core import Result

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    loc = finding.location
    props = [f"file={escape_property(loc.where.repo)}"]
    if loc.line > 0:
        props.append(f"line={loc.line}")
        props.append(f"col={max(loc.column, 1)}")
    props.append(f"title={escape_property(f'{finding.rule_id} {finding.rule_name}')}")
    message = finding.message + (f"\nfix: {finding.fix}" if finding.fix else "")
    return f"::{COMMANDS[finding.severity]} {','.join(props)}::{escape_data(message)}"


def render(result: Result, color: bool) -> str:
    lines = [command(f) for f in result.findings]
    lines += [f"::error title=gemini-preflight::{escape_data(text)}"
              for text in [*result.errors, *map(str, result.crashes)]]
    from preflight.report.text import summary

    lines.append(summary(result))
    return "\n".join(lines) + "\n"
