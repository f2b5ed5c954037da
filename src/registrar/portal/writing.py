"""How a student's request that changes their enrollments runs, for every such endpoint.

1. A retry of a request that already finished (same `Idempotency-Key`) gets its first answer.
2. The engine's rules are checked from one read, outside any transaction: most refusals in a
   rush end here, without a lock.
3. Through the section's gate (a few writers per section and worker at a time), checked again
   if it had to wait, the change runs in the request's transaction, the key is held first and
   the answer kept beside the change, and all of it is committed before the gate is passed on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import TypeVar

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from registrar.auth.principal import Principal
from registrar.idempotency.guard import Idempotency
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
    return answer
