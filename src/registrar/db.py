"""Declarative base, engine construction and sessions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import anyio
from psycopg import AsyncCursor, Column
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

# Stable constraint names, so migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_BEGIN_OPTION = "sqlite_begin"


class Base(DeclarativeBase):
    """Base of every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


PlanCacheMode = Literal["auto", "force_generic_plan", "force_custom_plan"]


@dataclass(frozen=True)
class Limits:
    """How long the service waits on the database before it gives up and answers 503.

    Only the serving engines get these: migrations and bulk loads may run long statements.
    """

    connect_seconds: float = 5.0
    statement_seconds: float = 10.0
    lock_seconds: float = 2.0
    pool_timeout_seconds: float = 5.0
    plan_cache_mode: PlanCacheMode = "force_generic_plan"


def _postgres_connect_args(limits: Limits | None) -> dict[str, Any]:
    """libpq settings: a connect timeout, server-side timeouts, plan caching, TCP keepalives.

    Keepalives and `tcp_user_timeout` notice a server that stops answering (packets dropped,
    no refusal) in seconds, where the kernel's defaults would wait for minutes.

    psycopg prepares a statement on its fifth execution on a connection. PostgreSQL then plans
    it afresh for each execution as long as it estimates such a custom plan cheaper than the
    generic one, and the estimate leaves out the planning itself: for the portal's joins of
    six to sixteen tables that planning cost more than running the plan (my-courses: 0.6 ms of
    planning to 0.08 ms of execution). Every serving statement looks rows up by key, where a
    generic plan is as good, so by default it is planned once per connection.
    """
    if limits is None:
        return {"application_name": "registrar"}
    statement_ms = int(limits.statement_seconds * 1000)
    lock_ms = int(limits.lock_seconds * 1000)
    return {
        "application_name": "registrar",
        "connect_timeout": max(2, round(limits.connect_seconds)),
        "options": f"-c statement_timeout={statement_ms} -c lock_timeout={lock_ms} "
        f"-c plan_cache_mode={limits.plan_cache_mode}",
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
        "tcp_user_timeout": statement_ms + 5000,
    }


def _configure_sqlite(engine: Engine, busy_ms: int) -> None:
    """WAL, foreign keys, and transactions we begin ourselves.

    pysqlite's own transaction handling defers BEGIN; a deferred transaction that reads and
    then writes fails with SQLITE_BUSY under concurrency, so write sessions say BEGIN IMMEDIATE.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _sqlite_busy_ms(limits: Limits | None) -> int:
    # SQLite has one writer at a time: a writer waits for the others' whole transactions, not
    # for one row, so it gets the statement timeout rather than the lock timeout.
    return int(limits.statement_seconds * 1000) if limits is not None else 30000


def build_engine(
    url: str | URL,
    *,
    pool_size: int = 4,
    max_overflow: int = 4,
    echo: bool = False,
    limits: Limits | None = None,
) -> Engine:
    """An engine for a normalized URL, tuned for its backend."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, echo=echo, connect_args={"check_same_thread": False})
        _configure_sqlite(engine, _sqlite_busy_ms(limits))
        return engine
    # No pre-ping: it costs a round trip per checkout. A connection the server dropped fails
    # its request (503), and the pool is invalidated so the next checkout reconnects.
    return create_engine(
        parsed,
        echo=echo,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=limits.pool_timeout_seconds if limits else 60,
        pool_recycle=1800,
        connect_args=_postgres_connect_args(limits),
    )


# Distinct result shapes are as many as the statements that return rows: a few hundred. Past
# the bound (ad-hoc statements) the cache starts again rather than growing.
MAX_SHAPES = 4096

_described: dict[tuple[Any, ...], list[Column]] = {}


class DescribedOnceCursor(AsyncCursor[Any]):
    """psycopg's async cursor, describing each shape of result once per process.

    SQLAlchemy reads `cursor.description` after every statement that returns rows, and psycopg
    builds it afresh each time: a `Column` per result column, each looking its type up in the
    registry (a `KeyError` caught for every type it does not know, such as our enums): 20-50 µs
    for the portal's wide reads. A statement returns the same columns on every execution, so
    the description is kept by the result's shape (each column's name, type and modifier, read
    in a few C calls; a column's size is its type's). A `Column` keeps nothing of the cursor
    that made it, so one list serves every cursor; each caller gets its own copy.
    """

    @property
    def description(self) -> list[Column] | None:
        """The result's columns, as psycopg describes them."""
        result = self.pgresult
        if result is None or not result.nfields:
            return super().description
        shape = (
            self.connection.info.encoding,
            *[(result.fname(i), result.ftype(i), result.fmod(i)) for i in range(result.nfields)],
        )
        columns = _described.get(shape)
        if columns is None:
            columns = super().description
            if columns is None:  # pragma: no cover - a result with fields always has columns
                return None
            if len(_described) >= MAX_SHAPES:
                _described.clear()
            _described[shape] = columns
        return list(columns)


def build_async_engine(
    url: str | URL,
    *,
    pool_size: int = 4,
    max_overflow: int = 4,
    echo: bool = False,
    limits: Limits | None = None,
    autocommit: bool = False,
) -> AsyncEngine:
    """The request path's engine: psycopg's async mode, or aiosqlite for the embedded file.

    Made in the event loop that serves the requests, and disposed with it. `autocommit` makes
    a PostgreSQL pool whose connections never open a transaction: nothing to set on checkout,
    nothing to reset on return.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_async_engine(parsed.set(drivername="sqlite+aiosqlite"), echo=echo)
        _configure_sqlite(engine.sync_engine, _sqlite_busy_ms(limits))
        return engine
    extra: dict[str, Any] = (
        {"isolation_level": "AUTOCOMMIT", "pool_reset_on_return": None} if autocommit else {}
    )
    return create_async_engine(
        parsed.set(drivername="postgresql+psycopg"),
        echo=echo,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=limits.pool_timeout_seconds if limits else 60,
        pool_recycle=1800,
        connect_args={**_postgres_connect_args(limits), "cursor_factory": DescribedOnceCursor},
        **extra,
    )


@dataclass
class Database:
    """An engine with its two session factories: reads, and writes that lock early on SQLite."""

    engine: Engine

    def __post_init__(self) -> None:
        self.read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        write_engine = self.engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        self.write_sessions = sessionmaker(write_engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded database."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session that commits when the block ends cleanly and rolls back otherwise."""
        factory = self.write_sessions if write else self.read_sessions
        with factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


class Turns:
    """Turns at a pool's connections, given in the order they were asked for.

    SQLAlchemy's async pool hands a returned connection to whichever coroutine asks next: a
    request arriving just then takes it before the one that has waited longest is woken, and
    that one goes back to the end of the line. Under a rush a few requests waited many times
    as long as the rest (p95 three times the median). Requests wait here instead, first come
    first served, one turn per connection, so none waits inside the pool; a wait longer than
    the pool's own timeout is answered as the pool's (503, busy).
    """

    def __init__(self, connections: int, wait_seconds: float) -> None:
        self._connections = connections
        self._wait = wait_seconds
        self._free = asyncio.Semaphore(connections)  # FIFO: a newcomer queues behind waiters
        self.waiting = 0  # requests in the line now (`registrar_db_pool_waiting`)

    def twin(self) -> Turns:
        """Turns of the same size for another pool."""
        return Turns(self._connections, self._wait)

    async def take(self) -> None:
        """Wait for a turn; the pool's TimeoutError after the pool's own timeout."""
        if not self._free.locked():  # a turn free and nobody in line: no timer to set
            await self._free.acquire()
            return
        self.waiting += 1
        try:
            async with asyncio.timeout(self._wait):
                await self._free.acquire()
        except TimeoutError as error:
            raise PoolTimeout(
                f"no connection free in {self._wait:.1f}s ({self._connections} in the pool)"
            ) from error
        finally:
            self.waiting -= 1

    def give_back(self) -> None:
        """End a turn: the longest waiting takes it."""
        self._free.release()


class AsyncDatabase:
    """The request path's engines and their sessions.

    Writes lock early on SQLite (BEGIN IMMEDIATE). Reads on PostgreSQL use a pool of their own
    in autocommit (`read_engine`): under READ COMMITTED every statement takes its own snapshot
    anyway, so a transaction around them would only add a BEGIN and a COMMIT round trip, and a
    pool that only reads need not switch its connections in and out of autocommit.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        read_engine: AsyncEngine | None = None,
        *,
        turns: Turns | None = None,
    ) -> None:
        self.engine = engine
        self.read_engine = read_engine or engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        writes = engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        self._writes = async_sessionmaker(writes, expire_on_commit=False)
        self._reads = async_sessionmaker(self.read_engine, expire_on_commit=False)
        self._write_turns = turns
        # Reads on their own pool take turns of their own; on a shared pool, the same turns.
        self._read_turns = turns.twin() if turns and self.read_engine is not engine else turns

    @property
    def engines(self) -> list[AsyncEngine]:
        """Every engine, each once."""
        return [self.engine] if self.read_engine is self.engine else [self.engine, self.read_engine]

    @asynccontextmanager
    async def session(self, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """A session that commits when the block ends cleanly and rolls back otherwise."""
        async with self.turn(write=write):
            session = self.new_session(write=write)
            try:
                yield session
                await session.commit()
            except BaseException:
                # Shielded: a cancelled request (the client went away) must still hand its
                # connection back clean.
                with anyio.CancelScope(shield=True):
                    await session.rollback()
                raise
            finally:
                with anyio.CancelScope(shield=True):
                    await session.close()

    @asynccontextmanager
    async def turn(self, *, write: bool) -> AsyncIterator[None]:
        """Wait in arrival order for a connection of the pool: hold this while a session of
        `new_session(write=...)` holds its connection (see `Turns`)."""
        await self.turn_taken(write=write)
        try:
            yield
        finally:
            self.turn_given_back(write=write)

    async def turn_taken(self, *, write: bool) -> None:
        """`turn`'s start, for a session held across calls: end it with `turn_given_back`."""
        if turns := self._turns(write):
            await turns.take()

    def waiting_turns(self, *, write: bool) -> int:
        """Requests waiting for a turn at the writers' (or readers') connections now."""
        turns = self._turns(write)
        return turns.waiting if turns else 0

    def turn_given_back(self, *, write: bool) -> None:
        """End a turn taken with `turn_taken`."""
        if turns := self._turns(write):
            turns.give_back()

    def _turns(self, write: bool) -> Turns | None:
        return self._write_turns if write else self._read_turns

    def new_session(self, *, write: bool) -> AsyncSession:
        """A session the caller commits (or rolls back) and closes."""
        return self._writes() if write else self._reads()

    async def dispose(self) -> None:
        """Close every pooled connection."""
        for engine in self.engines:
            await engine.dispose()
