"""Docs generated from the rules stay current."""

from __future__ import annotations

from preflight.docs import reference
from preflight.engine import all_rules
from tests.conftest import ROOT


def test_rules_reference_is_current() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == reference(all_rules().values()), (
        "docs/rules.md is stale: run `python -m preflight.docs > docs/rules.md`")


def test_readme_links_the_reference() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/rules.md" in readme


def test_rule_options_are_documented_from_the_rule() -> None:
    from preflight.docs import reference
    from preflight.engine import all_rules

    rules = all_rules()
    text = reference([rules["GP502"]])
    assert "### Options" in text and "| `max_retries` | `2` |" in text
    assert "rules:\n  GP502:\n    max_retries: 2\n" in text
    assert "### Options" not in reference([rules["GP302"]])
