"""`db.DescribedOnceCursor` describes a result as psycopg does, whatever shape came before."""

from __future__ import annotations

import asyncio

import psycopg

from registrar.db import Database, DescribedOnceCursor, build_async_engine


def _described(cursor: psycopg.AsyncCursor[object]) -> list[tuple[object, ...]]:
    return [tuple(column) for column in cursor.description or ()]


def test_each_shape_is_described_as_psycopg_describes_it(pg: Database) -> None:
    statements = [
        "SELECT 1 AS a, 'x'::text AS b",
        "SELECT 'x'::text AS a, 1 AS b",  # the same names, other types
        "SELECT 1.5::numeric(5, 2) AS a",
        "SELECT 1.5::numeric(7, 3) AS a",  # the same type, another modifier
        "SELECT 1 AS a, 'x'::text AS b",  # a shape seen before
    ]

    async def compare() -> None:
        url = pg.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        async with (
            await psycopg.AsyncConnection.connect(url) as plain,
            await psycopg.AsyncConnection.connect(url, cursor_factory=DescribedOnceCursor) as ours,
        ):
            for statement in statements:
                expected = await plain.execute(statement)
                cursor = await ours.execute(statement)
                assert isinstance(cursor, DescribedOnceCursor)
                assert _described(cursor) == _described(expected), statement
                first, again = cursor.description or [], cursor.description or []
                assert first is not again  # a list of its own for each caller
                assert all(a is b for a, b in zip(first, again, strict=True))  # described once
            no_rows = await ours.execute("SET application_name = 'described'")
            assert no_rows.description is None

    asyncio.run(compare())


def test_the_serving_engine_describes_with_it(pg: Database) -> None:
    async def factory() -> type[object]:
        engine = build_async_engine(pg.engine.url)
        try:
            async with engine.connect() as connection:
                raw = await connection.get_raw_connection()
                assert raw.driver_connection is not None
                return type(raw.driver_connection.cursor())
        finally:
            await engine.dispose()

    assert asyncio.run(factory()) is DescribedOnceCursor
