"""How a student's request that changes their enrollments runs, for every such endpoint.

1. A retry of a request that already finished (same `Idempotency-Key`) gets its first answer.
2. The engine's rules are checked from one read, outside any transaction: most refusals in a
   rush end here, without a lock.
3. Through the section's gate (a few writers per section and worker at a time), checked again
   if it had to wait, the change runs in the request's transaction, the key is held first and
   the answer kept beside the change, and all of it is committed before the gate is passed on.
4. What it did (or the rule that refused it) is counted for /metrics (`count`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import TypeVar

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from registrar.auth.principal import Principal
from registrar.enrollment.outcomes import EnrollmentRefused
from registrar.idempotency.guard import Idempotency
from registrar.kit import metrics
from registrar.kit.gates import KeyedGates
from registrar.kit.unit import Unit

Answer = TypeVar("Answer", bound=BaseModel)


async def write_once(
    unit: Unit,
    principal: Principal,
    idempotency: Idempotency,
    change: Callable[[], Awaitable[Answer]],
    *,
    status_code: int,
    check: Callable[[], Awaitable[None]] | None = None,
    gates: KeyedGates | None = None,
    section: Hashable | None = None,
) -> Answer | JSONResponse:
    """Run `change` once (see the module's docstring); `check` refuses early, `section` names
    the gate to pass."""
    replayed = await idempotency.replay(unit, principal)
    if replayed is not None:
        return replayed
    try:
        if check is not None:
            await check()
        gate: AbstractAsyncContextManager[bool] = (
            gates.hold(section) if gates is not None and section is not None else nullcontext(False)
        )
        async with gate as waited:
            if waited and check is not None:
                await check()  # the section may have filled while this request waited its turn
            replayed = await idempotency.claim(unit, principal)
            if replayed is not None:
                return replayed
            answer = await change()
            await idempotency.remember(unit, principal, status_code, answer)
            await unit.commit()
    except EnrollmentRefused as refused:
        metrics.REFUSALS.labels(refused.code).inc()
        raise
    count(answer)
    return answer


_WAITLISTED = frozenset({"WAITLISTED", "RESERVED"})  # RESERVED: seed 002's word for it


def _placed(status: object) -> None:
    if status in _WAITLISTED:
        metrics.WAITLIST_JOINS.inc()
    elif status == "ENROLLED":
        metrics.ENROLLMENTS.inc()


def count(answer: BaseModel) -> None:
    """Count what a committed change did, from its answer (a few attribute reads).

    Counted after the commit: a change rolled back, tried again after a deadlock or replayed
    for its `Idempotency-Key` is counted once. The shapes are the seeds': a drop names who was
    promoted (`promoted`, `promoted_student_id`); a place has a `status`, or an `enrollment`
    with one.
    """
    if hasattr(answer, "promoted") or hasattr(answer, "dropped_status"):
        metrics.DROPS.inc()
        promoted = getattr(answer, "promoted", None) or getattr(answer, "promoted_student_id", None)
        if promoted is not None:
            metrics.PROMOTIONS.inc()
    elif hasattr(answer, "enrollment"):
        _placed(answer.enrollment.status)
    else:
        _placed(getattr(answer, "status", None))
