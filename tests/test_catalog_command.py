"""`gemini-preflight catalog`: what the tool knows about models, as text and as JSON."""

from __future__ import annotations

import json
from datetime import date

from preflight import cli
from preflight.catalog import STAGES, load_catalog
from tests.conftest import run_cli

TODAY = "--today=2026-12-02"


def test_text_lists_every_model_with_its_facts_within_100_columns() -> None:
    done = run_cli("catalog", TODAY)
    assert done.returncode == 0, done.stderr
    catalog = load_catalog()
    assert f"Model catalog as of 2026-12-02: {len(catalog.models)} of {len(catalog.models)} models" \
        in done.stdout
    for model in catalog.models.values():
        assert f"\n{model.id}  ({model.stage}, " in done.stdout, model.id
    assert all(len(line) <= 100 for line in done.stdout.splitlines())
    block = done.stdout.split("\ngemini-3.5-flash  ")[1].split("\n\n")[0]
    for fact in ("(ga, deprecated)", "released   2026-05-19", "vertex 2027-05-19",
                 "input 1,048,576, output 65,536", "levels (default medium)", "locations  global",
                 "source     product brief", "as of      2026-12-02"):
        assert fact in block, fact
    assert "computer-use" not in block
    assert done.stderr == ""


def test_json_is_sorted_and_carries_the_catalog_as_of_and_source() -> None:
    done = run_cli("catalog", "--format", "json", TODAY)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert done.stdout == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert document["as_of"] == "2026-12-02" and "gemini-facts.md" in document["source"]
    assert document["today"] == "2026-12-02"
    ids = [m["id"] for m in document["models"]]
    assert ids == list(load_catalog().models)
    flash = document["models"][ids.index("gemini-3.5-flash")]
    assert flash["input_token_limit"] == 1_048_576 and flash["output_token_limit"] == 65_536
    assert flash["released"] == "2026-05-19" and flash["shutdown_by_route"] == {"vertex": "2027-05-19"}
    assert flash["stage"] == "ga" and flash["status"] == "deprecated"
    assert flash["locations"] == ["global"] and "computer-use" not in flash["tools"]
    assert flash["features"] == ["batch", "context-caching"]
    assert "brief" in flash["source"] and flash["as_of"] == "2026-12-02"
    unknown = document["models"][ids.index("gemini-3.8-flash")]
    assert unknown["input_token_limit"] is None and unknown["tools"] is None  # null = unknown
    assert run_cli("catalog", "--format", "json", TODAY).stdout == done.stdout  # deterministic


def test_filter_by_model_id_in_any_spelling_and_by_stage() -> None:
    done = run_cli("catalog", "models/gemini-3.1-pro-preview", "publishers/google/models/gemini-3-pro-image",
                   "--format", "json", TODAY)
    assert done.returncode == 0, done.stderr
    assert [m["id"] for m in json.loads(done.stdout)["models"]] == [
        "gemini-3.1-pro-preview", "gemini-3-pro-image"]  # catalog order
    done = run_cli("catalog", "--stage", "experimental", "--stage", "preview", "--format", "json", TODAY)
    stages = {m["stage"] for m in json.loads(done.stdout)["models"]}
    assert stages == {"experimental", "preview"}
    done = run_cli("catalog", "gemini-3.5-flash", "--stage", "preview", TODAY)
    assert done.returncode == 0 and "0 of " in done.stdout


def test_status_follows_today() -> None:
    done = run_cli("catalog", "gemini-2.5-pro", "--format", "json", "--today", "2026-06-01")
    assert json.loads(done.stdout)["models"][0]["status"] == "deprecated"
    done = run_cli("catalog", "gemini-2.5-pro", "--format", "json", "--today", "2026-12-01")
    assert json.loads(done.stdout)["models"][0]["status"] == "retired"


def test_unknown_model_and_bad_options_are_exit_2_with_one_message() -> None:
    done = run_cli("catalog", "gemini-3.5-pro", TODAY)
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert "'gemini-3.5-pro' is not in the model catalog (did you mean 'gemini-3.1-pro-preview'?)" in line
    for args in (("--today", "soon"), ("--stage", "beta"), ("--format", "sarif")):
        done = run_cli("catalog", *args)
        assert done.returncode == 2 and "Traceback" not in done.stderr, args


def test_stage_choices_match_the_catalog() -> None:
    assert set(cli._STAGES) == STAGES


def test_every_catalog_entry_renders() -> None:
    from preflight.catalog_report import model_record, render_text

    catalog = load_catalog()
    for model in catalog.models.values():
        record = model_record(model, date(2026, 12, 2))
        assert record["source"] and record["as_of"], model.id
    assert render_text(catalog, [], date(2026, 12, 2)).startswith("Model catalog as of 2026-12-02: 0 of")
