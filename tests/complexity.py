"""Complexity guards that a loaded or noisy machine cannot fail: a linear reader passes."""

from __future__ import annotations

import time
from collections.abc import Callable


def cpu_seconds(work: Callable[[], object]) -> float:
    """This thread's CPU time for `work`."""
    started = time.thread_time()
    work()
    return time.thread_time() - started


def looks_linear(run: Callable[[int], object], small: int, large: int, *, budget: float) -> bool:
    """True when `run(large)` takes under `budget` seconds of CPU, or no more than twice the
    linear share of `run(small)`'s time. A quadratic reader fails both (its large run costs
    (large / small)² times the small one); a linear one that a busy machine slowed passes the
    second, since the slowdown hits both runs alike."""
    large_seconds = cpu_seconds(lambda: run(large))
    if large_seconds < budget:
        return True
    small_seconds = cpu_seconds(lambda: run(small))
    return large_seconds <= 2 * (large / small) * max(small_seconds, 1e-3)
