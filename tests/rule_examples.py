"""Run a rule over the code block of its documentation (used by the rule gate).

Each input kind registers how its examples run: ``yaml`` examples are
manifests. Other kinds (source files, probes) add an entry to RUNNERS. A rule
with no check of its own (produced by the suppression pass) runs as "suppression".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

from preflight import api
from preflight.findings import Finding
from preflight.rule import Rule
from tests.conftest import TODAY, check_snippet
from tests.fakes.scenario import run_probe_example


def _manifest(rule: Rule, code: str) -> list[Finding]:
    with TemporaryDirectory() as tmp:
        return check_snippet(Path(tmp), rule.id, code)


def _suppression(rule: Rule, code: str) -> list[Finding]:
    """Rules with no check of their own (GP001, GP002) come from the suppression pass:
    run every rule over the example manifest, then the pass every report goes through."""
    from preflight import postprocess

    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "gemini-deploy.yaml"
        path.write_text(code, encoding="utf-8")
        options = api.Options(today=TODAY)
        result = api.check([path], options)
        postprocess.finish(result, options)
    assert not result.errors and not result.crashes, result.errors + result.crashes
    return result.findings


# Source examples: the file each language is written to; `…` in a key or a PEM block
# stands for generated material (docs and the repository never hold a whole key).
SOURCE_FILES = {"python": "example.py", "json": "key.json", "dotenv": ".env",
                "javascript": "example.js", "text": "requirements.txt", "toml": "pyproject.toml"}


def _fill(code: str) -> str:
    import random
    import re
    import string

    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits

    def key(match: re.Match[str]) -> str:
        prefix = match.group(1)
        return prefix + "".join(rng.choice(alphabet) for _ in range(39 - len(prefix)))

    code = re.sub(r"(AIza[\w-]*)…", key, code)
    material = "".join(rng.choice(alphabet + "+/") for _ in range(64 * 16))
    armour = " PRIVATE KEY-----"  # the repository never holds a whole PEM header either
    pem = f"-----BEGIN{armour}\\n{material}\\n-----END{armour}\\n"
    return code.replace('"private_key": "…"', f'"private_key": "{pem}"')


def _source(rule: Rule, code: str, language: str) -> list[Finding]:
    with TemporaryDirectory() as tmp:
        return check_snippet(Path(tmp), rule.id, _fill(code), name=SOURCE_FILES[language])


def _files(rule: Rule, code: str) -> list[Finding]:
    """A manifest and the code it covers in one block, each file after a ``# file: NAME`` line;
    run as ``check`` of the manifest (which scans its declared sources)."""
    import re

    parts = re.split(r"^# file: (\S+)\n", code, flags=re.MULTILINE)
    with TemporaryDirectory() as tmp:
        for name, body in zip(parts[1::2], parts[2::2], strict=True):
            (Path(tmp) / name).write_text(_fill(body), encoding="utf-8")
        result = api.check([Path(tmp) / "gemini-deploy.yaml"], api.Options(select=(rule.id,), today=TODAY))
    assert not result.errors and not result.crashes, result.errors + result.crashes
    return result.findings


RUNNERS: dict[str, Callable[[Rule, str], list[Finding]]] = {"yaml": _manifest, "files": _files,
                                                            "suppression": _suppression}
def _source_runner(language: str) -> Callable[[Rule, str], list[Finding]]:
    return lambda rule, code: _source(rule, code, language)


RUNNERS.update({lang: _source_runner(lang) for lang in SOURCE_FILES})
# Live-probe examples: a YAML scenario played against fake Google servers on 127.0.0.1.
RUNNERS["probe"] = run_probe_example


def findings_for_example(rule: Rule, language: str, code: str) -> list[Finding]:
    runner = RUNNERS.get(language if rule.kinds else "suppression")
    assert runner is not None, f"{rule.id}: no runner for '{language}' examples"
    return runner(rule, code)
