"""Alembic environment: runs on the connection the caller hands over, or on DATABASE_URL."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context

import registrar.models  # noqa: F401 - fills the metadata
from registrar.config import get_settings, normalize_database_url
from registrar.db import Base, build_engine
from registrar.migrate import foreign_keys_checked_at_end

config = context.config
target_metadata = Base.metadata


def _render_item(type_: str, obj: Any, _autogen_context: Any) -> str | Literal[False]:
    """Render our own column types as plain SQLAlchemy ones, so migrations never import app code."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        render_item=_render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = build_engine(normalize_database_url(url))
    with engine.connect() as conn, foreign_keys_checked_at_end(conn):
        _run(conn)
    engine.dispose()
