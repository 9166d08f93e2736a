"""`audit` over the fixture corpus: exactly the marked findings, nothing else, never a secret."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from preflight import api
from preflight.report import formats
from tests.audit_corpus import CAP_BYTES, Corpus, build, expected, make_key
from tests.conftest import TODAY, run_cli


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    return build(tmp_path)


def _found(result: api.Result, root: Path) -> set[tuple[str, int, str]]:
    base = root.resolve()
    return {(Path(f.location.path).resolve().relative_to(base).as_posix(), f.location.line, f.rule_id)
            for f in result.findings}


def test_corpus_findings_are_exactly_the_marked_ones(corpus: Corpus) -> None:
    result = api.audit([corpus.root], api.Options(today=TODAY), max_bytes=CAP_BYTES)
    assert not result.errors and not result.crashes, result.errors + [str(c) for c in result.crashes]
    want, got = expected(corpus.root), _found(result, corpus.root)
    assert not got - want, f"false positives: {sorted(got - want)}"
    assert not want - got, f"missed: {sorted(want - got)}"
    notes = "\n".join(result.notes)
    assert "huge/big.log: skipped: larger than the size cap" in notes
    assert "symlinks/loop: symbolic link loop" in notes
    assert "notebooks/broken.ipynb: not valid notebook JSON" in notes


def test_notebook_findings_name_the_cell_and_every_column_is_set(corpus: Corpus) -> None:
    result = api.audit([corpus.root / "notebooks"], api.Options(today=TODAY))
    cells = {(f.location.line, f.rule_id): f.location.cell for f in result.findings
             if f.location.path.endswith("quickstart.ipynb")}
    assert cells[(17, "GP101")] == 2 and cells[(31, "GP201")] == 3 and cells[(74, "GP102")] == 5
    assert all(f.location.column >= 1 for f in result.findings)


def test_stage_of_the_governing_manifest_grades_findings(corpus: Corpus) -> None:
    models = corpus.root / "models"
    (models / "gemini-deploy.yaml").write_text(
        "version: 1\napp: demo\nenvironments:\n  production:\n    route: vertex\n"
        "    project: acme\n    location: global\n    auth:\n      method: adc\n")
    result = api.audit([corpus.root / "models"], api.Options(select=("GP204",), today=TODAY))
    assert [f.severity.label for f in result.findings] == ["error"]
    unknown = api.audit([corpus.root / "models" / "calls.py"], api.Options(select=("GP204",), today=TODAY))
    assert [f.severity.label for f in unknown.findings] == ["info"]


def test_gitignore_is_respected_unless_no_ignore(tmp_path: Path) -> None:
    key = make_key(__import__("random").Random(1))
    (tmp_path / ".gitignore").write_text("secrets.env\n")
    (tmp_path / "secrets.env").write_text(f"GEMINI_API_KEY={key}\n")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / ".venv" / "lib.py").write_text("import google.generativeai\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.js").write_text(f"const k = '{key}';\n")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    options = api.Options(today=TODAY)
    assert api.audit([tmp_path], options).findings == []
    everything = api.audit([tmp_path], options, no_ignore=True)
    assert {Path(f.location.path).name for f in everything.findings} == {"secrets.env", "lib.py", "x.js"}
    # A file named on the command line is scanned even when ignored (pre-commit passes files).
    assert len(api.audit([tmp_path / "secrets.env"], options).findings) == 1


def test_parallel_scan_finds_the_same_as_serial(corpus: Corpus) -> None:
    options = api.Options(today=TODAY)
    serial = api.audit([corpus.root], options, jobs=1, max_bytes=CAP_BYTES)
    from preflight import audit as auditing

    old = auditing.PARALLEL_FILES
    auditing.PARALLEL_FILES = 1
    try:
        parallel = api.audit([corpus.root], options, jobs=2, max_bytes=CAP_BYTES)
    finally:
        auditing.PARALLEL_FILES = old
    assert [str(f.location) for f in parallel.findings] == [str(f.location) for f in serial.findings]


def test_a_slow_serial_scan_hands_the_rest_to_workers_with_the_same_findings(
        corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    from preflight import audit as auditing

    options = api.Options(today=TODAY)
    serial = api.audit([corpus.root], options, jobs=1, max_bytes=CAP_BYTES)
    handed: list[int] = []
    in_workers = auditing._in_workers

    def spy(targets, before, jobs, settings):  # type: ignore[no-untyped-def]
        handed.append(before)
        return in_workers(targets, before, jobs, settings)

    monkeypatch.setattr(auditing, "_in_workers", spy)
    monkeypatch.setattr(auditing, "SWITCH_AFTER", 0.0)  # every serial scan counts as slow...
    monkeypatch.setattr(auditing, "SWITCH_FILES", 3)  # ...with three files left
    seen: list[tuple[int, int]] = []
    switched = api.audit([corpus.root], options, jobs=2, max_bytes=CAP_BYTES,
                         progress=lambda done, total: seen.append((done, total)))
    assert handed == [1]  # the first file here, the rest in the workers
    assert [str(f.location) for f in switched.findings] == [str(f.location) for f in serial.findings]
    assert [f.message for f in switched.findings] == [f.message for f in serial.findings]
    assert seen[-1][0] == seen[-1][1]


@pytest.mark.parametrize("fmt", formats())
def test_no_format_ever_shows_a_secret(corpus: Corpus, tmp_path: Path, fmt: str) -> None:
    out, baseline = tmp_path / "report.out", tmp_path / "baseline.json"
    args = ("audit", str(corpus.root), "--today", "2026-11-24", "--format", fmt)
    runs = [run_cli(*args), run_cli(*args, "-o", str(out)),
            run_cli(*args, "--write-baseline", str(baseline))]
    assert all(r.returncode in (0, 1) for r in runs), [r.stderr for r in runs]
    texts = [r.stdout + r.stderr for r in runs] + [out.read_text(), baseline.read_text()]
    assert "GP201" in texts[0] and "GP202" in texts[0] and "GP201" in texts[4]
    for secret in corpus.secrets.values():
        needle = secret[:40] if len(secret) > 40 else secret
        if secret.startswith(("AIza", "AQ.")) or len(secret) > 100:
            assert all(needle not in text for text in texts), f"{fmt} leaks a secret"


def test_cli_audit_text_has_file_line_col_and_summary_by_rule(corpus: Corpus) -> None:
    done = run_cli("audit", "models", "--today", "2026-11-24", cwd=corpus.root)
    assert done.returncode == 1, done.stderr
    assert "models/calls.py:22:50: GP305 warning model ID 'gemini-3.5-flash'" in done.stdout
    assert "By rule:" in done.stdout and "GP306  retired-model" in done.stdout
    assert "scanning [" not in done.stderr  # no progress bar in a pipe


def test_cli_audit_missing_path_is_exit_2(tmp_path: Path) -> None:
    done = run_cli("audit", str(tmp_path / "nope"))
    assert done.returncode == 2 and "no such file or folder" in done.stderr


def test_check_scans_the_declared_source(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("import google.generativeai as genai\n")
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "old.py").write_text("import google.generativeai as genai\n")
    (tmp_path / "gemini-deploy.yaml").write_text(
        "version: 1\napp: demo\nsource:\n  paths: [src, fixtures]\n  exclude: ['fixtures/**']\n")
    result = api.check([tmp_path / "gemini-deploy.yaml"], api.Options(select=("GP101",), today=TODAY))
    assert [Path(f.location.path).name for f in result.findings] == ["app.py"]


def test_init_writes_a_valid_manifest_and_refuses_to_overwrite(corpus: Corpus, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "requirements.txt").write_text("google-genai>=1.60\n")
    (repo / "app.py").write_text(
        "import os\nfrom google import genai\n"
        "client = genai.Client(vertexai=True, project='acme-genai-dev', location='us-central1')\n"
        "CHAT_MODEL = os.environ.get('CHAT_MODEL', 'gemini-3.5-flash')\n"
        "IMAGE_MODEL = 'gemini-3.1-flash-image'\n")
    done = run_cli("init", str(repo))
    assert done.returncode == 0, done.stderr
    text = (repo / "gemini-deploy.yaml").read_text()
    assert "route: vertex" in text and "project: acme-genai-dev" in text and "id_env: CHAT_MODEL" in text
    assert "task: image-generation" in text and '  version: ">=1.60"' in text
    schema = json.loads(run_cli("schema").stdout)
    import jsonschema
    import yaml

    jsonschema.validate(yaml.safe_load(text), schema)
    again = run_cli("init", str(repo))
    assert again.returncode == 2 and "--force" in again.stderr
    assert run_cli("init", str(repo), "--force").returncode == 0
    assert run_cli("check", str(repo / "gemini-deploy.yaml"), "--today", "2026-11-24",
                   "--select", "GP301").returncode == 0
