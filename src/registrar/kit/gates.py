"""A few writers per section at a time; the rest wait in the app, holding no connection.

Writers into one section queue on its row lock in the database. Left alone, a hot section (or
one whose row someone holds locked) would collect every pooled connection of the worker, each
waiting on that one row, and every other request would wait for a connection. A gate per key
lets `limit` requests through to the database at once; the others wait here, in the event loop,
for at most `wait` seconds, and beyond `queue` of them a newcomer is turned away at once.

When a writer gives up on the row's lock (someone else holds it: a long transaction, a stuck
client), the gate is marked stalled for `wait` seconds: whoever comes through it meanwhile is
told 503 at once, instead of waiting out the same lock again.
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
from sqlalchemy.exc import DBAPIError

from registrar.errors import RegistrarError

LOCK_NOT_AVAILABLE = "55P03"


class GateBusy(RegistrarError):
    """Too many requests are already waiting to write into the same place."""

    status_code = 503
    code = "busy"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class _Gate:
    slots: anyio.Semaphore
    users: int = 0
    waiting: int = 0
    stalled_until: float = 0.0


class KeyedGates:
    """One gate per key, made on first use and forgotten when nobody holds or awaits it."""

    def __init__(self, limit: int, queue: int, wait: float) -> None:
        self.limit = limit
        self.queue = queue
        self.wait = wait
        self._gates: dict[Hashable, _Gate] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[bool]:
        """Pass the key's gate for the block; yields True when it had to wait for its turn."""
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = _Gate(anyio.Semaphore(self.limit))
        gate.users += 1
        try:
            waited = await self._enter(gate)
            try:
                self._refuse_if_stalled(gate)
                yield waited
            except DBAPIError as error:
                if getattr(error.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE:
                    gate.stalled_until = time.monotonic() + self.wait
                raise
            finally:
                gate.slots.release()
        finally:
            gate.users -= 1
            if gate.users == 0 and gate.stalled_until <= time.monotonic():
                del self._gates[key]

    def _refuse_if_stalled(self, gate: _Gate) -> None:
        if gate.stalled_until > time.monotonic():
            raise GateBusy(
                "This section is locked by another operation; try again shortly",
                retry_after=math.ceil(self.wait),
            )

    async def _enter(self, gate: _Gate) -> bool:
        self._refuse_if_stalled(gate)
        if gate.slots.value > 0:
            await gate.slots.acquire()
            return False
        if gate.waiting >= self.queue:
            raise GateBusy("Too many requests for this section at once; try again", retry_after=1)
        gate.waiting += 1
        try:
            with anyio.move_on_after(self.wait) as waited:
                await gate.slots.acquire()
        finally:
            gate.waiting -= 1
        if waited.cancelled_caught:
            raise GateBusy(
                "This section is busy; try again shortly", retry_after=math.ceil(self.wait)
            )
        return True
