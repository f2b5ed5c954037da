"""The serving connections plan a prepared statement once (DB_PLAN_CACHE_MODE)."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from registrar.config import Settings
from registrar.db import Database, build_async_engine
from tests.conftest import make_settings

STATEMENT = "SELECT count(*) FROM institutions WHERE tag = :tag"


def _plans(pg: Database, **overrides: object) -> tuple[int, int]:
    """Generic and custom plans PostgreSQL made for a statement run ten times on one connection."""
    limits = make_settings(pg, **overrides).db_limits()

    async def run() -> tuple[int, int]:
        engine = build_async_engine(pg.engine.url, limits=limits, autocommit=True)
        try:
            async with engine.connect() as connection:
                for _ in range(10):  # psycopg prepares it on the fifth
                    await connection.execute(text(STATEMENT), {"tag": "nowhere"})
                plans = await connection.execute(
                    text(
                        "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                        "WHERE statement LIKE '%FROM institutions WHERE tag%'"
                    )
                )
                generic, custom = plans.one()
                return int(generic), int(custom)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_a_prepared_statement_is_planned_once_by_default(pg: Database) -> None:
    generic, custom = _plans(pg)
    assert custom == 0
    assert generic >= 5  # the executions after it was prepared, all on the one plan


def test_auto_lets_postgresql_plan_afresh_first(pg: Database) -> None:
    generic, custom = _plans(pg, DB_PLAN_CACHE_MODE="auto")
    assert custom >= 1
    assert generic + custom >= 5


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValidationError, match="DB_PLAN_CACHE_MODE"):
        Settings.model_validate({"DB_PLAN_CACHE_MODE": "sometimes"})
