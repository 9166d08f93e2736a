"""Baselines: legacy findings pass, new ones fail, line moves do not matter, stale entries show."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from preflight import baseline
from preflight.findings import Finding, Location, Severity, digest, redact
from tests.conftest import SAMPLES, TODAY, run_cli

DAY = ("--today", TODAY.isoformat())


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copy(SAMPLES / "failing" / "GP302.yaml", tmp_path / "gemini-deploy.yaml")
    return tmp_path


def test_write_then_pass_then_new_finding_fails(repo: Path) -> None:
    wrote = run_cli("check", *DAY, "--write-baseline", "baseline.json", cwd=repo)
    assert wrote.returncode == 0, wrote.stdout + wrote.stderr
    assert "note: wrote 11 findings to baseline baseline.json" in wrote.stderr
    assert run_cli("check", *DAY, "--baseline", "baseline.json", cwd=repo).returncode == 0
    assert run_cli("check", *DAY, cwd=repo).returncode == 1  # without it, they still fail

    manifest = repo / "gemini-deploy.yaml"
    manifest.write_text(manifest.read_text() + "  extra:\n    id: gemini-3.1-pro-preview\n")
    done = run_cli("check", *DAY, "--baseline", "baseline.json", "--format", "json", cwd=repo)
    assert done.returncode == 1
    new = {(f["rule_id"], f["line"]) for f in json.loads(done.stdout)["findings"]}
    assert ("GP302", 22) in new and all(line >= 22 for _, line in new)


def test_inserting_lines_above_keeps_findings_baselined(repo: Path) -> None:
    assert run_cli("check", *DAY, "--write-baseline", "b.json", cwd=repo).returncode == 0
    manifest = repo / "gemini-deploy.yaml"
    manifest.write_text("# moved\n# down\n# by three lines\n" + manifest.read_text())
    done = run_cli("check", *DAY, "--baseline", "b.json", "--format", "json", cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout)
    assert data["findings"] == [] and data["baseline"] == {"file": "b.json", "matched": 11, "stale": []}


def test_file_is_sorted_versioned_one_entry_a_line_without_line_numbers(repo: Path) -> None:
    assert run_cli("check", *DAY, "--write-baseline", "b.json", cwd=repo).returncode == 0
    text = (repo / "b.json").read_text()
    data = json.loads(text)
    assert data["schema_version"] == baseline.SCHEMA_VERSION == 1
    entries = data["entries"]
    assert entries == sorted(entries, key=lambda e: (e["rule"], e["path"], e["fingerprint"]))
    assert all(set(e) == {"rule", "path", "fingerprint", "count", "message"} for e in entries)
    assert all(e["path"] == "gemini-deploy.yaml" for e in entries)
    lines = text.splitlines()
    assert len(lines) == len(entries) + 6  # braces, version, tool, "entries": [ and ]
    assert all(f'"rule": "{e["rule"]}"' in lines[4 + i] for i, e in enumerate(entries))
    assert '"line"' not in text
    # writing again from the same findings gives the same bytes
    assert run_cli("check", *DAY, "--write-baseline", "b.json", cwd=repo).returncode == 0
    assert (repo / "b.json").read_text() == text


def test_stale_entries_are_reported(repo: Path) -> None:
    assert run_cli("check", *DAY, "--write-baseline", "b.json", cwd=repo).returncode == 0
    manifest = repo / "gemini-deploy.yaml"
    manifest.write_text(manifest.read_text().replace("review_by: 2026-01-01", "review_by: 2027-01-01"))
    done = run_cli("check", *DAY, "--baseline", "b.json", "--format", "json", cwd=repo)
    assert done.returncode == 0
    stale = json.loads(done.stdout)["baseline"]["stale"]
    assert [(e["rule"], e["path"], e["count"]) for e in stale] == [("GP302", "gemini-deploy.yaml", 1)]
    assert "1 baseline entry in b.json no longer match" in done.stderr
    assert "GP302 gemini-deploy.yaml" in done.stderr


def test_paths_are_relative_to_the_baseline_file_not_the_working_folder(repo: Path) -> None:
    (repo / "ci").mkdir()
    assert run_cli("check", *DAY, "--write-baseline", "ci/b.json", cwd=repo).returncode == 0
    assert json.loads((repo / "ci" / "b.json").read_text())["entries"][0]["path"] == "../gemini-deploy.yaml"
    done = run_cli("check", "..", *DAY, "--baseline", "b.json", cwd=repo / "ci")
    assert done.returncode == 0, done.stdout + done.stderr


def finding(message: str, subject: str = "", line: int = 1) -> Finding:
    return Finding("GP302", "preview-without-migration-plan", Severity.ERROR, message,
                   Location("app/gemini-deploy.yaml", line, 3), subject=subject)


def test_identical_findings_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    three = [finding("same", "s", line) for line in (1, 5, 9)]
    assert sum(e.count for e in baseline.write(path, three[:2])) == 2
    entries = baseline.load(path)
    assert [(e.count, e.rule) for e in entries] == [(2, "GP302")]
    kept, report = baseline.apply(three, path, entries)
    assert len(kept) == 1 and report.matched == 2 and report.stale == []
    kept, report = baseline.apply(three[:1], path, entries)
    assert kept == [] and [e.count for e in report.stale] == [1]


def test_fingerprint_uses_subject_not_line_and_never_the_secret(tmp_path: Path) -> None:
    secret = "AIza" + "Sy" + "Q" * 31 + "x0"
    found = finding(f"API key {redact(secret)} in source", subject=digest(secret))
    moved = finding(f"API key {redact(secret)} in source", subject=digest(secret), line=40)
    assert baseline.fingerprint(found) == baseline.fingerprint(moved)
    assert baseline.fingerprint(found) != baseline.fingerprint(finding("other", subject="x"))
    path = tmp_path / "b.json"
    baseline.write(path, [found])
    assert secret not in path.read_text() and secret[4:-2] not in path.read_text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such baseline file"),
        ("{not json", "baseline is not valid JSON"),
        ('{"schema_version": 99, "entries": []}', "unsupported baseline schema_version 99"),
        ('{"schema_version": 1}', "no 'entries' list"),
        ('{"schema_version": 1, "entries": [{"rule": "GP302"}]}', "entry 1 needs rule, path"),
    ],
)
def test_bad_baseline_is_exit_2(repo: Path, content: str | None, message: str) -> None:
    if content is not None:
        (repo / "b.json").write_text(content)
    done = run_cli("check", *DAY, "--baseline", "b.json", cwd=repo)
    assert done.returncode == 2 and message in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_baseline_is_not_written_from_a_broken_run(repo: Path) -> None:
    (repo / "bad.yaml").write_text("version: 1\napp: [\n")
    done = run_cli("check", "gemini-deploy.yaml", "bad.yaml", *DAY, "--write-baseline", "b.json", cwd=repo)
    assert done.returncode == 2 and "not written: the run had errors" in done.stderr
    assert not (repo / "b.json").exists()
