"""SIGINT and SIGTERM end a run at once, quietly, with nothing half-written.

The console script calls :func:`install`. The first signal raises
:class:`Interrupted` in the main thread wherever it is; code that holds
something to undo (worker processes, temporary files) registers it with
:func:`undo`, and :func:`preflight.cli.entry` runs what is left registered,
writes one line ``gemini-preflight: interrupted`` on standard error and exits
with 128 + the signal number (130 for SIGINT, 143 for SIGTERM). Later signals
are ignored; should the unwinding take more than :data:`GRACE` seconds, a
timer ends the process the hard way (same line, same exit code).

:func:`end_of_run` marks the point of no return: the run's files are renamed
into place after it, and a signal arriving later no longer interrupts the run.

Worker processes ignore SIGINT (the parent decides), die on SIGTERM without a
word and, on Linux, die with the parent even when it is killed.
"""

from __future__ import annotations

import itertools
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

GRACE = 1.0  # seconds the orderly unwinding may take
KILLED_WITHIN = 5.0  # seconds a SIGKILLed worker may take to be reaped on a busy machine
MESSAGE = "gemini-preflight: interrupted\n"

_owner: int | None = None  # the process whose run the handlers end
_received: int | None = None  # the first signal
_over = False  # past end_of_run(): signals no longer interrupt
_undo: dict[int, Callable[[], None]] = {}
_keys = itertools.count()


class Interrupted(BaseException):
    """SIGINT or SIGTERM reached the console script (not an ``Exception``: nothing swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def install() -> None:
    """Handle SIGINT and SIGTERM in this process (the console script only, never the API)."""
    global _owner, _received, _over
    if _owner == os.getpid():
        return
    _owner, _received, _over = os.getpid(), None, False
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _handle)


def end_of_run() -> None:
    """From here on the run is over: signals are ignored. Raises if one came before."""
    global _over
    _over = True
    if _received is not None:
        raise Interrupted(_received)


def stopped(exc: Interrupted) -> int:
    """Undo what is registered, say ``interrupted`` once and return the exit code."""
    _run_undo()
    with suppress(OSError, ValueError):  # standard error closed: the exit code still tells
        sys.stderr.flush()
        os.write(2, MESSAGE.encode())
    return exc.exit_code


@contextmanager
def undo(action: Callable[[], None]) -> Iterator[None]:
    """Run ``action`` if the block fails, or from :func:`stopped` if an interrupt cuts it short.

    An action runs at most once: a stuck one is not started again by the hard exit.
    """
    key = next(_keys)
    _undo[key] = action
    try:
        yield
    except BaseException:
        if _undo.pop(key, None) is not None:
            _quietly(action)
        raise
    _undo.pop(key, None)


@contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers are stopped (killed) if the block fails or is interrupted."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=workers, initializer=worker_init,
                               initargs=(os.getpid(),))
    with undo(lambda: stop_workers(pool)):
        try:
            yield pool
        except BrokenProcessPool:
            _await_signal(GRACE / 2)  # SIGTERM to the process group may reach the workers first
            raise
        pool.shutdown()


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and kill the worker processes now (idempotent)."""
    # The executor has no public way to reach its processes before Python 3.14.
    processes: dict[Any, Any] = getattr(pool, "_processes", None) or {}
    running = list(processes.values())
    results = getattr(pool, "_result_queue", None)  # shutdown() forgets it
    manager = getattr(pool, "_executor_manager_thread", None)  # and this
    for process in running:
        _quietly(process.kill)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in running:  # SIGKILL cannot be caught: the wait is only for the scheduler
        with suppress(Exception):  # of a loaded machine to let the process die and be reaped
            process.join(KILLED_WITHIN)
    # A worker killed while writing a result leaves half a message in the result pipe, and the
    # executor's manager thread then waits for the rest for ever (and the interpreter's exit joins
    # that thread). With every worker dead, closing this process's own write end gives that read
    # an end of file: the thread sees a broken pool and ends.
    with suppress(Exception):
        results._writer.close()  # type: ignore[union-attr]
    # That thread also joins the workers: until it ends, a worker it reaped may still look
    # alive here (its exit status is recorded by the thread that reaped it).
    if manager is not None:
        with suppress(Exception):
            manager.join(KILLED_WITHIN)


def worker_init(parent: int) -> None:
    """In each worker: ignore SIGINT, die quietly on SIGTERM and with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(0)


def child_failed(returncode: int) -> None:
    """A child process died of SIGINT or SIGTERM: the same signal, sent to the whole process
    group, may still be on its way here. Wait a moment for it before reporting an error."""
    if returncode in (-signal.SIGINT, -signal.SIGTERM):
        _await_signal(GRACE / 2)


def _await_signal(seconds: float) -> None:
    """Give a signal on its way the time to arrive (its handler raises :class:`Interrupted`).

    A signal that came already, or comes now, is raised as :class:`Interrupted` here: its
    handler may have run inside code that swallows exceptions (a finaliser, a callback of
    the pool's threads), and the failure it caused must not be reported as an error.
    """
    deadline = time.monotonic() + seconds
    while _owner == os.getpid() and _received is None and time.monotonic() < deadline:
        time.sleep(0.005)
    if _owner == os.getpid() and _received is not None and not _over:
        raise Interrupted(_received)


def _handle(signum: int, frame: FrameType | None) -> None:
    global _received
    if os.getpid() != _owner:  # a forked worker before worker_init ran
        if signum == signal.SIGTERM:
            os._exit(128 + signum)
        return
    if _over or _received is not None:
        return
    _received = signum
    _silence()
    if hasattr(signal, "setitimer"):  # not on Windows
        signal.signal(signal.SIGALRM, _hard_exit)
        signal.setitimer(signal.ITIMER_REAL, GRACE)
    raise Interrupted(signum)


def _hard_exit(signum: int, frame: FrameType | None) -> None:
    code = Interrupted(_received or signal.SIGTERM).exit_code
    _run_undo()
    with suppress(OSError):
        os.write(2, MESSAGE.encode())
    os._exit(code)


def _silence() -> None:
    """No traceback from threads, finalizers or logging once the run is ending."""
    import threading

    sys.unraisablehook = lambda unraisable: None
    threading.excepthook = lambda args: None
    if "logging" in sys.modules:  # already loaded: importing it again costs nothing
        import logging

        logging.raiseExceptions = False


def _run_undo() -> None:
    for key in list(_undo):
        action = _undo.pop(key, None)
        if action is not None:
            _quietly(action)


def _quietly(action: Callable[[], object]) -> None:
    with suppress(Exception):  # undoing is best effort: the run is failing or ending anyway
        action()
