"""Time `gemini-preflight check` on one manifest and `audit` on one Python file (cold start).

Usage: python benchmarks/check_startup.py [--runs N] [--venv DIR] [MANIFEST] [--source FILE]

With ``--venv DIR`` the tool is installed (``pip install .``) into a fresh
virtual environment at DIR first, as pre-commit does for a hook: that is the
start-up users see. Without it, the ``gemini-preflight`` on PATH is timed.

CPU time (user + system, from wait4) is printed beside wall time: on a
shared, loaded machine it is the steadier figure. Both commands run
interleaved (check, audit, check, ...), each a new process.
Prints the median, min and max wall time of N runs of each, and the modules
that dominate import time (from ``python -X importtime``, of the installed tool
with ``--venv``; it does not see the rule modules, which the registry imports
with importlib). ``--instructions`` also counts the instructions each command
executes once (valgrind, when installed): a figure that does not move with the
machine's load. Target: median <= 200 ms each on a 2-core machine, since
pre-commit runs them on every commit.

Two floors are timed in the same runs, with the same interpreter: importing
the libraries each command cannot start without (click for both; PyYAML and
pydantic's models for ``check``, which loads the manifest into pydantic
models). No change to this tool brings a command below its floor.
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

from pace import pace  # beside this script

ROOT = Path(__file__).resolve().parent.parent


def venv_tool(where: Path) -> str:
    """A fresh virtual environment at ``where`` with the tool installed from this tree."""
    exe = where / "bin" / "gemini-preflight"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
        subprocess.run([str(where / "bin" / "pip"), "install", "-q", str(ROOT)], check=True)
    return str(exe)


def command(verb: str, target: str, exe: str | None = None) -> list[str]:
    exe = exe or shutil.which("gemini-preflight")
    base = [exe] if exe else [sys.executable, "-m", "preflight"]
    return [*base, verb, target, "--today", "2026-11-24"]


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


CPU: dict[int, list[float]] = {}  # command index -> CPU times (user + system, ms)


def time_runs(cmds: list[list[str]], runs: int, env: dict[str, str]) -> list[list[float]]:
    """Wall times (ms) of each command, run interleaved ``runs`` times (CPU times in CPU)."""
    times: list[list[float]] = [[] for _ in cmds]
    CPU.clear()
    for _ in range(runs):
        for index, (cmd, took) in enumerate(zip(cmds, times, strict=True)):
            started = time.perf_counter()
            child = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            _, _, usage = os.wait4(child.pid, 0)
            took.append((time.perf_counter() - started) * 1000)
            CPU.setdefault(index, []).append((usage.ru_utime + usage.ru_stime) * 1000)
    return times


def import_profile(verb: str, target: str, top: int, env: dict[str, str],
                   python: str, exe: str | None) -> list[tuple[int, str]]:
    if python == sys.executable:
        env = {**env, "PYTHONPATH": str(ROOT)}
    # The installed console script, not ``-m preflight``: run from ROOT, ``-m`` would
    # import the source tree (the working folder comes first on sys.path).
    script = [exe] if exe else ["-m", "preflight"]
    done = subprocess.run(
        [python, "-X", "importtime", *script, verb, target, "--today", "2026-11-24"],
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


# What each command cannot start without: the interpreter and these imports.
FLOORS = {"audit": "import click",
          "check": "import click, yaml; from pydantic import BaseModel"}


def instructions(cmd: list[str], env: dict[str, str]) -> int | None:
    """Instructions one run of ``cmd`` executes (valgrind, no cache simulation); None
    without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                           "--cachegrind-out-file=/dev/null", *cmd],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    for line in done.stderr.splitlines():
        if "I" in line and "refs:" in line:
            return int(line.rsplit(":", 1)[1].strip().replace(",", ""))
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", nargs="?", default="sample-configs/production.yaml")
    parser.add_argument("--source", default="tests/fixtures/audit/legacy_imports/app.py",
                        help="the one staged Python file `audit` is timed on")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--venv", type=Path, metavar="DIR",
                        help="install into a fresh virtual environment at DIR and time that")
    parser.add_argument("--compare", metavar="NAME=EXE",
                        help="also time another gemini-preflight executable (an older version), "
                             "interleaved in the same runs")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions of one run of each (valgrind)")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="compile every module on every run (PYTHONDONTWRITEBYTECODE=1)")
    args = parser.parse_args()
    exe = venv_tool(args.venv) if args.venv else None
    cases = [("check", args.manifest), ("audit", args.source)]
    cmds = [command(verb, target, exe) for verb, target in cases]
    names = ["", ""]
    if args.compare:
        name, other = args.compare.split("=", 1)
        cases += cases
        cmds += [command(verb, target, other) for verb, target in cases[:2]]
        names += [f" ({name})", f" ({name})"]
    python = str(args.venv / "bin" / "python") if args.venv else sys.executable
    floors = [("floor of check", [python, "-c", FLOORS["check"]]),
              ("floor of audit", [python, "-c", FLOORS["audit"]])]
    cmds += [cmd for _, cmd in floors]
    env = child_env(bytecode=not args.no_bytecode)
    load, started = os.getloadavg()[0], pace()
    time_runs(cmds, 2, env)  # warm the file cache and bytecode; each measured run is a new process
    results = time_runs(cmds, args.runs, env)
    print(f"bytecode cache: {'off' if args.no_bytecode else 'on'}; runs: {args.runs} each, "
          f"interleaved; load average (1 min) at the start: {load:.1f} on {os.cpu_count()} cores; "
          f"pace of one core (benchmarks/pace.py, lower is faster): {started:.0f} ms at the start, "
          f"{pace():.0f} ms at the end")
    measured = zip(cases, cmds[:len(cases)], results[:len(cases)], strict=True)
    for index, ((verb, target), cmd, times) in enumerate(measured):
        print(f"\n{' '.join(cmd)}{names[index]}")
        ratio = ""
        if index >= 2:
            ratio = f"  ({statistics.median(times) / statistics.median(results[index - 2]):.2f}x the time)"
        cpu = CPU[index]
        print(f"  median: {statistics.median(times):.0f} ms  min: {min(times):.0f} ms  "
              f"max: {max(times):.0f} ms  (target: <= 200 ms){ratio}; CPU time (user+system) "
              f"median {statistics.median(cpu):.0f} ms, min {min(cpu):.0f} ms")
        if args.instructions:
            count = instructions(cmd, env)
            shown = f"{count / 1e6:,.0f} million" if count else "unknown (no valgrind)"
            print(f"  instructions of one run: {shown}")
        if index < 2:
            print("  largest imports (cumulative, ms):")
            for cumulative, name in import_profile(verb, target, 8, env, python, exe):
                print(f"    {cumulative / 1000:7.1f}  {name}")
    for index, (name, cmd) in enumerate(floors, start=len(cases)):
        times, cpu = results[index], CPU[index]
        print(f"\n{name}: {cmd[0]} -c {cmd[2]!r}\n  median: {statistics.median(times):.0f} ms  "
              f"min: {min(times):.0f} ms; CPU time median {statistics.median(cpu):.0f} ms")
        if args.instructions:
            count = instructions(cmd, env)
            shown = f"{count / 1e6:,.0f} million" if count else "unknown (no valgrind)"
            print(f"  instructions of one run: {shown}")


if __name__ == "__main__":
    main()
