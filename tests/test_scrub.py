"""The one scrub: no key leaves the program whole, nor any 12-character piece of it in any
case, through any report, note, error, file name or written file. Keys are made at run time."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from preflight.findings import scrub
from tests.conftest import run_cli
from tests.fakes.keys import api_key

TODAY = "--today=2026-11-24"


def pieces(key: str) -> set[str]:
    """Every 12-character piece of ``key``, lower-cased."""
    return {key[i:i + 12].lower() for i in range(len(key) - 11)}


def assert_hidden(key: str, *texts: str) -> None:
    for text in texts:
        low = text.lower()
        found = [p for p in pieces(key) if p in low]
        at = low.find(found[0]) if found else 0
        assert not found, f"a piece of the key in: {text[max(at - 200, 0):at]!r}"


def manifest(tmp_path: Path, body: str, name: str = "gemini-deploy.yaml") -> Path:
    path = tmp_path / name
    path.write_text("version: 1\napp: demo\n" + body, encoding="utf-8")
    return path


# --- the scrub itself -------------------------------------------------------------------

@pytest.mark.parametrize("shape", [
    "{k}", "{K}", "{lower}", "\\t{k}", "\\n{k}", "x{k}", "{k}_backup", "'\\t{k}'", "{cut}",
    "\\x00{k}", "path/to/{k}.py", "{k}{k}",
])
def test_scrub_removes_keys_in_every_shape(shape: str) -> None:
    key = api_key()
    text = shape.format(k=key, K=key.upper(), lower=key.lower(), cut=key[:14])
    assert_hidden(key, scrub(text), scrub(repr(text)), scrub(json.dumps(text)))


def test_scrub_removes_a_key_after_an_escape_in_a_repr() -> None:
    key = api_key()
    for char in "\t\n\r\x0b\x0c\x00":
        assert_hidden(key, scrub(repr(char + key)), scrub(repr([char + key])))


def test_scrub_leaves_ordinary_text_alone() -> None:
    text = "faq.questions-and-answers Bearer: none aizawa gemini-3.5-flash ya29 1//x"
    assert scrub(text) == text


def test_scrub_is_linear_on_long_near_misses() -> None:
    import time

    for text in ("AIza" * 50_000, "-----BEGIN " + "PRIVATE KEY-----" + " " * 200_000 + "!",
                 "bearer " * 40_000, "eyJ" + "a" * 200_000):
        start = time.perf_counter()
        scrub(text)
        assert time.perf_counter() - start < 2.0


def test_every_scrub_pattern_starts_with_one_of_its_needles() -> None:
    import re
    from re import _constants as op  # type: ignore[attr-defined]
    from re import _parser as parser  # type: ignore[attr-defined]

    from preflight.datafiles import load_data

    keys = load_data("keys.yaml")
    for shape in keys["scrub"]:
        tree = list(parser.parse(shape, re.IGNORECASE))
        while tree and (tree[0][0] in (op.ASSERT, op.ASSERT_NOT, op.AT) or (
                tree[0][0] is op.BRANCH
                and all(alt and alt[0][0] in (op.ASSERT, op.ASSERT_NOT) for alt in tree[0][1][1]))):
            tree.pop(0)  # look-behinds: the match starts after them
        literal = ""
        for code, value in tree:
            if code is not op.LITERAL:
                break
            literal += chr(value)
        assert any(literal.lower().startswith(n) for n in keys["scrub_needles"]), shape


def test_scrub_at_the_needles_is_what_searching_every_offset_finds() -> None:
    import random

    from preflight.findings import _scrub_pattern, redact

    key = api_key()
    parts = [key, key.upper(), key[:14], "AQ." + "b" * 41, "xAQ." + "b" * 41, "\\tAQ." + "c" * 20,
             "ya29.abcdefghij", "1//" + "d" * 22, "eyJabcd.efgh.ij", "Bearer  tok_1234567890",
             "-----BEGIN " + "PRIVATE KEY-----\nMIIB\n-----END " + "PRIVATE KEY-----", "aiza", "AQ.", "eyJ",
             "bearer", " ", "\n", "_", "-", ".", "gemini", "AIzaAIza", "éAIza" + "e" * 30, "…",
             "A\u0131za" + "f" * 30, "be\u212arer  tok_1234567890", "\u0130", "\u017f"]
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(0, 8)))
        assert scrub(text) == _scrub_pattern().sub(lambda m: redact(m.group(0)), text), text


# --- item 3: validation errors -----------------------------------------------------------

@pytest.mark.parametrize("body", [
    "environments:\n  dev:\n    route: vertex\n    stage: {k}\n",
    "environments:\n  dev:\n    route: vertex\n    {k}: 1\n",
    "environments:\n  dev:\n    route: vertex\n    auth: {{method: {k}}}\n",
    "models:\n  chat: {{id: [{k}]}}\n",
])
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_validation_errors_never_show_a_key(tmp_path: Path, body: str, fmt: str) -> None:
    key = api_key()
    path = manifest(tmp_path, body.format(k=key))
    done = run_cli("check", str(path), "--format", fmt, TODAY)
    assert done.returncode == 2
    assert_hidden(key, done.stdout, done.stderr)


# --- item 4: keys after escapes in rule messages ----------------------------------------

def test_gp604_message_with_an_escaped_key_is_scrubbed(tmp_path: Path) -> None:
    key = api_key()
    body = (f'environments:\n  production:\n    route: vertex\n    project: p\n    location: global\n'
            f'    endpoint: "https://gw.example/\\t{key}"\nmodels:\n  chat: {{id: gemini-3.5-flash}}\n')
    done = run_cli("check", str(manifest(tmp_path, body)), "--select", "GP604", TODAY)
    assert done.returncode == 1 and "GP604" in done.stdout
    assert_hidden(key, done.stdout, done.stderr)


# --- item 5: keys in file names ---------------------------------------------------------

def test_a_key_in_a_file_name_is_scrubbed_from_notes_and_reports(tmp_path: Path) -> None:
    key = api_key()
    (tmp_path / "src").mkdir()
    os.symlink(tmp_path / "gone", tmp_path / "src" / f"{key}.py")
    (tmp_path / "src" / f"x{key}.py").write_text(f'KEY = "{api_key()}"\n', encoding="utf-8")
    for fmt in ("text", "json", "sarif", "github", "junit"):
        done = run_cli("audit", "src", "--format", fmt, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        assert "broken symbolic link" in done.stderr
        assert_hidden(key, done.stdout, done.stderr)


def test_a_key_in_a_file_name_stays_out_of_baselines_and_stale_notes(tmp_path: Path) -> None:
    key = api_key()
    (tmp_path / "src").mkdir()
    leaky = tmp_path / "src" / f"{key}.py"
    leaky.write_text(f'KEY = "{api_key()}"\n', encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    written = run_cli("audit", "src", "--write-baseline", str(baseline), cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert_hidden(key, baseline.read_text(encoding="utf-8"), written.stdout, written.stderr)
    again = run_cli("audit", "src", "--baseline", str(baseline), cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr  # the baseline still matches
    leaky.write_text("KEY = None\n", encoding="utf-8")
    stale = run_cli("audit", "src", "--baseline", str(baseline), cwd=tmp_path)
    assert "stale" in stale.stderr or "no longer" in stale.stderr, stale.stderr
    # an older baseline written with the whole name in it: the stale note hides it too
    data = json.loads(baseline.read_text(encoding="utf-8"))
    for entry in data["entries"]:
        entry["path"] = f"src/{key}.py"
    baseline.write_text(json.dumps(data), encoding="utf-8")
    stale = run_cli("audit", "src", "--baseline", str(baseline), cwd=tmp_path)
    assert_hidden(key, stale.stdout, stale.stderr)


# --- item 6: probe --env with a key as an environment name ------------------------------

def test_probe_env_lists_environment_names_scrubbed(tmp_path: Path) -> None:
    key = api_key()
    body = (f"environments:\n  {key}:\n    route: developer-api\n  other:\n"
            "    route: developer-api\nmodels:\n  chat: {id: gemini-3.5-flash}\n")
    done = run_cli("probe", str(manifest(tmp_path, body)), "--env", "nope")
    assert done.returncode == 2 and "no environment 'nope'" in done.stderr
    assert_hidden(key, done.stdout, done.stderr)


# --- item 7: init never copies a key ----------------------------------------------------

def test_init_never_copies_a_key_from_a_dependency_pin(tmp_path: Path) -> None:
    key = api_key()
    (tmp_path / "requirements.txt").write_text(f"google-genai=={key}\n", encoding="utf-8")
    done = run_cli("init", str(tmp_path))
    assert done.returncode == 0, done.stderr
    written = (tmp_path / "gemini-deploy.yaml").read_text(encoding="utf-8")
    assert "package: google-genai" in written and "  version:" not in written
    assert_hidden(key, written, done.stdout, done.stderr)


def test_init_keeps_a_real_pin(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("google-genai==1.52.0\n", encoding="utf-8")
    assert run_cli("init", str(tmp_path)).returncode == 0
    assert 'version: "==1.52.0"' in (tmp_path / "gemini-deploy.yaml").read_text(encoding="utf-8")


# --- item 8: case-folded keys -----------------------------------------------------------

def test_gp002_upper_cased_key_is_scrubbed(tmp_path: Path) -> None:
    key = api_key()
    body = f"models:\n  chat:  # gemini-preflight: ignore[{key}]\n    id: gemini-3.5-flash\n"
    done = run_cli("check", str(manifest(tmp_path, body)), "--select", "GP002", TODAY)
    assert "GP002" in done.stdout
    assert_hidden(key, done.stdout, done.stderr)


def test_a_lower_cased_key_in_a_location_is_scrubbed(tmp_path: Path) -> None:
    key = api_key()
    body = (f"environments:\n  dev:\n    route: vertex\n    project: acme\n    location: {key}\n"
            "models:\n  chat: {id: gemini-3.5-flash}\n")
    done = run_cli("check", str(manifest(tmp_path, body)), TODAY)
    assert done.returncode in (1, 2)
    assert_hidden(key, done.stdout, done.stderr)


def test_usage_errors_are_scrubbed(tmp_path: Path) -> None:
    key = api_key()
    for args in (("check", "--select", key), ("check", str(tmp_path / f"{key}.yaml")),
                 ("explain", key), ("audit", str(tmp_path / key))):
        done = run_cli(*args)
        assert done.returncode == 2
        assert_hidden(key, done.stdout, done.stderr)
