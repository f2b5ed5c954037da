"""Requests get the request path's connections in the order they asked for them (`db.Turns`)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from registrar.db import AsyncDatabase, Database, Turns, build_async_engine
from registrar.kit.unit import Unit


def _one_connection(database: Database, turns: Turns | None) -> AsyncDatabase:
    url = database.engine.url
    writes = build_async_engine(url, pool_size=1, max_overflow=0)
    reads = build_async_engine(url, pool_size=1, max_overflow=0, autocommit=True)
    return AsyncDatabase(writes, reads, turns=turns)


async def _arrivals(serving: AsyncDatabase) -> list[str]:
    """Three readers queue behind one that holds the only connection; a fourth arrives just as
    it is given back. Returns the order in which the four got to read."""
    served: list[str] = []

    def read(session: Session, name: str) -> None:
        session.execute(text("SELECT 1"))
        served.append(name)

    release = asyncio.Event()
    loop = asyncio.get_running_loop()
    arrivals: list[asyncio.Task[None]] = []

    def arrive_as_it_is_given_back(*_: object) -> None:
        # The moment the pool takes the holder's connection back, before it wakes anyone.
        if release.is_set() and len(arrivals) == 3:
            arrivals.append(loop.create_task(Unit(serving, 5).read(read, "late")))

    event.listen(serving.read_engine.sync_engine.pool, "checkin", arrive_as_it_is_given_back)

    async def holder() -> None:
        async with serving.session(write=False) as session:
            await session.execute(text("SELECT 1"))
            await release.wait()

    holding = asyncio.create_task(holder())
    await asyncio.sleep(0.05)
    for name in ("first", "second", "third"):
        arrivals.append(asyncio.create_task(Unit(serving, 5).read(read, name)))
        await asyncio.sleep(0.02)  # each is queued before the next arrives
    release.set()
    await holding
    await asyncio.gather(*arrivals)
    await serving.dispose()
    return served


def test_connections_are_given_in_arrival_order(pg: Database) -> None:
    served = asyncio.run(_arrivals(_one_connection(pg, Turns(1, wait_seconds=5))))
    assert served == ["first", "second", "third", "late"]


def _one(session: Session) -> int:
    return int(session.execute(text("SELECT 1")).scalar_one())


def test_a_turn_not_given_in_time_is_the_pools_timeout(pg: Database) -> None:
    async def scenario() -> None:
        serving = _one_connection(pg, Turns(1, wait_seconds=0.2))
        try:
            async with serving.turn(write=False):
                waiter = asyncio.create_task(Unit(serving, 5).read(_one))
                await asyncio.sleep(0.05)
                assert serving.waiting_turns(write=False) == 1  # what the pool gauge adds
                with pytest.raises(PoolTimeout):
                    async with asyncio.timeout(5):  # a line that never times out fails here
                        await waiter
            assert serving.waiting_turns(write=False) == 0
            # The turn that timed out was never taken: the next one is free at once.
            assert await Unit(serving, 5).read(_one) == 1
        finally:
            await serving.dispose()

    asyncio.run(scenario())
