"""Declarative base, engine construction and sessions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import anyio
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from registrar.kit.described import DescribedOnceCursor

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


@dataclass(frozen=True)
class Limits:
    """How long the service waits on the database before it gives up and answers 503.

    Only the serving engines get these: migrations and bulk loads may run long statements.
    """

    connect_seconds: float = 5.0
    statement_seconds: float = 10.0
    lock_seconds: float = 2.0
    pool_timeout_seconds: float = 5.0


def _postgres_connect_args(limits: Limits | None) -> dict[str, Any]:
    """libpq settings: a connect timeout, server-side timeouts and TCP keepalives.

    Keepalives and `tcp_user_timeout` notice a server that stops answering (packets dropped,
    no refusal) in seconds, where the kernel's defaults would wait for minutes.
    """
    if limits is None:
        return {"application_name": "registrar"}
    statement_ms = int(limits.statement_seconds * 1000)
    lock_ms = int(limits.lock_seconds * 1000)
    return {
        "application_name": "registrar",
        "connect_timeout": max(2, round(limits.connect_seconds)),
        "options": f"-c statement_timeout={statement_ms} -c lock_timeout={lock_ms}",
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


class AsyncDatabase:
    """The request path's engines and their sessions.

    Writes lock early on SQLite (BEGIN IMMEDIATE). Reads on PostgreSQL use a pool of their own
    in autocommit (`read_engine`): under READ COMMITTED every statement takes its own snapshot
    anyway, so a transaction around them would only add a BEGIN and a COMMIT round trip, and a
    pool that only reads need not switch its connections in and out of autocommit.
    """

    def __init__(self, engine: AsyncEngine, read_engine: AsyncEngine | None = None) -> None:
        self.engine = engine
        self.read_engine = read_engine or engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        writes = engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        self._writes = async_sessionmaker(writes, expire_on_commit=False)
        self._reads = async_sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def engines(self) -> list[AsyncEngine]:
        """Every engine, each once."""
        return [self.engine] if self.read_engine is self.engine else [self.engine, self.read_engine]

    @asynccontextmanager
    async def session(self, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """A session that commits when the block ends cleanly and rolls back otherwise."""
        factory = self._writes if write else self._reads
        session = factory()
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

    def new_session(self, *, write: bool) -> AsyncSession:
        """A session the caller commits (or rolls back) and closes."""
        return self._writes() if write else self._reads()

    async def dispose(self) -> None:
        """Close every pooled connection."""
        for engine in self.engines:
            await engine.dispose()
