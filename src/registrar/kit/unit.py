"""One request's database work: reads outside any transaction, at most one write transaction.

Functions run on a `Unit` are plain synchronous code taking a `Session` (the repositories and
the engine); they run in the event loop's thread, on the async connection, with no thread hop.

- A read before the write transaction takes a connection for just that call, so a refusal a
  read can decide costs no transaction at all; once the transaction has begun, reads join it,
  so the request sees its own writes.
- The write transaction begins on first use and is committed when the request succeeds.
- Every call is bounded in time: a database that stops answering (no refusal, no reset) makes
  the request fail with 503 after `DB_STATEMENT_TIMEOUT` plus a margin, and the connection is
  dropped rather than asked to roll back.
- A write transaction that PostgreSQL ends as a deadlock victim or a serialization failure is
  tried again from its start, a few times, when it was the request's first write.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

import anyio
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from registrar.db import AsyncDatabase
from registrar.errors import RegistrarError

logger = logging.getLogger("registrar")

P = ParamSpec("P")
T = TypeVar("T")

RETRIED_STATES = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure
ATTEMPTS = 4
# Beyond the server's own statement timeout, the time a call may take before the database is
# taken for gone: a server that stops answering cannot enforce its own timeout.
MARGIN_SECONDS = 2.0


class DatabaseTimeout(RegistrarError):
    """The database did not answer within the bound."""

    status_code = 503
    code = "database_timeout"
    retry_after = 5


def retryable(error: DBAPIError) -> bool:
    """True for a transaction the database ended so that it may simply be run again."""
    return getattr(error.orig, "sqlstate", None) in RETRIED_STATES


class Unit:
    """A request's reads and its one write transaction (see the module's docstring)."""

    def __init__(self, database: AsyncDatabase, statement_seconds: float) -> None:
        self._database = database
        self._bound = statement_seconds + MARGIN_SECONDS
        self._write: AsyncSession | None = None
        self._writes = 0

    async def read(
        self, function: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run `function` on a reading session (the write transaction's, once begun)."""
        if self._write is not None:
            return await self._timed(self._write, function, *args, **kwargs)
        async with self._database.turn(write=False):
            session = self._database.new_session(write=False)
            try:
                return await self._timed(session, function, *args, **kwargs)
            finally:
                with anyio.CancelScope(shield=True):
                    await session.close()

    async def write(
        self, function: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run `function` in the request's transaction."""
        first = self._writes == 0
        self._writes += 1
        for attempt in range(1, ATTEMPTS + 1):
            session = self._write or await self._begin()
            try:
                return await self._timed(session, function, *args, **kwargs)
            except DBAPIError as error:
                if not (first and retryable(error)) or attempt == ATTEMPTS:
                    raise
                logger.info("retrying a transaction (%s), attempt %d", error.orig, attempt + 1)
                await self._discard()
                await anyio.sleep(random.uniform(0.005, 0.02) * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _begin(self) -> AsyncSession:
        """Take a turn at the writers' connections, then the session that will hold one."""
        await self._database.turn_taken(write=True)
        self._write = self._database.new_session(write=True)
        return self._write

    def _end_turn(self) -> None:
        self._database.turn_given_back(write=True)

    async def commit(self) -> None:
        """Commit the transaction now (a later write begins a new one)."""
        session, self._write = self._write, None
        if session is None:
            return
        try:
            with anyio.fail_after(self._bound):
                await session.commit()
        except TimeoutError as error:
            await session.invalidate()
            raise DatabaseTimeout("The database did not answer in time") from error
        except BaseException:
            with anyio.CancelScope(shield=True):
                await session.rollback()
            raise
        finally:
            with anyio.CancelScope(shield=True):
                try:
                    await session.close()
                finally:
                    self._end_turn()

    async def finish(self, error: BaseException | None) -> None:
        """Commit (or after an error roll back) and give the connection back."""
        if error is None:
            await self.commit()
        else:
            await self._discard()

    async def _discard(self) -> None:
        session, self._write = self._write, None
        if session is None:
            return
        with anyio.CancelScope(shield=True):
            try:
                await session.rollback()
            finally:
                try:
                    await session.close()
                finally:
                    self._end_turn()

    async def _timed(
        self,
        session: AsyncSession,
        function: Callable[Concatenate[Session, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        try:
            # anyio's scope, not asyncio.timeout: anyio cancels again and again until the call
            # is out, asyncio once, and with asyncio's a request to a silent server took 13 s
            # instead of failing at the bound (tests/faults/test_silent_database.py).
            with anyio.fail_after(self._bound):
                return await session.run_sync(function, *args, **kwargs)
        except TimeoutError as error:
            # Mid-statement on a connection that may never answer: drop it, do not wait on it.
            try:
                with anyio.CancelScope(shield=True):
                    await session.invalidate()
            finally:
                if session is self._write:
                    self._write = None
                    self._end_turn()
            raise DatabaseTimeout("The database did not answer in time") from error
