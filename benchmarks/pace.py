"""How fast one core runs right now: a fixed piece of pure-Python work, timed.

On a shared machine the same benchmark can take half again as long from one hour
to the next (other tenants, clock frequency). The benchmarks print this figure
at their start and end, so that runs made at different times can be told apart:
compare timings only between runs of a similar pace.
"""

from __future__ import annotations

import statistics
import time


def pace(rounds: int = 5) -> float:
    """Milliseconds the fixed work takes, median of ``rounds`` (lower: a faster core)."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i % 7
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


if __name__ == "__main__":
    print(f"pace of one core: {pace():.0f} ms for the fixed loop (lower is faster)")
