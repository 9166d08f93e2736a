"""Time `gemini-preflight check` on one manifest as a whole process (cold start).

Usage: python benchmarks/check_startup.py [--runs N] [MANIFEST]

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


def command(manifest: str) -> list[str]:
    exe = shutil.which("gemini-preflight")
    base = [exe] if exe else [sys.executable, "-m", "preflight"]
    return [*base, "check", manifest, "--today", "2026-11-24"]


def time_runs(cmd: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        times.append((time.perf_counter() - started) * 1000)
    return times


def import_profile(manifest: str, top: int) -> list[tuple[int, str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "preflight", "check", manifest,
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
    args = parser.parse_args()
    cmd = command(args.manifest)
    time_runs(cmd, 2)  # warm the OS file cache; every measured run is a new process
    times = time_runs(cmd, args.runs)
    print(f"command: {' '.join(cmd)}")
    print(f"runs: {args.runs}  median: {statistics.median(times):.0f} ms  "
          f"min: {min(times):.0f} ms  max: {max(times):.0f} ms  (target: <= 300 ms)")
    print("largest imports (cumulative, ms):")
    for cumulative, name in import_profile(args.manifest, 8):
        print(f"  {cumulative / 1000:7.1f}  {name}")


if __name__ == "__main__":
    main()
