"""Hangs, unbounded memory and super-linear time: only regular files are read, with the size
cap enforced while reading, and every hostile shape is scanned in time proportional to a plain
read of the same file and in memory proportional to its size.

Time is a ratio, never seconds: a child process reads the file plainly (bytes, decoded text,
lines, and for a notebook its JSON: what any reader of the format does), then scans it; the
scan may take at most RATIO times as long. Both are the child's own CPU time, which other
processes on a busy machine (or the suite's other workers) do not stretch as they stretch
wall time. A super-linear pattern on these sizes takes
thousands of times as long (or never ends: the child is stopped after a minute).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from preflight.scan import read
from tests.conftest import ROOT, run_cli
from tests.fakes.keys import api_key

RATIO = 150  # linear scans here run at 1-75 times a plain read; quadratic ones at thousands
MEMORY_PER_BYTE = 40  # peak resident growth at most 40 bytes per byte of input, plus a floor
MEMORY_FLOOR = 96 * 1024 * 1024

CHILD = """
import json, resource, sys, time
from pathlib import Path
from preflight.scan import scan_file
from preflight.scan.read import decode, read_raw

path = Path(sys.argv[1])
warm = path.with_name("warm.py")
warm.write_text("import google.generativeai\\n")
scan_file(warm, "warm.py")  # data files and modules loaded before anything is timed

def plain():
    text = decode(read_raw(path, 1 << 30))
    text.splitlines()
    if path.suffix == ".ipynb":
        try:
            json.loads(text)
        except ValueError:
            pass

start = time.process_time()
for _ in range(3):
    plain()
reference = (time.process_time() - start) / 3
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
start = time.process_time()
facts, note = scan_file(path, path.name, 1 << 30)
scanned = time.process_time() - start
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
print(json.dumps({"reference": reference, "scan": scanned, "grown": grown,
                  "secrets": len(facts.secrets), "imports": len(facts.imports),
                  "accounts": len(facts.service_account_keys)}))
"""


def _pem() -> str:
    return ("-----" + "BEGIN PRIVATE KEY-----\\n" + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" * 3
            + "\\n-----END PRIVATE KEY-----\\n")


def _shapes() -> dict[str, tuple[str, str]]:
    """name -> (file name, content): each of the shapes that hung or blew up."""
    pair = f'{{"type": "service_account", "private_key": "{_pem()}"}}'
    return {
        "private-key field then spaces": (
            "key.json", ('"type": "service_account", "private_key":' + " " * 30_000 + "x\n") * 20),
        "broken notebook line": (
            "broken.ipynb", '{"cells": [ import google.generativeai\n' + " " * 200_000 + "a\n"
            + "b = " * 50_000 + "\n"),
        "parentheses before pip install": ("setup.sh", "(" * 400_000 + " pip install x\n"),
        "20,000 service-account key pairs": ("keys.json", "\n".join([pair] * 20_000)),
        "10 MB single-line Python": (
            "big.py", "import google.generativeai\nx = [" + "1, " * 3_400_000 + "]\n"),
        "50,000 notebook cells": ("cells.ipynb", json.dumps({"cells": [
            {"cell_type": "code", "source": ["import google.generativeai\n"], "outputs": [],
             "metadata": {}}] * 50_000, "metadata": {}, "nbformat": 4})),
        "import then spaces (JS)": ("app.js", "import" + " " * 200_000 + "x '@google/generative-ai'\n"),
        "escaped quotes never closed (Gradle)": (
            "build.gradle", "implementation 'com.google.cloud:google-cloud-vertexai:1'\n" + '"\\' * 300_000),
    }


SHAPES = _shapes()


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_hostile_shape_is_scanned_in_linear_time_and_bounded_memory(
        tmp_path: Path, shape: str) -> None:
    name, content = SHAPES[shape]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                              text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{shape}: the scan did not end within a minute")
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    ratio = figures["scan"] / max(figures["reference"], 1e-4)
    assert ratio <= RATIO, f"{shape}: {ratio:.0f} times a plain read ({figures})"
    size = path.stat().st_size
    assert figures["grown"] <= MEMORY_PER_BYTE * size + MEMORY_FLOOR, figures


def test_the_shapes_still_give_their_facts(tmp_path: Path) -> None:
    """Bounded is not blind: the big inputs are still searched."""
    from preflight.scan import scan_file

    for shape in ("20,000 service-account key pairs", "10 MB single-line Python",
                  "50,000 notebook cells"):
        name, content = SHAPES[shape]
        (tmp_path / name).write_text(content, encoding="utf-8")
        facts, _ = scan_file(tmp_path / name, name, 1 << 30)
        assert facts.service_account_keys or facts.imports, shape


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    key = api_key()
    (tmp_path / "app.py").write_text(f'KEY = "{key}"\n', encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.py")
    os.mkfifo(tmp_path / "gemini-deploy.yaml")
    os.symlink("/dev/zero", tmp_path / "zero.py")
    os.symlink("/dev/zero", tmp_path / "zero.yaml")
    started = time.monotonic()
    audit = run_cli("audit", "pipe.py", "zero.py", "app.py", cwd=tmp_path, timeout=30)
    assert audit.returncode == 1 and "GP201" in audit.stdout
    assert "pipe.py: skipped: not a regular file (a named pipe)" in audit.stderr
    assert "zero.py: skipped: not a regular file (a device)" in audit.stderr
    tree = run_cli("audit", ".", cwd=tmp_path, timeout=30)  # met while walking: not followed
    assert tree.returncode == 1 and "GP201" in tree.stdout
    check = run_cli("check", "gemini-deploy.yaml", "zero.yaml", cwd=tmp_path, timeout=30)
    assert check.returncode == 2
    assert check.stderr.count("is not a regular file") == 2
    for args in (("audit", "app.py", "--baseline", "pipe.py"),
                 ("check", "--config", "pipe.py", "gemini-deploy.yaml")):
        done = run_cli(*args, cwd=tmp_path, timeout=30)
        assert done.returncode == 2 and "Traceback" not in done.stderr
    assert time.monotonic() - started < 120  # nothing waited for a writer


def test_the_size_cap_holds_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that is bigger than its size said (it grew, or lies): never read past the cap."""
    path = tmp_path / "grows.py"
    path.write_bytes(b"x = 1\n" * 200_000)
    real_fstat, real_read = os.fstat, os.read
    taken: list[int] = []

    class Small:
        def __init__(self, info: os.stat_result) -> None:
            self.st_mode, self.st_size = info.st_mode, 100

    def reading(fd: int, n: int) -> bytes:
        taken.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(os, "fstat", lambda fd: Small(real_fstat(fd)))  # the os that read.py uses
    monkeypatch.setattr(os, "read", reading)
    with pytest.raises(read.Skip, match="size cap"):
        read.read_raw(path, max_bytes=10_000)
    assert sum(taken) <= 10_001 + 65_536
    with pytest.raises(read.TooLarge):
        read.read_file(path, 10_000)
