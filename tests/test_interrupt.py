"""SIGINT and SIGTERM end an audit at once, quietly, with nothing half-written.

Each case runs the real console entry (``python -m preflight audit``) over a
generated tree big enough for worker processes, waits for a moment of the run
(handlers installed, workers started, workers done) by reading /proc, sends
the signal to the main process or to its whole process group, and checks: the
exit within 2 s with 128 + the signal number, the one line on standard error,
no process of the run left, and the report and baseline it was asked to
replace untouched (no temporary file left either).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

import pytest

from preflight.audit import PARALLEL_FILES
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

OLD = "previous contents\n"
LINE = b"gemini-preflight: interrupted\n"
LIMIT = 2.0  # seconds from the signal to the end of the process
SOURCE = ('from google import genai\n\nclient = genai.Client()\n\n'
          'def ask{n}(text):\n    return client.models.generate_content(model="gemini-1.5-pro", '
          'contents=text)\n')


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    for n in range(PARALLEL_FILES + 100):  # enough files for the process pool
        folder = root / f"pkg{n // 100}"
        folder.mkdir(exist_ok=True)
        (folder / f"mod{n}.py").write_text(SOURCE.format(n=n), encoding="utf-8")
    return root


class Run:
    """One audit in its own session, writing over an existing report and baseline."""

    def __init__(self, tree: Path, folder: Path, jobs: int) -> None:
        self.folder = folder
        self.report, self.baseline = folder / "report.json", folder / "baseline.json"
        for path in (self.report, self.baseline):
            path.write_text(OLD, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("GEMINI_PREFLIGHT")}
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        env.pop("CI", None)
        self.stderr = open(folder / "stderr", "wb")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "preflight", "audit", str(tree), "--format", "json",
             "--output", str(self.report), "--write-baseline", str(self.baseline),
             "--jobs", str(jobs), "--fail-on", "never"],
            cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=self.stderr, start_new_session=True)
        self.pid = self.process.pid

    def wait_for(self, ready: str, timeout: float = 20) -> None:
        """Poll /proc until the run reaches ``ready``: handlers, workers or workers-done."""
        deadline = time.monotonic() + timeout
        seen_workers = False
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the run ended before {ready}: {self.errors()!r}"
            if ready == "handlers" and _catches_sigterm(self.pid):
                return
            workers = _children(self.pid)
            if ready == "workers" and workers:
                return
            seen_workers = seen_workers or bool(workers)
            if ready == "workers-done" and seen_workers and not workers:
                return
            time.sleep(0.002)
        raise AssertionError(f"no {ready} within {timeout} s")

    def send(self, signum: int, group: bool) -> float:
        """Send ``signum``; return the seconds until the process ended."""
        sent = time.monotonic()
        if group:
            os.killpg(self.pid, signum)
        else:
            os.kill(self.pid, signum)
        try:
            self.process.wait(timeout=LIMIT + 3)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running {LIMIT + 3} s after {signum}") from None
        return time.monotonic() - sent

    def errors(self) -> bytes:
        self.stderr.flush()
        return (self.folder / "stderr").read_bytes()

    def leftovers(self) -> list[str]:
        """Processes of the run's session still alive (zombies are dead)."""
        deadline = time.monotonic() + 1
        while True:
            alive = _session(self.pid)
            if not alive or time.monotonic() > deadline:
                return alive
            time.sleep(0.01)

    def untouched(self) -> None:
        assert self.report.read_text(encoding="utf-8") == OLD
        assert self.baseline.read_text(encoding="utf-8") == OLD
        assert sorted(p.name for p in self.folder.iterdir()) == ["baseline.json", "report.json",
                                                                 "stderr"]

    def close(self) -> None:
        if self.process.poll() is None or _session(self.pid):
            with suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=5)
        self.stderr.close()


Start = Callable[..., Run]


@pytest.fixture
def start(tree: Path, tmp_path: Path) -> Iterator[Start]:
    runs: list[Run] = []

    def begin(jobs: int = 2) -> Run:
        folder = tmp_path / f"run{len(runs)}"
        folder.mkdir()
        runs.append(Run(tree, folder, jobs))
        return runs[-1]

    try:
        yield begin
    finally:
        for run in runs:
            run.close()


# (moment, delay after it, to the whole group?, worker processes?)
CASES = [
    ("handlers", 0.0, True, 2),  # as early as the run can tell it was interrupted
    ("workers", 0.0, False, 2),
    ("workers", 0.15, True, 2),  # the pool busy with batches
    ("handlers", 0.3, False, 1),  # the single-process path (small trees), scanning
    ("workers-done", 0.0, True, 2),  # late: rules, baseline and report being written
]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_a_signal_ends_an_audit_at_once_quietly_with_nothing_written(start: Start,
                                                                     signum: int) -> None:
    """The cases run side by side, to keep the test short."""
    runs = [start(jobs) for _, _, _, jobs in CASES]
    with ThreadPoolExecutor(len(runs)) as threads:
        outcomes = list(threads.map(
            lambda pair: _interrupt(pair[0], pair[1][0], pair[1][1], pair[1][2], signum),
            zip(runs, CASES, strict=True)))
    for run, (moment, delay, group, jobs), took in zip(runs, CASES, outcomes, strict=True):
        where = f"{moment}+{delay}s, {'group' if group else 'main'}, jobs {jobs}"
        assert took < LIMIT, where
        assert run.leftovers() == [], where
        if moment == "workers-done" and run.process.returncode == 0:
            # The signal came after the files were renamed into place: the run was over.
            assert b"interrupted" not in run.errors()
            assert json.loads(run.report.read_text(encoding="utf-8"))["findings"]
            assert json.loads(run.baseline.read_text(encoding="utf-8"))["entries"]
            continue
        print(where, "took", round(took, 3))
        assert (run.process.returncode, run.errors()) == (128 + signum, LINE), where
        run.untouched()


def _interrupt(run: Run, moment: str, delay: float, group: bool, signum: int) -> float:
    run.wait_for(moment)
    time.sleep(delay)
    return run.send(signum, group)


def _catches_sigterm(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught, 16) & (1 << (signal.SIGTERM - 1)))


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def _session(sid: int) -> list[str]:
    """Live (not zombie) processes whose session is ``sid``."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        if int(fields[3]) == sid and fields[0] != "Z":
            alive.append(f"{entry.name} {stat[:stat.rindex(')') + 1]}")
    return alive


def test_the_api_stops_its_workers_on_keyboard_interrupt(tree: Path) -> None:
    """No handlers in library use: a KeyboardInterrupt still kills the pool, at once."""
    import multiprocessing

    from preflight import api

    workers: list[multiprocessing.process.BaseProcess] = []

    def progress(done: int, total: int) -> None:
        if done:
            workers.extend(multiprocessing.active_children())  # the pool at work
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        api.audit([tree], api.Options(), jobs=2, progress=progress)
    assert workers and multiprocessing.active_children() == []
    assert [w.exitcode for w in workers] == [-signal.SIGKILL] * len(workers)  # not left to finish


def test_a_child_killed_by_the_signal_waits_for_the_parents_own(tmp_path: Path) -> None:
    """git or a worker may die of a group's SIGTERM before this process gets it: no error then."""
    script = """
import os, signal, sys, threading, time
from preflight import interrupt
interrupt.install()
interrupt.child_failed(1)  # an ordinary failure: no wait
threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGTERM)).start()
began = time.monotonic()
try:
    interrupt.child_failed(-signal.SIGTERM)
except interrupt.Interrupted as exc:
    print("interrupted", exc.exit_code, time.monotonic() - began < interrupt.GRACE / 2)
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=30)
    assert (done.stdout, done.stderr) == ("interrupted 143 True\n", "")


def test_a_stuck_unwinding_still_ends_within_the_grace_time() -> None:
    script = """
import os, signal, time
from preflight import interrupt
interrupt.install()
try:
    with interrupt.undo(lambda: time.sleep(30)):  # an undo step that hangs
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(30)
except interrupt.Interrupted as exc:
    os._exit(interrupt.stopped(exc))
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env, timeout=30)
    assert (done.returncode, done.stderr) == (130, LINE)
    assert time.monotonic() - began < 10  # the 30 s sleeps were cut short


def test_stopped_workers_never_leave_the_pool_thread_waiting() -> None:
    """A worker killed mid-write leaves half a result in the pipe: the pool's thread still ends."""
    import struct
    import threading

    from preflight.interrupt import stop_workers

    with ThreadPoolExecutor(1) as runner:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=1)
        assert runner.submit(pool.submit(abs, -1).result, 30).result() == 1
        thread: threading.Thread | None = getattr(pool, "_executor_manager_thread", None)
        assert thread is not None and thread.is_alive()
        writer = pool._result_queue._writer  # type: ignore[attr-defined]
        # the header of a 64-byte message and 3 of its bytes, as a worker killed mid-write leaves
        os.write(writer.fileno(), struct.pack("!i", 64) + b"abc")
        time.sleep(0.2)  # the thread is now reading the rest
        stop_workers(pool)
        thread.join(10)
        assert not thread.is_alive()


def test_a_broken_pool_after_a_swallowed_signal_is_an_interruption(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGTERM to the group kills the workers; this process's handler may run where its
    exception is swallowed. The broken pool that follows is the interruption, not an error."""
    from concurrent.futures.process import BrokenProcessPool

    from preflight import interrupt

    monkeypatch.setattr(interrupt, "_owner", os.getpid())
    monkeypatch.setattr(interrupt, "_over", False)  # an earlier run in this process ended
    monkeypatch.setattr(interrupt, "_received", signal.SIGTERM)
    with pytest.raises(interrupt.Interrupted) as caught, interrupt.process_pool(1):
        raise BrokenProcessPool("A process in the process pool was terminated abruptly")
    assert caught.value.exit_code == 128 + signal.SIGTERM
    monkeypatch.setattr(interrupt, "_received", None)  # no signal: the error stays an error
    with pytest.raises(BrokenProcessPool), interrupt.process_pool(1):
        raise BrokenProcessPool("a worker crashed")
