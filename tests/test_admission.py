"""Admission: at most `limit` requests inside, a bounded queue that waits a bounded time, and an
immediate 503 with Retry-After beyond it; the probes always go in."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import uvloop
from starlette.types import Receive, Scope, Send

from registrar.kit.metrics import Occupancy
from registrar.kit.middleware import Admission


class Gate:
    """An app whose requests stay inside until the gate opens."""

    def __init__(self) -> None:
        self.inside = 0
        self.most_inside = 0
        self.open = asyncio.Event()

    async def __call__(self, scope: Scope, _receive: Receive, send: Send) -> None:
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        try:
            if scope["path"] != "/health":
                await self.open.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"done"})
        finally:
            self.inside -= 1


def admitted(gate: Gate, *, limit: int, queue: int, wait: float) -> httpx.AsyncClient:
    app = Admission(gate, limit, queue, wait, exempt=frozenset({"/health"}), occupancy=Occupancy())
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://app")


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def test_beyond_the_limit_and_the_queue_a_request_is_turned_away_at_once() -> None:
    async def scenario() -> None:
        gate = Gate()
        async with admitted(gate, limit=2, queue=1, wait=30) as client:
            inside = [asyncio.create_task(client.get("/work")) for _ in range(2)]
            await _settle()
            queued = asyncio.create_task(client.get("/work"))
            await _settle()
            loop = asyncio.get_running_loop()
            started = loop.time()
            refused = await client.get("/work")
            assert loop.time() - started < 1
            assert refused.status_code == 503
            assert refused.headers["retry-after"] == "1"
            assert refused.json() == {"error": "The service is busy; try again shortly"}
            probe = await client.get("/health")  # a busy worker is alive
            assert probe.status_code == 200

            gate.open.set()
            answers = await asyncio.gather(*inside, queued)
            assert [a.status_code for a in answers] == [200, 200, 200]
            assert gate.most_inside == 2 + 1  # the two admitted and the probe, never the queued

    uvloop.run(scenario())


def test_a_queued_request_waits_only_the_bound() -> None:
    async def scenario() -> None:
        gate = Gate()
        async with admitted(gate, limit=1, queue=5, wait=0.3) as client:
            holder = asyncio.create_task(client.get("/work"))
            await _settle()
            loop = asyncio.get_running_loop()
            started = loop.time()
            waited = await client.get("/work")
            assert 0.25 < loop.time() - started < 2
            assert waited.status_code == 503
            assert waited.headers["retry-after"] == "1"  # the wait, rounded up
            gate.open.set()
            assert (await holder).status_code == 200

    uvloop.run(scenario())


@pytest.mark.parametrize("limit", [1, 3])
def test_a_freed_slot_goes_to_the_request_that_waited(limit: int) -> None:
    async def scenario() -> None:
        gate = Gate()
        async with admitted(gate, limit=limit, queue=10, wait=30) as client:
            first = [asyncio.create_task(client.get("/work")) for _ in range(limit)]
            await _settle()
            waiting = [asyncio.create_task(client.get("/work")) for _ in range(limit)]
            await _settle()
            assert gate.inside == limit
            gate.open.set()
            answers = await asyncio.gather(*first, *waiting)
            assert all(a.status_code == 200 for a in answers)
            assert gate.most_inside == limit

    uvloop.run(scenario())
