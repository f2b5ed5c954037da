"""Run the Alembic migrations programmatically (the CLI and the tests use this)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

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
    _run(database, lambda config: command.upgrade(config, revision))


def downgrade(database: Database, revision: str = "base") -> None:
    """Take the schema down to `revision`."""
    _run(database, lambda config: command.downgrade(config, revision))


def _run(database: Database, action: object) -> None:
    config = alembic_config(database)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        action(config)  # type: ignore[operator]


def is_empty(database: Database) -> bool:
    """True when the database holds no tables yet."""
    return not inspect(database.engine).get_table_names()
