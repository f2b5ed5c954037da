"""Creating and dropping throwaway databases for a test run."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import text

from registrar import migrate
from registrar.config import normalize_database_url
from registrar.db import Base, Database, build_engine

POSTGRES_SERVER = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _admin_dsn() -> str:
    return POSTGRES_SERVER.replace("postgresql+psycopg://", "postgresql://")


def create_postgres_database(prefix: str = "registrar_test") -> str:
    """A new empty PostgreSQL database; returns its normalized URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_dsn(), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_SERVER.rsplit("/", 1)[0]
    return normalize_database_url(f"{base}/{name}")


def drop_postgres_database(url: str) -> None:
    """Drop a database made by `create_postgres_database`."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(_admin_dsn(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_url(folder: Path) -> str:
    """A normalized URL of a new SQLite file in the folder."""
    return normalize_database_url(f"sqlite:///{folder / f'registrar-{uuid.uuid4().hex[:8]}.db'}")


def migrated(url: str, *, pool_size: int = 10) -> Database:
    """A database at `url` built by the real migrations."""
    database = Database(build_engine(url, pool_size=pool_size, max_overflow=20))
    migrate.upgrade(database)
    return database


def wipe(database: Database) -> None:
    """Remove every row, keeping the schema."""
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with database.engine.begin() as connection:
        if database.is_sqlite:
            for table in tables:
                connection.execute(text(f'DELETE FROM "{table}"'))
        else:
            connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"))
