"""JUnit XML for CI test reports (``--format junit``): GitLab, Jenkins, Azure, CircleCI.

Each rule that ran is a test suite. Within it, each file the rule found
something in is a test case (``classname`` the rule, ``name`` the path) with
one ``<failure>`` per finding; a rule that found nothing has one passing case,
so a clean run shows every rule as a passed test. Errors of the tool itself
(an unreadable manifest, a crashed rule) are ``<error>`` cases in a suite named
``gemini-preflight``. No timestamps or durations: the same input gives the same
bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

from preflight.findings import Finding

if TYPE_CHECKING:
    from preflight.core import Result

# Characters XML 1.0 cannot carry at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def render(result: Result, color: bool) -> str:
    by_rule: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    names = {rule.id: rule.name for rule in result.rules}
    for finding in result.findings:
        by_rule[finding.rule_id][finding.location.path].append(finding)
        names.setdefault(finding.rule_id, finding.rule_name)

    root = ET.Element("testsuites", name="gemini-preflight")
    totals = [0, 0, 0]  # tests, failures, errors
    for rule_id in sorted(names):
        suite = ET.SubElement(root, "testsuite", name=f"{rule_id} {names[rule_id]}")
        files = by_rule.get(rule_id, {})
        for path in sorted(files):
            case = ET.SubElement(suite, "testcase", classname=rule_id, name=_clean(path), file=_clean(path))
            for finding in files[path]:
                _failure(case, finding)
        if not files:
            ET.SubElement(suite, "testcase", classname=rule_id, name="no findings")
        _count(suite, tests=max(len(files), 1), failures=len(files), errors=0, totals=totals)

    problems = [*result.errors, *map(str, result.crashes)]
    if problems:
        suite = ET.SubElement(root, "testsuite", name="gemini-preflight")
        for number, text in enumerate(problems, start=1):
            case = ET.SubElement(suite, "testcase", classname="gemini-preflight", name=f"error {number}")
            error = ET.SubElement(case, "error", message=_clean(text.splitlines()[0]), type="tool-error")
            error.text = _clean(text)
        _count(suite, tests=len(problems), failures=0, errors=len(problems), totals=totals)

    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", str(totals[2]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _failure(case: ET.Element, finding: Finding) -> None:
    loc = finding.location
    cell = f" [cell {loc.cell}]" if loc.cell else ""
    failure = ET.SubElement(case, "failure", message=_clean(finding.message), type=finding.severity.label)
    lines = [f"{loc}:{cell} {finding.rule_id} {finding.severity.label} {finding.message}"]
    if finding.fix:
        lines.append(f"fix: {finding.fix}")
    failure.text = _clean("\n".join(lines))


def _count(suite: ET.Element, tests: int, failures: int, errors: int, totals: list[int]) -> None:
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    totals[0] += tests
    totals[1] += failures
    totals[2] += errors
