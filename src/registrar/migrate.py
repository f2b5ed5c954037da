"""Run the Alembic migrations programmatically (the CLI and the tests use this)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from registrar.db import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database: Database) -> Config:
    """An Alembic config that runs on the given database's engine."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option(
        "sqlalchemy.url", database.engine.url.render_as_string(hide_password=False)
    )
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the schema up to `revision`."""
    run(database, lambda config: command.upgrade(config, revision))


def downgrade(database: Database, revision: str = "base") -> None:
    """Take the schema down to `revision`."""
    run(database, lambda config: command.downgrade(config, revision))


def run(database: Database, action: Callable[[Config], object]) -> None:
    """Run an Alembic action in one transaction on the database's engine."""
    config = alembic_config(database)
    with database.engine.connect() as connection, foreign_keys_checked_at_end(connection):
        config.attributes["connection"] = connection
        action(config)


@contextmanager
def foreign_keys_checked_at_end(connection: Connection) -> Iterator[None]:
    """A transaction for migrating; on SQLite, foreign keys are enforced only at its end.

    A batch migration rebuilds a SQLite table by copying it and dropping the original; with
    enforcement on, that DROP deletes the rows that reference it (every table cascades from
    `institutions`). So enforcement is off meanwhile, and the keys are checked before commit.

    Renames are done the legacy way too: the copy is renamed to the table's name while the
    catalog-version triggers of other tables name a table that, for that moment, is gone; the
    modern rename would refuse, the legacy one leaves them to find the new table by name.
    """
    raw = connection.connection.driver_connection if connection.dialect.name == "sqlite" else None
    if raw is not None:
        raw.execute("PRAGMA foreign_keys=OFF")  # only takes effect outside a transaction
        raw.execute("PRAGMA legacy_alter_table=ON")
    try:
        with connection.begin():
            yield
            if raw is not None:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
    finally:
        if raw is not None:
            raw.execute("PRAGMA legacy_alter_table=OFF")
            raw.execute("PRAGMA foreign_keys=ON")


@lru_cache(maxsize=1)
def revisions() -> tuple[frozenset[str], frozenset[str]]:
    """The head revisions of this release's migrations, and every revision it knows."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    scripts = ScriptDirectory.from_config(config)
    known = frozenset(script.revision for script in scripts.walk_revisions())
    return frozenset(scripts.get_heads()), known


def schema_state(applied: Iterable[str]) -> str:
    """`current` at this release's head; `behind` when it still needs `registrar migrate`
    (or was never migrated); `ahead` when a newer release has migrated it."""
    heads, known = revisions()
    applied = frozenset(applied)
    if applied == heads:
        return "current"
    if applied and not applied <= known:
        return "ahead"
    return "behind"
