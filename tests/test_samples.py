"""Every failing sample yields exactly its ``# expect:`` findings; production.yaml passes all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from preflight import api
from preflight.engine import all_rules
from tests.conftest import SAMPLES, TODAY

EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")
FAILING = sorted((SAMPLES / "failing").glob("GP*.yaml"))


def expected(path: Path) -> set[tuple[int, str]]:
    found = set()
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            found |= {(number, rid.strip()) for rid in match.group(1).split(",") if rid.strip()}
    return found


@pytest.mark.parametrize("sample", FAILING, ids=lambda p: p.stem)
def test_failing_sample_yields_exactly_its_expectations(sample: Path) -> None:
    rule_id = sample.stem.split("-")[0]
    assert rule_id in all_rules(), f"{sample.name} names no known rule"
    result = api.check([sample], api.Options(select=(rule_id,), today=TODAY))
    assert not result.errors and not result.crashes, result.errors + result.crashes
    got = {(f.location.line, f.rule_id) for f in result.findings}
    want = {(line, rid) for line, rid in expected(sample) if rid == rule_id}
    assert want, f"{sample.name} marks no '# expect: {rule_id}' line"
    assert got == want


def test_production_sample_passes_every_rule() -> None:
    result = api.check([SAMPLES / "production.yaml"], api.Options(today=TODAY))
    assert not result.errors and not result.crashes
    assert [f"{f.location} {f.rule_id} {f.message}" for f in result.findings] == []
