"""Edge cases of the model rules GP301 and GP303-GP308 (GP302 has its own sample)."""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from preflight import catalog
from preflight.findings import Finding, Severity
from tests.conftest import TODAY, check_snippet

MODEL_RULES = ("GP301", "GP303", "GP304", "GP305", "GP306", "GP307", "GP308")

DEV = """\
  development:
    route: developer-api
    auth: {method: api-key, api_key_env: GEMINI_API_KEY}
"""
PROD_VERTEX = """\
  production:
    route: vertex
    project: acme-prod
    location: LOCATION
    auth: {method: attached-service-account}
"""

Run = Callable[..., list[Finding]]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Check a manifest (models block, optional environments and sdk) with one rule."""

    def _run(rule: str, models: str, envs: str = "", sdk: str = "", today: date = TODAY,
             options: Mapping[str, Mapping[str, Any]] | None = None) -> list[Finding]:
        text = "version: 1\napp: demo\n" + sdk
        if envs:
            text += "environments:\n" + envs
        text += "models:\n" + textwrap.indent(textwrap.dedent(models), "  ")
        return check_snippet(tmp_path, rule, text, today=today, options=options)

    return _run


@pytest.fixture
def patch_model(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Replace facts of one catalog model (e.g. set them to None = unknown) for one test."""

    def _patch(model_id: str, **changes: Any) -> None:
        real = catalog.load_catalog()
        models = dict(real.models)
        models[model_id] = dataclasses.replace(models[model_id], **changes)
        fake = catalog.Catalog(models=MappingProxyType(models), sdk=real.sdk)
        monkeypatch.setattr(catalog, "load_catalog", lambda path=None: fake)

    return _patch


def at(finding: Finding) -> str:
    """The manifest line a finding points at."""
    lines = Path(finding.location.path).read_text(encoding="utf-8").splitlines()
    return lines[finding.location.line - 1]


def vertex(location: str = "global", name: str = "production") -> str:
    return PROD_VERTEX.replace("LOCATION", location).replace("production", name)


@pytest.mark.parametrize("rule", MODEL_RULES)
def test_no_models_no_findings(run: Run, rule: str) -> None:
    assert run(rule, "{}\n", envs=DEV + vertex()) == []


# GP301 unknown-model ------------------------------------------------------------------


def test_unknown_model_suggests_the_current_pro_model(run: Run) -> None:
    [finding] = run("GP301", "a:\n  id: gemini-3.5-pro\n")
    assert finding.severity is Severity.ERROR and "id: gemini-3.5-pro" in at(finding)
    assert "'gemini-3.5-pro'" in finding.message
    assert "did you mean 'gemini-3.1-pro-preview'" in finding.message


@pytest.mark.parametrize("spelling", [
    "models/gemini-3.5-flash", "publishers/google/models/gemini-3.5-flash",
    "projects/p/locations/global/publishers/google/models/gemini-3.5-flash",
    "Gemini-3.5-Flash", "gemini-2.0-flash-001", "text-bison@002",
])
def test_spellings_and_aliases_of_known_models_are_silent(run: Run, spelling: str) -> None:
    assert run("GP301", f"a:\n  id: {spelling}\n") == []


def test_non_gemini_id_gets_no_guess(run: Run) -> None:
    [finding] = run("GP301", "a:\n  id: gpt-4o\n")
    assert "did you mean" not in finding.message and finding.fix


def test_unknown_fallback_points_at_the_fallback(run: Run) -> None:
    models = """\
    a:
      id: gemini-3.1-pro-preview
      migration_plan:
        fallback: gemini-3.5-flsh
    """
    [finding] = run("GP301", models)
    assert "fallback: gemini-3.5-flsh" in at(finding) and "fallback" in finding.message
    assert "did you mean 'gemini-3.5-flash'" in finding.message


# GP303 model-location-mismatch ---------------------------------------------------------


def test_location_outside_the_known_ones_names_them(run: Run, patch_model: Any) -> None:
    patch_model("gemini-3.5-flash", locations=frozenset({"global", "us"}))
    [finding] = run("GP303", "a:\n  id: gemini-3.5-flash\n", envs=vertex("us-central1", "dev"))
    assert finding.severity is Severity.ERROR  # an error in every stage
    assert "environment 'dev'" in finding.message and "us-central1" in finding.message
    assert "global, us" in finding.message and "global or us" in (finding.fix or "")


@pytest.mark.parametrize("location", ["global", "GLOBAL", " Global "])
def test_known_location_matches_in_any_case(run: Run, patch_model: Any, location: str) -> None:
    patch_model("gemini-3.5-flash", locations=frozenset({"global"}))
    assert run("GP303", "a:\n  id: gemini-3.5-flash\n", envs=vertex(f'"{location}"')) == []


def test_unknown_locations_and_missing_location_stay_silent(run: Run, patch_model: Any) -> None:
    patch_model("gemini-3.5-flash", locations=None)
    assert run("GP303", "a:\n  id: gemini-3.5-flash\n", envs=vertex("asia-south1")) == []
    envs = "  production:\n    route: vertex\n    project: p\n"  # no location: GP605's finding
    assert run("GP303", "a:\n  id: gemini-3-flash-preview\n", envs=envs) == []


def test_developer_api_location_is_not_a_vertex_location(run: Run, patch_model: Any) -> None:
    patch_model("gemini-3.5-flash", locations=frozenset({"global"}))
    envs = "  development:\n    route: developer-api\n    location: us-central1\n"
    assert run("GP303", "a:\n  id: gemini-3.5-flash\n", envs=envs) == []


def test_latest_alias_is_not_served_on_vertex(run: Run) -> None:
    envs = "  production:\n    route: vertex\n    project: p\n"
    [finding] = run("GP303", "a:\n  id: gemini-flash-latest\n", envs=envs)
    assert finding.severity is Severity.ERROR and "not served on Vertex AI" in finding.message


@pytest.mark.parametrize(("sdk", "flagged"), [
    ("", False),  # no sdk section: unknown, silent
    ("sdk:\n  package: google-genai\n", True),  # unpinned: the newest release
    ('sdk:\n  package: google-genai\n  version: "1.52.0"\n', False),
    ('sdk:\n  package: google-genai\n  version: "3.4.0"\n', True),
    ('sdk:\n  package: google-genai\n  version: ">=1.74.0,<4"\n', True),
    ('sdk:\n  package: google-genai\n  version: "<3"\n', False),
    ('sdk:\n  package: google-genai\n  version: "~=2.15"\n', False),
    ('sdk:\n  package: google-genai\n  version: "==3.*"\n', True),
    ('sdk:\n  package: google-genai\n  version: ">=3.1,<3.2"\n', True),
    ('sdk:\n  package: google-genai\n  version: "not a version"\n', False),
    ('sdk:\n  package: google-generativeai\n  version: "0.8.6"\n', False),
])
def test_latest_alias_on_developer_api_depends_on_sdk(run: Run, sdk: str, flagged: bool) -> None:
    found = run("GP303", "a:\n  id: gemini-pro-latest\n", envs=DEV, sdk=sdk)
    assert len(found) == int(flagged)
    if flagged:
        assert found[0].severity is Severity.WARNING and "v1beta" in found[0].message


def test_fixed_ids_on_developer_api_are_silent(run: Run) -> None:
    assert run("GP303", "a:\n  id: gemini-3.5-flash\n", envs=DEV,
               sdk="sdk:\n  package: google-genai\n") == []


def test_location_of_the_fallback_is_checked(run: Run, patch_model: Any) -> None:
    patch_model("gemini-3.5-flash", locations=frozenset({"global"}))
    patch_model("gemini-3.1-pro-preview", locations=None)
    models = """\
    a:
      id: gemini-3.1-pro-preview
      migration_plan:
        fallback: gemini-3.5-flash
    """
    [finding] = run("GP303", models, envs=vertex("europe-west4"))
    assert "fallback:" in at(finding) and "fallback model" in finding.message


# GP304 wrong-model-for-task ----------------------------------------------------------


@pytest.mark.parametrize(("task", "model", "flagged"), [
    ("image-generation", "gemini-3.5-flash", True),
    ("image-generation", "gemini-3.8-flash-tts", True),
    ("image-generation", "gemini-3.1-flash-image", False),
    ("text", "gemini-3.1-flash-image", True),
    ("text", "gemini-3.8-flash-tts", True),
    ("text", "gemini-3.8-live", True),
    ("text", "gemini-3.5-flash", False),
    ("image-understanding", "gemini-3-pro-image", True),
    ("image-understanding", "gemini-3.5-flash", False),
])
def test_task_and_model_kind(run: Run, task: str, model: str, flagged: bool) -> None:
    found = run("GP304", f"a:\n  id: {model}\n  task: {task}\n")
    assert len(found) == int(flagged)


def test_default_task_is_text_and_fix_names_a_live_model(run: Run) -> None:
    [finding] = run("GP304", "a:\n  id: gemini-3-pro-image\n")
    assert "task text" in finding.message and "id:" in at(finding)
    suggested = (finding.fix or "").rsplit(" ", 1)[-1]
    model = catalog.load_catalog().get(suggested)
    assert model is not None and model.task == "text" and model.status(TODAY) != "retired"


def test_embedding_model_in_a_text_slot(run: Run, patch_model: Any) -> None:
    patch_model("gemini-3.6-flash", task="embedding")
    [finding] = run("GP304", "a:\n  id: gemini-3.6-flash\n  task: text\n")
    assert "embedding" in finding.message


def test_unknown_model_is_left_to_gp301(run: Run) -> None:
    assert run("GP304", "a:\n  id: gemini-9-image\n  task: image-generation\n") == []


# GP305 hardcoded-model-id --------------------------------------------------------------


def test_missing_id_env_is_a_warning_even_in_production(run: Run) -> None:
    [finding] = run("GP305", "chat-v2:\n  id: gemini-3.5-flash\n", envs=vertex())
    assert finding.severity is Severity.WARNING
    assert "id_env: CHAT_V2_MODEL" in (finding.fix or "")


@pytest.mark.parametrize("value", ["1ST_MODEL", "chat model", "CHAT-MODEL", "'$CHAT'"])
def test_id_env_must_be_a_variable_name(run: Run, value: str) -> None:
    [finding] = run("GP305", f"a:\n  id: gemini-3.5-flash\n  id_env: {value}\n")
    assert "not an environment variable name" in finding.message and "id_env" in at(finding)


@pytest.mark.parametrize("value", ["CHAT_MODEL", "_chat", "Model2"])
def test_valid_id_env_is_silent(run: Run, value: str) -> None:
    assert run("GP305", f"a:\n  id: gemini-3.5-flash\n  id_env: {value}\n") == []


def test_blank_id_env_counts_as_missing_and_odd_slot_names_get_a_valid_hint(run: Run) -> None:
    [finding] = run("GP305", "3d:\n  id: gemini-3.5-flash\n  id_env: '  '\n")
    assert "no id_env" in finding.message and "id_env: MODEL_ID" in (finding.fix or "")


# GP306 retired-model -------------------------------------------------------------------


def test_route_dates_differ_per_environment(run: Run) -> None:
    found = run("GP306", "a:\n  id: gemini-2.5-flash\n", envs=DEV + vertex())
    by_severity = {f.severity: f for f in found}
    assert len(found) == 2 and set(by_severity) == {Severity.ERROR, Severity.WARNING}
    assert "2026-10-16" in by_severity[Severity.ERROR].message
    assert "production" in by_severity[Severity.ERROR].message
    warning = by_severity[Severity.WARNING]
    assert "2026-12-01" in warning.message and "development" in warning.message
    assert "gemini-3.8-flash" in (warning.fix or "") and "before 2026-12-01" in (warning.fix or "")


def test_shutdown_day_itself_is_retired(run: Run) -> None:
    [finding] = run("GP306", "a:\n  id: gemini-2.5-flash\n", envs=DEV, today=date(2026, 12, 1))
    assert finding.severity is Severity.ERROR and "was retired" in finding.message


def test_without_environments_the_earliest_date_counts(run: Run) -> None:
    [finding] = run("GP306", "a:\n  id: gemini-2.5-flash\n")
    assert finding.severity is Severity.ERROR and "2026-10-16" in finding.message


def test_one_date_for_all_routes_is_one_finding(run: Run) -> None:
    [finding] = run("GP306", "a:\n  id: gemini-2.0-flash\n", envs=DEV + vertex())
    assert "production, development" in finding.message


def test_far_lifecycle_dates_are_silent_unless_the_horizon_is_wider(run: Run) -> None:
    assert run("GP306", "a:\n  id: gemini-3.5-flash\n", envs=vertex()) == []
    [finding] = run("GP306", "a:\n  id: gemini-3.5-flash\n", envs=vertex(),
                    options={"GP306": {"warn_within_days": 365}})
    assert finding.severity is Severity.WARNING and "2027-05-19" in finding.message


def test_route_without_a_date_is_active(run: Run) -> None:
    assert run("GP306", "a:\n  id: gemini-2.5-flash-lite\n", envs=DEV) == []


def test_retired_fallback_names_its_replacement(run: Run) -> None:
    models = """\
    a:
      id: gemini-3.1-pro-preview
      migration_plan:
        fallback: gemini-3-pro-preview
    """
    [finding] = run("GP306", models, envs=DEV)
    assert "fallback:" in at(finding) and "fallback model" in finding.message
    assert "gemini-3.1-pro-preview" in (finding.fix or "")


# GP307 unsupported-tool --------------------------------------------------------------


def test_unsupported_tool_names_the_supported_ones(run: Run, patch_model: Any) -> None:
    patch_model("gemini-3.5-flash", tools=frozenset({"function-calling", "google-search"}))
    [finding] = run("GP307", "a:\n  id: gemini-3.5-flash\n  tools: [google-search, computer-use]\n")
    assert "computer-use" in finding.message and "function-calling, google-search" in finding.message


def test_unknown_tools_stay_silent(run: Run, patch_model: Any) -> None:
    patch_model("gemini-3.5-flash", tools=None)
    assert run("GP307", "a:\n  id: gemini-3.5-flash\n  tools: [computer-use]\n") == []


def test_model_with_no_tools_at_all(run: Run, patch_model: Any) -> None:
    patch_model("gemini-3.5-flash", tools=frozenset())
    [finding] = run("GP307", "a:\n  id: gemini-3.5-flash\n  tools: [code-execution]\n")
    assert "supports: none" in finding.message


def test_file_search_only_on_the_developer_api(run: Run, patch_model: Any) -> None:
    patch_model("gemini-3.5-flash", tools=None)
    models = "a:\n  id: gemini-3.5-flash\n  tools: [file-search]\n"
    assert run("GP307", models, envs=DEV) == []
    [finding] = run("GP307", models, envs=DEV + vertex())
    assert "Vertex" in finding.message and "production" in finding.message


def test_fallback_without_the_tool(run: Run, patch_model: Any) -> None:
    patch_model("gemini-3.1-pro-preview", tools=frozenset({"computer-use"}))
    patch_model("gemini-3.5-flash", tools=frozenset({"function-calling"}))
    models = """\
    a:
      id: gemini-3.1-pro-preview
      tools: [computer-use]
      migration_plan:
        fallback: gemini-3.5-flash
    """
    [finding] = run("GP307", models)
    assert "fallback model 'gemini-3.5-flash'" in finding.message


# GP308 token-limit -------------------------------------------------------------------


@pytest.mark.parametrize(("tokens", "flagged"), [(65537, True), (65536, False), (1, False)])
def test_output_limit_boundary(run: Run, tokens: int, flagged: bool) -> None:
    found = run("GP308", f"a:\n  id: gemini-2.5-pro\n  max_output_tokens: {tokens}\n")
    assert len(found) == int(flagged)
    if flagged:
        assert "at most 65536" in (found[0].fix or "") and "max_output_tokens" in at(found[0])


def test_unknown_limit_or_no_setting_stays_silent(run: Run, patch_model: Any) -> None:
    patch_model("gemini-2.5-pro", output_token_limit=None)
    assert run("GP308", "a:\n  id: gemini-2.5-pro\n  max_output_tokens: 999999\n") == []
    assert run("GP308", "a:\n  id: gemini-3-flash-preview\n") == []


def test_fallback_with_a_smaller_limit(run: Run) -> None:
    models = """\
    a:
      id: gemini-2.5-pro
      max_output_tokens: 16384
      migration_plan:
        fallback: gemini-2.0-flash
    """
    [finding] = run("GP308", models)
    assert "fallback:" in at(finding) and "8192" in finding.message
