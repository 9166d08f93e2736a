"""Report formats: SARIF (validated against the official 2.1.0 schema), JUnit, GitHub, JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from preflight import api, postprocess
from preflight.engine import all_rules
from preflight.findings import Finding, Location, Severity
from preflight.report import formats, renderer
from preflight.report.github import command, escape_data, escape_property
from tests.conftest import ROOT, SAMPLES, TODAY, run_cli

SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
FAILING = sorted((SAMPLES / "failing").glob("GP*.yaml"))
MANIFEST = """version: 1
app: demo
models:
  architect:
    id: gemini-3.1-pro-preview
    max_output_tokens: 2048
"""


def rendered(fmt: str, paths: list[Path], **options: Any) -> str:
    opts = api.Options(today=TODAY, **options)
    result = api.check(paths, opts)
    postprocess.finish(result, opts)
    return renderer(fmt)(result, False)


def sarif_validate(text: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text)
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER
    jsonschema.Draft4Validator(SCHEMA, format_checker=checker).validate(document)
    return document


def test_schema_copy_is_the_official_one() -> None:
    assert SCHEMA["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]
    jsonschema.Draft4Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("sample", [*FAILING, SAMPLES / "production.yaml"], ids=lambda p: p.stem)
def test_sarif_is_valid_for_every_sample(sample: Path) -> None:
    document = sarif_validate(rendered("sarif", [sample]))
    run = document["runs"][0]
    assert document["version"] == "2.1.0"
    assert run["invocations"][0]["executionSuccessful"] is True
    if sample.stem != "production":
        assert run["results"], f"{sample.name} gives no results"


def test_sarif_driver_lists_every_rule_that_ran_with_its_docs() -> None:
    document = sarif_validate(rendered("sarif", [SAMPLES / "failing" / "GP302.yaml"], select=("GP3",)))
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "gemini-preflight" and driver["version"]
    assert driver["informationUri"].startswith("https://")
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(i for i in all_rules() if i.startswith("GP3"))
    gp302 = driver["rules"][ids.index("GP302")]
    assert gp302["name"] == "preview-without-migration-plan"
    assert gp302["shortDescription"]["text"] == "Preview model without a migration plan."
    assert "migration_plan" in gp302["fullDescription"]["text"]
    assert "### Why is this bad?" in gp302["help"]["markdown"]
    assert "```yaml" in gp302["help"]["markdown"] and "Why is this bad?" in gp302["help"]["text"]
    assert gp302["helpUri"].endswith("docs/rules.md#gp302-preview-without-migration-plan")
    assert gp302["defaultConfiguration"]["level"] == "warning"
    for result in document["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}


def test_sarif_uri_is_relative_to_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # enough for the root lookup
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "gemini-deploy.yaml").write_text(MANIFEST)
    for cwd, arg in ((tmp_path, "deploy"), (tmp_path / "deploy", ".")):
        done = run_cli("check", arg, "--today", TODAY.isoformat(), "--format", "sarif", cwd=cwd)
        assert done.returncode == 1, done.stderr
        location = sarif_validate(done.stdout)["runs"][0]["results"][0]["locations"][0]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": "deploy/gemini-deploy.yaml", "uriBaseId": "%SRCROOT%"}
        assert location["physicalLocation"]["region"]["startLine"] >= 1


def test_sarif_fingerprints_survive_lines_inserted_above(tmp_path: Path) -> None:
    manifest = tmp_path / "gemini-deploy.yaml"
    manifest.write_text(MANIFEST)

    def results() -> list[tuple[str, str, int]]:
        document = sarif_validate(rendered("sarif", [manifest]))
        return sorted((r["ruleId"], r["partialFingerprints"]["geminiPreflight/v1"],
                       r["locations"][0]["physicalLocation"]["region"]["startLine"])
                      for r in document["runs"][0]["results"])

    before = results()
    manifest.write_text("# a comment\n# another\n\n" + MANIFEST)
    after = results()
    assert [(r, f) for r, f, _ in before] == [(r, f) for r, f, _ in after]
    assert [line + 3 for *_, line in before] == [line for *_, line in after]


def test_sarif_reports_tool_errors_as_notifications(tmp_path: Path) -> None:
    bad = tmp_path / "gemini-deploy.yaml"
    bad.write_text("version: 1\napp: x\nmodles: {}\n")
    document = sarif_validate(rendered("sarif", [bad]))
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "did you mean 'models'?" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_junit_one_case_per_rule_and_file_one_failure_per_finding() -> None:
    samples = [SAMPLES / "failing" / "GP302.yaml", SAMPLES / "failing" / "GP305.yaml"]
    opts = api.Options(today=TODAY, select=("GP302", "GP305"))
    result = api.check(samples, opts)
    postprocess.finish(result, opts)
    root = ET.fromstring(renderer("junit")(result, False))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root}
    assert set(suites) == {"GP302 preview-without-migration-plan", "GP305 hardcoded-model-id"}
    failures = root.findall(".//failure")
    assert len(failures) == len(result.findings)
    pairs = {(c.get("classname"), c.get("name")) for c in root.iter("testcase")}
    assert pairs == {(f.rule_id, f.location.path) for f in result.findings}
    assert root.get("failures") == str(len(pairs))  # failed test cases
    assert all(f.get("type") in {"error", "warning", "info"} for f in failures)


def test_junit_clean_run_shows_every_rule_as_a_passed_test() -> None:
    root = ET.fromstring(rendered("junit", [SAMPLES / "production.yaml"]))
    assert root.get("failures") == "0" and root.get("errors") == "0"
    ran = api.active_rules(api.Options())
    assert int(root.get("tests", "0")) == len(ran) == len(root.findall("testsuite"))


def test_junit_escapes_markup_and_control_characters() -> None:
    finding = Finding("GP302", "preview-without-migration-plan", Severity.ERROR,
                      'model <"a"> & \'b\' \x1b[31m]]>', Location("a&b <c>.yaml", 3, 1))
    result = api.Result(findings=[finding], errors=["bad <input> & \x00 more"])
    root = ET.fromstring(renderer("junit")(result, False))
    failure = root.find(".//failure")
    assert failure is not None
    assert failure.get("message") == "model <\"a\"> & 'b' \ufffd[31m]]>"
    case = root.find(".//testcase[@classname='GP302']")
    assert case is not None and case.get("name") == "a&b <c>.yaml"
    error = root.find(".//error")
    assert error is not None and error.get("message") == "bad <input> & \ufffd more"


def test_github_escaping() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"
    finding = Finding("GP201", "hardcoded-api-key", Severity.WARNING, "key AIza…3x: 50% sure\nsee docs",
                      Location("dir,a/b:c.py", 4, 7), fix="move it, now")
    assert command(finding) == (
        "::warning file=dir%2Ca/b%3Ac.py,line=4,col=7,title=GP201 hardcoded-api-key::"
        "key AIza…3x: 50%25 sure%0Asee docs%0Afix: move it, now")
    info = Finding("GP505", "deadline-too-short", Severity.INFO, "m", Location("x.yaml"))
    assert command(info) == "::notice file=x.yaml,title=GP505 deadline-too-short::m"


def test_github_format_from_the_cli() -> None:
    done = run_cli("check", "sample-configs/failing/GP302.yaml", "--today", TODAY.isoformat(),
                   "--select", "GP302", "--format", "github")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == ("::error file=sample-configs/failing/GP302.yaml,line=12,col=3,"
                        "title=GP302 preview-without-migration-plan::preview model "
                        "'gemini-3.1-pro-preview' has no migration_plan%0Afix: add migration_plan "
                        "with a GA fallback, an owner and a review_by date")
    assert lines[-1].startswith("Found 2 problems")


def test_json_keys_are_documented() -> None:
    doc = (ROOT / "docs" / "output-formats.md").read_text("utf-8")
    data = json.loads(rendered("json", [SAMPLES / "failing" / "GP302.yaml"]))
    assert data["schema_version"] == 1 and f"schema_version` is {data['schema_version']}" in doc
    for key in [*data, *data["findings"][0], *data["summary"]]:
        assert f"`{key}`" in doc, f"docs/output-formats.md does not describe '{key}'"


@pytest.mark.parametrize("fmt", formats())
def test_every_format_is_byte_identical_for_the_same_input(fmt: str) -> None:
    samples = ["sample-configs/failing/GP302.yaml", "sample-configs/failing/GP305.yaml"]
    args = ("--today", TODAY.isoformat(), "--format", fmt)
    first = run_cli("check", *samples, *args)
    again = run_cli("check", *samples, *args)
    swapped = run_cli("check", *reversed(samples), *args)
    assert first.returncode == 1, first.stderr
    assert first.stdout == again.stdout == swapped.stdout
    assert first.stdout.endswith("\n") and "\x1b[" not in first.stdout


def test_action_yml_installs_runs_and_uploads_sarif() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    script = "\n".join(s.get("run", "") for s in steps)
    assert "--format sarif" in script and "$GITHUB_ACTION_PATH" in script
    assert {"command", "paths", "args", "fail-on"} <= set(action["inputs"])
    assert "${{ inputs." not in script  # inputs reach scripts through env, never spliced in
