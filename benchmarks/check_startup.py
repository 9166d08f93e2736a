"""Time `gemini-preflight check` on one manifest as a whole process (cold start).

Usage: python benchmarks/check_startup.py [--runs N] [--venv DIR] [MANIFEST]

With ``--venv DIR`` the tool is installed (``pip install .``) into a fresh
virtual environment at DIR first, as pre-commit does for a hook: that is the
start-up users see. Without it, the ``gemini-preflight`` on PATH is timed.

Prints the median, min and max wall time of N runs and the modules that
dominate import time (from ``python -X importtime``). Target: median <= 300 ms
on a 2-core machine, since pre-commit runs it on every commit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def venv_tool(where: Path) -> str:
    """A fresh virtual environment at ``where`` with the tool installed from this tree."""
    exe = where / "bin" / "gemini-preflight"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
        subprocess.run([str(where / "bin" / "pip"), "install", "-q", str(ROOT)], check=True)
    return str(exe)


def command(manifest: str, exe: str | None = None) -> list[str]:
    exe = exe or shutil.which("gemini-preflight")
    base = [exe] if exe else [sys.executable, "-m", "preflight"]
    return [*base, "check", manifest, "--today", "2026-11-24"]


def child_env(bytecode: bool) -> dict[str, str]:
    """The environment of the measured runs.

    An installed tool (pip install, a pre-commit hook environment) runs from
    compiled bytecode; PYTHONDONTWRITEBYTECODE would make every run compile
    every module again, so it is dropped unless --no-bytecode asks for that.
    """
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def time_runs(cmd: list[str], runs: int, env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - started) * 1000)
    return times


def import_profile(manifest: str, top: int, env: dict[str, str],
                   python: str) -> list[tuple[int, str]]:
    if python == sys.executable:
        env = {**env, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [python, "-X", "importtime", "-m", "preflight", "check", manifest,
         "--today", "2026-11-24"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line[len("import time:"):].split("|")
        if not name.startswith("   "):  # top-level imports only, not their children
            rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", nargs="?", default="sample-configs/production.yaml")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--venv", type=Path, metavar="DIR",
                        help="install into a fresh virtual environment at DIR and time that")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="compile every module on every run (PYTHONDONTWRITEBYTECODE=1)")
    args = parser.parse_args()
    cmd = command(args.manifest, venv_tool(args.venv) if args.venv else None)
    python = str(args.venv / "bin" / "python") if args.venv else sys.executable
    env = child_env(bytecode=not args.no_bytecode)
    time_runs(cmd, 2, env)  # warm the file cache and bytecode; each measured run is a new process
    times = time_runs(cmd, args.runs, env)
    print(f"command: {' '.join(cmd)}  (bytecode cache: {'off' if args.no_bytecode else 'on'})")
    print(f"runs: {args.runs}  median: {statistics.median(times):.0f} ms  "
          f"min: {min(times):.0f} ms  max: {max(times):.0f} ms  (target: <= 300 ms)")
    print("largest imports (cumulative, ms):")
    for cumulative, name in import_profile(args.manifest, 8, env, python):
        print(f"  {cumulative / 1000:7.1f}  {name}")


if __name__ == "__main__":
    main()
