"""The complexity guard itself: it passes a linear piece of work and refuses a quadratic one."""

from __future__ import annotations

from tests.complexity import looks_linear


def _linear(n: int) -> None:
    sum(range(n * 200))


def _quadratic(n: int) -> None:
    sum(i * j for i in range(n) for j in range(n))


def test_a_linear_run_passes() -> None:
    assert looks_linear(_linear, 2_000, 20_000, budget=0.0)


def test_a_quadratic_run_fails_every_try() -> None:
    assert not looks_linear(_quadratic, 200, 2_000, budget=0.0)
