"""Complexity guards that a loaded or noisy machine cannot fail: a linear reader passes."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def cpu_seconds(work: Callable[[], object]) -> float:
    """This thread's CPU time for `work`."""
    started = time.thread_time()
    work()
    return time.thread_time() - started


def looks_linear(
    run: Callable[[int], object], small: int, large: int, *, budget: float, attempts: int = 3
) -> bool:
    """True when `run(large)` takes under `budget` seconds of CPU, or no more than twice the
    linear share of `run(small)`'s time, in any of `attempts` tries. A quadratic reader fails
    every try (its large run costs (large / small)² times the small one); a linear one that a busy
    machine slowed passes one, since the slowdown hits both runs of a try alike and does not last.
    The collector is held off while timing: in a test process holding a large heap, its full
    passes land unevenly between the two runs and cost more than the work measured."""
    gc.collect()
    gc.disable()
    try:
        return any(_one_try(run, small, large, budget) for _ in range(attempts))
    finally:
        gc.enable()


def _one_try(run: Callable[[int], object], small: int, large: int, budget: float) -> bool:
    large_seconds = cpu_seconds(lambda: run(large))
    if large_seconds < budget:
        return True
    small_seconds = cpu_seconds(lambda: run(small))
    return large_seconds <= 2 * (large / small) * max(small_seconds, 1e-3)
