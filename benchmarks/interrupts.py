"""How fast and how cleanly does an audit end on SIGINT/SIGTERM sent at a random moment?

Generates a tree big enough for worker processes, times one uninterrupted
``gemini-preflight audit`` (JSON report and baseline written over existing
files), then runs ``--runs`` audits that each get SIGINT or SIGTERM, sent to
the main process or to its whole process group, after a random delay between 0
and the uninterrupted run's duration. Each run must end either interrupted
(exit 128 + signal, one line ``gemini-preflight: interrupted``, report and
baseline untouched, no temporary file) or complete (the signal came after the
files were renamed into place), with no process of the run left behind.
Prints the outcomes and the time from the signal to the end of the process.
A signal that comes before the run's code starts (during the interpreter's own
start-up, while /proc shows no SIGTERM handler) gets Python's default action
and is counted apart.

    python benchmarks/interrupts.py [--files 3000] [--runs 40] [--seed 1] [--max-delay S]

Linux only (reads /proc). Target: every run ends within 2 s of its signal.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OLD = "previous contents\n"
LINE = b"gemini-preflight: interrupted\n"
SOURCE = ('from google import genai\n\nclient = genai.Client()\n\n'
          'def ask{n}(text):\n    return client.models.generate_content(model="gemini-1.5-pro", '
          'contents=text)\n')


def make_tree(root: Path, files: int) -> None:
    for n in range(files):
        folder = root / f"pkg{n // 100}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"mod{n}.py").write_text(SOURCE.format(n=n), encoding="utf-8")


def start(tree: Path, folder: Path) -> subprocess.Popen[bytes]:
    folder.mkdir()
    for name in ("report.json", "baseline.json"):
        (folder / name).write_text(OLD, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEMINI_PREFLIGHT") and k != "CI"}
    with open(folder / "stderr", "wb") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "preflight", "audit", str(tree), "--format", "json",
             "--output", "report.json", "--write-baseline", "baseline.json", "--fail-on", "never"],
            cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=stderr, start_new_session=True)


def session(sid: int) -> list[int]:
    """Live (not zombie) processes of session ``sid``."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[3]) == sid and fields[0] != "Z":
                alive.append(int(entry.name))
    return alive


def handlers_installed(pid: int) -> bool:
    """Whether the run catches SIGTERM yet (its handlers go in as its code starts)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught, 16) & (1 << (signal.SIGTERM - 1)))


def judge(process: subprocess.Popen[bytes], folder: Path, signum: int) -> str:
    errors = (folder / "stderr").read_bytes()
    names = sorted(p.name for p in folder.iterdir())
    report = (folder / "report.json").read_text(encoding="utf-8")
    baseline = (folder / "baseline.json").read_text(encoding="utf-8")
    if process.returncode == 128 + signum:
        if errors != LINE:
            return f"BAD stderr {errors[:300]!r}"
        if (report, baseline) != (OLD, OLD) or names != ["baseline.json", "report.json", "stderr"]:
            return f"BAD files {names} report {report[:20]!r} baseline {baseline[:20]!r}"
        return "interrupted"
    if process.returncode == 0 and b"interrupted" not in errors:
        json.loads(report), json.loads(baseline)  # complete, or this raises
        return "complete"
    return f"BAD exit {process.returncode} stderr {errors[:300]!r}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, metavar="SECONDS",
                        help="Latest moment to signal (default: the uninterrupted run's duration).")
    args = parser.parse_args()
    chance = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        make_tree(base / "tree", args.files)
        began = time.monotonic()
        whole = start(base / "tree", base / "whole")
        whole.wait()
        duration = time.monotonic() - began
        print(f"uninterrupted run: {duration:.2f} s, exit {whole.returncode}, "
              f"{judge(whole, base / 'whole', 0)}")
        outcomes: dict[str, int] = {}
        latencies: list[float] = []
        for n in range(args.runs):
            signum = chance.choice([signal.SIGINT, signal.SIGTERM])
            group = chance.random() < 0.5
            delay = chance.uniform(0, args.max_delay or duration)
            folder = base / f"run{n}"
            process = start(base / "tree", folder)
            try:
                time.sleep(delay)
                ready = handlers_installed(process.pid)
                sent = time.monotonic()
                if process.poll() is not None:  # the machine was faster than the first run
                    outcomes["finished before its signal"] = outcomes.get(
                        "finished before its signal", 0) + 1
                    continue
                (os.killpg if group else os.kill)(process.pid, signum)
                try:
                    process.wait(timeout=10)
                    took = time.monotonic() - sent
                except subprocess.TimeoutExpired:
                    took = float("inf")
                time.sleep(0.05)
                left = session(process.pid)
                verdict = judge(process, folder, signum) if took < 10 else "BAD hang"
                if not ready and verdict.startswith("BAD exit"):  # Python's own defaults
                    verdict = f"during the interpreter's start-up: exit {process.returncode}"
                if left:
                    verdict = f"BAD processes left {left}"
                if took > 2:
                    verdict = f"BAD slow {took:.2f} s ({verdict})"
            finally:
                for pid in session(process.pid):
                    os.kill(pid, signal.SIGKILL)
                process.wait()
            latencies.append(took)
            key = verdict if verdict.startswith("BAD") else f"{signal.Signals(signum).name} {verdict}"
            outcomes[key] = outcomes.get(key, 0) + 1
            if verdict.startswith("BAD"):
                print(f"run {n}: {signal.Signals(signum).name} to {'group' if group else 'main'} "
                      f"after {delay:.2f} s: {verdict}")
        for key, count in sorted(outcomes.items()):
            print(f"{count:4d}  {key}")
        ordered = sorted(latencies)
        if not ordered:
            return
        print(f"signal to exit over {len(ordered)} runs: min {ordered[0] * 1000:.0f} ms, "
              f"median {statistics.median(ordered) * 1000:.0f} ms, "
              f"p95 {ordered[int(0.95 * (len(ordered) - 1))] * 1000:.0f} ms, "
              f"max {ordered[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
