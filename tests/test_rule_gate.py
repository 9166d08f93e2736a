"""The gate every rule passes: documented, sampled, and its documented examples hold."""

from __future__ import annotations

import pytest

from preflight.engine import all_rules
from preflight.rule import DOC_SECTIONS, Rule
from tests.conftest import SAMPLES
from tests.rule_examples import findings_for_example

RULES = list(all_rules().values())


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_documented(rule: Rule) -> None:
    sections = rule.sections()
    for heading in DOC_SECTIONS:
        assert sections.get(heading), f"{rule.id} lacks a '## {heading}' section"
    bad, good = rule.examples()
    assert bad is not None, f"{rule.id}: '## Example' has no code block"
    assert good is not None, f"{rule.id}: '## Example' has no 'Use instead:' code block"
    assert rule.checklist and rule.name == rule.name.lower()


@pytest.mark.parametrize("rule", [r for r in RULES if r.check_manifest], ids=lambda r: r.id)
def test_rule_has_failing_sample(rule: Rule) -> None:
    """Every rule with a manifest check has a failing sample manifest (source and probe
    rules have their fixtures in tests/)."""
    samples = list((SAMPLES / "failing").glob(f"{rule.id}*.yaml"))
    assert samples, f"{rule.id} has no sample-configs/failing/{rule.id}.yaml"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_documented_example_fails_and_fix_passes(rule: Rule) -> None:
    pairs = rule.example_pairs()
    assert pairs, f"{rule.id}: no documented Example / 'Use instead' pair"
    for number, (bad, good) in enumerate(pairs, 1):
        assert any(f.rule_id == rule.id for f in findings_for_example(rule, *bad)), (
            f"{rule.id}: its documented Example {number} ({bad[0]}) does not trigger it")
        assert not [f for f in findings_for_example(rule, *good) if f.rule_id == rule.id], (
            f"{rule.id}: its documented 'Use instead' {number} ({good[0]}) still triggers it")


def test_rule_ids_and_names_are_unique() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
