"""`kit.snapshots.SnapshotCache`: one build at a time, shared by the callers that wait for it;
a failed build fails its waiters and leaves nothing behind."""

from __future__ import annotations

import asyncio
import gzip

import uvloop

from registrar.kit.snapshots import Snapshot, SnapshotCache


class Builds:
    """Bodies `b"1"`, `b"2"`... each released when the test says so."""

    def __init__(self) -> None:
        self.count = 0
        self.release = asyncio.Event()

    async def __call__(self) -> bytes:
        self.count += 1
        number = self.count
        await self.release.wait()
        return str(number).encode()


def test_callers_during_the_first_build_wait_for_it_and_share_it() -> None:
    async def scenario() -> list[Snapshot]:
        cache, builds = SnapshotCache(max_age=60), Builds()
        callers = [asyncio.create_task(cache.get("k", builds)) for _ in range(3)]
        await asyncio.sleep(0.01)
        assert not any(caller.done() for caller in callers)  # nothing to serve yet
        builds.release.set()
        return list(await asyncio.gather(*callers))

    got = uvloop.run(scenario())
    assert [snapshot.body for snapshot in got] == [b"1"] * 3
    assert gzip.decompress(got[0].gzipped) == b"1"


def test_a_failed_build_reaches_its_waiters_and_the_next_caller_tries_again() -> None:
    async def failing() -> bytes:
        await asyncio.sleep(0.01)
        raise RuntimeError("the database went away")

    async def scenario() -> tuple[list[str], bytes]:
        cache = SnapshotCache(max_age=60)
        results = await asyncio.gather(
            cache.get("k", failing), cache.get("k", failing), return_exceptions=True
        )

        async def working() -> bytes:
            return b"ok"

        return [str(r) for r in results], (await cache.get("k", working)).body

    errors, body = uvloop.run(scenario())
    assert errors == ["the database went away"] * 2
    assert body == b"ok"
