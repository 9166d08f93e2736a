"""Edge cases of the runtime rules: thinking (GP4xx), retries and deadlines (GP5xx),
observability and budgets (GP601-GP603). Each case is a small manifest run through the API."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from preflight import api
from preflight.engine import all_rules
from preflight.findings import Finding, Severity
from tests.conftest import TODAY, check_snippet

HEAD = "version: 1\napp: demo\n"
PROD = """environments:
  production:
    route: vertex
    project: acme-genai-prod
    location: global
"""
RETRY_OK = "retry:\n  max_retries: 2\n  retry_on: [429, 500, 503]\n"


def run(tmp_path: Path, rule_id: str, body: str,
        options: Mapping[str, Mapping[str, Any]] | None = None) -> list[Finding]:
    return check_snippet(tmp_path, rule_id, HEAD + body, options=options)


def line_of(tmp_path: Path, text: str) -> int:
    lines = (tmp_path / "gemini-deploy.yaml").read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def slot(name: str, model: str, **keys: object) -> str:
    extra = "".join(f"    {k}: {v}\n" for k, v in keys.items())
    return f"  {name}:\n    id: {model}\n{extra}"


# --- GP401 thinking-level-unset ---------------------------------------------------------

def test_gp401_suggests_a_level_from_the_workload(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP401", "models:\n" + slot("t", "gemini-3.5-flash", workload="extraction"))
    assert f.severity is Severity.WARNING and "HIGH" in f.message
    assert f.fix is not None and "thinking_level: minimal" in f.fix


def test_gp401_without_workload_asks_for_one(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP401", "models:\n" + slot("t", "models/gemini-3.5-flash"))
    assert f.fix is not None and "workload" in f.fix


@pytest.mark.parametrize("model", ["gemini-2.0-flash", "gemini-flash-latest", "gemini-9-ultra"])
def test_gp401_is_silent_without_known_thinking_levels(tmp_path: Path, model: str) -> None:
    assert run(tmp_path, "GP401", "models:\n" + slot("t", model)) == []


def test_gp401_budget_models_are_info_and_image_generation_is_exempt(tmp_path: Path) -> None:
    body = "models:\n" + slot("b", "gemini-2.5-pro") + slot(
        "i", "gemini-3.1-flash-image", task="image-generation")
    [f] = run(tmp_path, "GP401", body)
    assert f.severity is Severity.INFO and "budget" in f.message


# --- GP402 thinking-level-mismatch ------------------------------------------------------

def test_gp402_levels_follow_the_options(tmp_path: Path) -> None:
    body = "models:\n" + slot("a", "gemini-3.5-flash", workload="translation", thinking_level="high")
    body += slot("b", "gemini-3.5-flash", workload="architecture-analysis", thinking_level="low")
    assert len(run(tmp_path, "GP402", body)) == 2
    loose = {"GP402": {"routine_max_level": "high", "deep_min_level": "low"}}
    assert run(tmp_path, "GP402", body, loose) == []


def test_gp402_bad_option_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "gemini-deploy.yaml"
    path.write_text(HEAD + "models:\n" + slot("a", "gemini-3.5-flash", thinking_level="low"), "utf-8")
    result = api.check([path], api.Options(select=("GP402",), today=TODAY,
                                           rule_options={"GP402": {"deep_min_level": "hgh"}}))
    assert result.crashes and "deep_min_level" in str(result.crashes[0])


def test_gp402_non_thinking_model_is_an_error(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP402", "models:\n" + slot("a", "gemini-1.5-flash", thinking_level="low"))
    assert f.severity is Severity.ERROR and "400" in f.message


# --- GP403 output-unconstrained ---------------------------------------------------------

def test_gp403_missing_cap_names_the_model_limit_and_is_an_error_in_production(
        tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP403", PROD + "models:\n" + slot("s", "gemini-2.5-flash"))
    assert f.severity is Severity.ERROR and "65536" in f.message


def test_gp403_floor_applies_to_an_explicit_level_on_an_unknown_model(tmp_path: Path) -> None:
    body = "models:\n" + slot("s", "gemini-9-ultra", thinking_level="medium", max_output_tokens=1000)
    [f] = run(tmp_path, "GP403", body)
    assert "1024" in f.message and f.location.line == line_of(tmp_path, "max_output_tokens")
    assert run(tmp_path, "GP403", body, {"GP403": {"min_tokens_medium": 1000}}) == []


def test_gp403_exempts_image_generation(tmp_path: Path) -> None:
    body = "models:\n" + slot("i", "gemini-3.1-flash-image", task="image-generation")
    assert run(tmp_path, "GP403", body) == []


# --- GP501 retries-client-errors --------------------------------------------------------

def test_gp501_flags_each_client_error_but_not_408_or_429(tmp_path: Path) -> None:
    found = run(tmp_path, "GP501", "retry:\n  retry_on: [200, 401, 408, 429, 499, 500, 599]\n")
    assert sorted(f.subject for f in found) == ["retry_on:401", "retry_on:499"]
    assert run(tmp_path, "GP501", "retry:\n  retry_on: []\n") == []


# --- GP502 unbounded-retries ------------------------------------------------------------

def test_gp502_bound_and_option(tmp_path: Path) -> None:
    assert run(tmp_path, "GP502", "retry:\n  max_retries: 2\n") == []
    assert run(tmp_path, "GP502", "retry:\n  max_retries: 3\n", {"GP502": {"max_retries": 3}}) == []
    [f] = run(tmp_path, "GP502", PROD + "retry:\n  max_retries: 3\n")
    assert f.severity is Severity.ERROR
    assert run(tmp_path, "GP502", "") == []  # no retry section at all is GP504's case


def test_gp502_missing_bound_explains_the_sdk_default(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP502", "retry:\n  initial_delay_s: 1.0\n")
    assert "attempts=5" in f.message and "4 retries" in f.message
    assert f.location.line == line_of(tmp_path, "retry:")


# --- GP503 backoff-too-aggressive -------------------------------------------------------

def test_gp503_edges(tmp_path: Path) -> None:
    ok = "retry:\n  max_retries: 2\n  initial_delay_s: 1.0\n  multiplier: 1.01\n  max_delay_s: 1.0\n"
    assert run(tmp_path, "GP503", ok) == []
    off = "retry:\n  max_retries: 0\n  initial_delay_s: 0\n  multiplier: 0\n  jitter: false\n"
    assert run(tmp_path, "GP503", off) == []  # no retries, no backoff to judge
    fast = "retry:\n  max_retries: 2\n  initial_delay_s: 0.5\n"
    assert len(run(tmp_path, "GP503", fast)) == 1
    assert run(tmp_path, "GP503", fast, {"GP503": {"min_initial_delay_s": 0.5}}) == []


def test_gp503_no_jitter_is_info(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP503", PROD + "retry:\n  max_retries: 2\n  jitter: false\n")
    assert f.severity is Severity.INFO


# --- GP504 transient-not-retried --------------------------------------------------------

def test_gp504_no_retry_points_at_version_and_is_an_error_in_production(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP504", PROD)
    assert f.location.line == 1 and f.severity is Severity.ERROR and "no retries" in f.message


def test_gp504_lists_the_missing_codes(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP504", "retry:\n  max_retries: 2\n  retry_on: []\n")
    assert "429, 500, 503" in f.message
    [f] = run(tmp_path, "GP504", "retry:\n  max_retries: 2\n  retry_on: [429, 500, 504]\n")
    assert "lacks 503:" in f.message
    assert run(tmp_path, "GP504", "retry:\n  max_retries: 2\n") == []  # SDK default list


# --- GP505 deadline-too-short -----------------------------------------------------------

def test_gp505_thresholds(tmp_path: Path) -> None:
    assert run(tmp_path, "GP505", RETRY_OK + "timeouts:\n  request_s: 60\n") == []
    assert len(run(tmp_path, "GP505", "timeouts:\n  request_s: 59\n")) == 1
    assert run(tmp_path, "GP505", "timeouts:\n  request_s: 30\n",
               {"GP505": {"min_request_s": 30}}) == []


def test_gp505_default_high_thinking_needs_the_longer_deadline(tmp_path: Path) -> None:
    body = "models:\n" + slot("c", "gemini-3.5-flash") + "timeouts:\n  request_s: 90\n"
    [f] = run(tmp_path, "GP505", body)
    assert "120" in f.message and "'c'" in f.message
    old = "models:\n" + slot("c", "gemini-2.0-flash") + "timeouts:\n  request_s: 90\n"
    assert run(tmp_path, "GP505", old) == []


def test_gp505_sub_second_value_is_an_error_with_the_seconds_it_meant(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP505", "timeouts:\n  request_s: 0.12\n")
    assert f.severity is Severity.ERROR and f.fix is not None and "request_s: 120" in f.fix


def test_gp505_no_timeout_is_info(tmp_path: Path) -> None:
    [f] = run(tmp_path, "GP505", PROD)
    assert f.severity is Severity.INFO and f.location.line == 1
    [f] = run(tmp_path, "GP505", "timeouts: {}\n")
    assert f.severity is Severity.INFO and f.location.line == line_of(tmp_path, "timeouts:")


# --- GP601 / GP602 / GP603 --------------------------------------------------------------

@pytest.mark.parametrize("rule_id", ["GP601", "GP602"])
def test_logging_rules_follow_the_stage_not_the_name(tmp_path: Path, rule_id: str) -> None:
    body = """environments:
  production:
    stage: development
    route: developer-api
  prod-eu:
    route: vertex
    project: p
    location: europe-west4
  preprod:
    route: vertex
    project: q
    location: global
"""
    found = run(tmp_path, rule_id, body)
    by_env = {f.subject: f.severity for f in found}
    assert by_env == {"prod-eu": Severity.ERROR, "preprod": Severity.WARNING}


def test_gp603_names_the_budget_and_exempts_staging(tmp_path: Path) -> None:
    body = PROD + "    quotas:\n      monthly_budget_usd: 1500\n"
    body += "  staging:\n    route: vertex\n    project: s\n    location: global\n"
    [f] = run(tmp_path, "GP603", body)
    assert "$1500" in f.message and f.severity is Severity.ERROR


def test_runtime_rules_declare_their_option_defaults() -> None:
    rules = all_rules()
    assert rules["GP502"].options == {"max_retries": 2}
    assert rules["GP505"].options["min_request_s"] == 60.0
    assert rules["GP403"].options["min_tokens_high"] == 2048
    assert rules["GP402"].options["deep_min_level"] == "medium"
