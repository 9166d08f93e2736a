"""A one-line progress bar on standard error, for long audits on a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[int, int], None]


@contextmanager
def progress_bar(enabled: bool, min_interval: float = 0.1) -> Iterator[Progress | None]:
    """Yield a ``(done, total)`` callback drawing a bar, or None when not ``enabled``.

    The bar appears only after half a second (short runs stay quiet) and is
    erased at the end, so it never mixes with the report.
    """
    if not enabled:
        yield None
        return
    started = time.monotonic()
    last = [0.0]
    drawn = [False]

    def update(done: int, total: int) -> None:
        now = time.monotonic()
        if now - started < 0.5 or (now - last[0] < min_interval and done < total):
            return
        last[0] = now
        width = 30
        filled = width * done // total if total else width
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\rscanning [{bar}] {done}/{total} files")
        sys.stderr.flush()
        drawn[0] = True

    try:
        yield update
    finally:
        if drawn[0]:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()
