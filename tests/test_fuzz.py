"""A bounded fuzz test of the contract (fixed seed, a few hundred cases): bad manifests and
bad source files, each with a planted key and a real finding beside it, through `check` and
`audit` in every output format. Asserted for every case: exit 0, 1 or 2 only; no traceback
and no internal error; the planted key nowhere (no 12-character piece of it, in any case) in
standard output, standard error or any file written; the real finding still reported."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import string
from pathlib import Path

import pytest

from preflight.cli import main

SEED = 20261202
CASES = 240
ALPHABET = string.ascii_letters + string.digits + "_-"
FORMATS = ("text", "json", "sarif", "github", "junit")
GOOD_MANIFEST = "version: 1\napp: demo\nmodels:\n  chat:\n    id: gemini-3.1-pro-preview\n"
LEGACY = "import google.generativeai\n"  # GP101 in the file beside the bad one


def planted(rng: random.Random) -> str:
    return "AIza" + "".join(rng.choice(ALPHABET) for _ in range(35))


def pieces(key: str) -> set[str]:
    return {key[i:i + 12].lower() for i in range(len(key) - 11)}


def hostile_scalar(rng: random.Random, key: str) -> str:
    """One YAML value that has broken something once."""
    return rng.choice([
        "9" * rng.randint(4300, 6000), "maybe", "2026-02-30", "!!int 0xZZ", "!!timestamp nope",
        "!!float abc", "!!binary ===", "!!python/object:os.system x", f"'{key}'", f'"\\t{key}"',
        key.upper(), key.lower(), f"[{key}]", "{a: 1}", "~", "-1e999", ".nan", "*undefined",
        "'" + "x" * rng.randint(1000, 5000) + "'", '"\\x00\\u202e"', "[" * 60 + "]" * 60,
        f"'==1.{'9' * 5000}'", f"https://127.0.0.1:1\\@generativelanguage.googleapis.com/{key}",
    ])


def bad_manifest(rng: random.Random, key: str) -> str:
    fields = [("app", "demo"), ("sdk", "{package: google-genai, version: '1.52.0'}")]
    env = {"route": "vertex", "project": "acme-genai-prod", "location": "global",
           "stage": "production", "endpoint": "https://aiplatform.googleapis.com"}
    model = {"id": "gemini-3.5-flash", "max_output_tokens": "2048", "thinking_level": "low"}
    target = rng.choice([env, model, dict(fields)])
    target[rng.choice(list(target))] = hostile_scalar(rng, key)
    if rng.random() < 0.3:
        target[rng.choice([key, "on", "no", "<<", "? x"])] = hostile_scalar(rng, key)
    env_name = key if rng.random() < 0.2 else "production"
    text = "version: 1\n" + "".join(f"{k}: {v}\n" for k, v in fields if k not in ("app",)) + \
        f"app: {dict(fields).get('app', 'demo') if target is not dict(fields) else 'demo'}\n"
    text += "environments:\n  " + env_name + ":\n" + "".join(f"    {k}: {v}\n" for k, v in env.items())
    text += "models:\n  chat:\n" + "".join(f"    {k}: {v}\n" for k, v in model.items())
    if rng.random() < 0.15:
        text += "deep: " + "[" * rng.randint(300, 1200) + "]" * 50 + "\n"
    if rng.random() < 0.15:
        text = text[: rng.randint(0, len(text))]
    if rng.random() < 0.1:
        text = text.replace("\n", rng.choice(["\r\n", "\r", "\n\t"]))
    return text


def bad_source(rng: random.Random, key: str) -> tuple[str, bytes]:
    """(file name, content) of a source file that is malformed in one of many ways."""
    code = f'KEY = "{key}"\nclient = "{key.lower()}"\n'
    kind = rng.choice(["py", "ipynb", "broken-ipynb", "req", "env", "js", "json", "bytes"])
    if kind == "py":
        body = code + rng.choice(["def (:\n", "x = '" + " " * 5000, "\x00\x01", "(" * 3000,
                                  "import" + " " * 3000, "\\" * 2000])
        return rng.choice(["a.py", f"{key}.py", "b.pyw"]), body.encode("utf-8", "surrogatepass")
    if kind in ("ipynb", "broken-ipynb"):
        outputs = rng.choice([5, [5], "x", None, [{"output_type": 5}], [{"text": 5}],
                              [{"data": {"image/png": [1, None]}}]])
        cell: dict[str, object] = {"cell_type": "code",
                                   "source": [code, "!pip install (" + "(" * 500],
                                   "outputs": outputs, "metadata": rng.choice([{}, 5, None])}
        book = {"cells": rng.choice([[cell], [cell, 7, "junk"], {"a": cell}]), "nbformat": 4}
        text = json.dumps(book)
        if kind == "broken-ipynb":
            text = text[: rng.randint(1, len(text))] + " " * rng.randint(0, 3000)
        return "book.ipynb", text.encode()
    if kind == "req":
        return "requirements.txt", rng.choice([
            f"google-genai=={key}\n", f"google-genai==1.{'9' * 5000}\n", "(" * 5000 + "\n",
            f"-r {key}.txt\ngoogle-genai>=0\n"]).encode()
    if kind == "env":
        return ".env", f"GEMINI_API_KEY={key}\nX=\"unterminated\n".encode()
    if kind == "js":
        return "app.ts", f"import {{x}} from '{key}';\nimport" .encode() + b" " * 3000
    if kind == "json":
        pem = "-----BEGIN" + " PRIVATE KEY-----\\n" + "A" * 80
        return "sa.json", ('{"type": "service_account", "private_key": "' + pem + '",' +
                           f'"client_email": "{key}@x.iam.gserviceaccount.com"').encode()
    return rng.choice(["x.py", "x.ipynb", "x.txt"]), bytes(rng.randrange(256) for _ in range(600)) \
        + key.encode()


def run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main_with(args)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue()


def main_with(args: list[str]) -> None:
    import sys

    saved = sys.argv
    sys.argv = ["gemini-preflight", *args]
    try:
        main()
    finally:
        sys.argv = saved


def written(folder: Path) -> str:
    """What the run wrote: the report (-o) and the baseline, never the inputs."""
    paths = [folder / "report.out", folder / "baseline.json"]
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in paths if p.exists())


def case(rng: random.Random, number: int, tmp: Path) -> None:
    key = planted(rng)
    folder = tmp / f"case{number}"
    folder.mkdir()
    fmt = rng.choice(FORMATS)
    if number % 2 == 0:  # check: a bad manifest and a good one with a real finding
        (folder / "bad").mkdir()
        (folder / "good").mkdir()
        (folder / "bad" / "gemini-deploy.yaml").write_text(bad_manifest(rng, key), "utf-8",
                                                           errors="surrogatepass")
        (folder / "good" / "gemini-deploy.yaml").write_text(GOOD_MANIFEST, "utf-8")
        args = ["check", "bad/gemini-deploy.yaml", "good/gemini-deploy.yaml", "--select", "GP3,GP6,GP1"]
        expected = "GP302"
    else:  # audit: a bad source file and a legacy import beside it
        name, content = bad_source(rng, key)
        (folder / "src").mkdir()
        (folder / "src" / "legacy.py").write_text(LEGACY, "utf-8")
        with open(os.path.join(os.fsencode(folder / "src"), os.fsencode(name)), "wb") as handle:
            handle.write(content)
        if rng.random() < 0.3:
            (folder / "src" / "gemini-deploy.yaml").write_text(bad_manifest(rng, key), "utf-8",
                                                               errors="surrogatepass")
        args = ["audit", "src"]
        expected = "GP101"
    args += ["--format", fmt, "--today", "2026-11-24"]
    if rng.random() < 0.3:
        args += ["-o", "report.out"]
    if rng.random() < 0.2:
        args += ["--write-baseline", "baseline.json"]
    code, out, err = run(args, folder)
    shown = f"case {number} ({' '.join(args)})"
    assert code in (0, 1, 2), shown
    assert "Traceback" not in err and "internal error" not in err, f"{shown}: {err[-600:]}"
    everything = (out + err + written(folder)).lower()
    leaked = [p for p in pieces(key) if p in everything]
    assert not leaked, f"{shown}: a piece of the planted key was printed or written"
    report = out + written(folder)
    if "--write-baseline" not in args:
        assert expected in report, f"{shown}: the real finding beside the bad input is missing"


@pytest.mark.parametrize("block", range(4))
def test_fuzz_the_contract(tmp_path: Path, block: int) -> None:
    rng = random.Random(SEED + block)
    for number in range(CASES // 4):
        case(rng, number, tmp_path)
