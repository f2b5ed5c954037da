"""`GET /metrics`: the Prometheus text exposition of what `kit.metrics` counts, and more read at
scrape time: the request pools, the admission queue and the notification outbox.

One process: the default registry. Several (`registrar serve --workers N`, which sets
PROMETHEUS_MULTIPROC_DIR): every worker writes its values to files in that folder and whichever
worker answers the scrape adds them all up. Gauges of a worker's own state (its pools and its
admission queue) are written there every `SAMPLE_SECONDS` by each worker, and at once by the
one answering; the outbox is one figure for the whole database, read by the one answering.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from registrar.db import AsyncDatabase
from registrar.kit import metrics
from registrar.kit.unit import Unit
from registrar.notifications import repository as notifications

logger = logging.getLogger("registrar")

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
SAMPLE_SECONDS = 5.0
# A scrape that cannot read the outbox quickly leaves it out rather than hanging.
OUTBOX_SECONDS = 2.0

router = APIRouter()


def multiprocess_mode() -> bool:
    """True when the values of several worker processes are kept in PROMETHEUS_MULTIPROC_DIR."""
    return bool(os.environ.get(MULTIPROC_ENV))


def _waiting(engine: AsyncEngine) -> int:
    """Checkouts waiting for a connection: the getters parked on the async pool's queue.

    SQLAlchemy does not count them itself; this reads its queue, and says 0 where a pool has
    no such queue (SQLite's).
    """
    queue = getattr(getattr(engine.pool, "_pool", None), "_queue", None)
    getters = getattr(queue, "_getters", ())
    return sum(1 for getter in getters if not getter.done())


def _checked_out(engine: AsyncEngine) -> int:
    checkedout = getattr(engine.pool, "checkedout", None)
    return int(checkedout()) if checkedout is not None else 0


def refresh(app: FastAPI) -> None:
    """Set this process's pool and admission gauges from its state now."""
    serving: AsyncDatabase | None = getattr(app.state, "serving", None)
    if serving is not None:
        pools = {"writes": serving.engine}
        if serving.read_engine is not serving.engine:
            pools["reads"] = serving.read_engine
        if not multiprocess_mode():
            # Only this app's pools (another app of the process may have had a reading pool).
            metrics.POOL_IN_USE.clear()
            metrics.POOL_WAITING.clear()
        for name, engine in pools.items():
            metrics.POOL_IN_USE.labels(name).set(_checked_out(engine))
            waiting = serving.waiting_turns(write=name == "writes")  # in line before the pool
            metrics.POOL_WAITING.labels(name).set(waiting + _waiting(engine))
    occupancy: metrics.Occupancy = app.state.occupancy
    metrics.ADMITTED.set(occupancy.inside)
    metrics.QUEUED.set(occupancy.waiting)


@asynccontextmanager
async def sampling(app: FastAPI) -> AsyncIterator[None]:
    """With several workers, keep this worker's gauges fresh while the app serves."""
    if not multiprocess_mode():
        yield
        return

    async def sample() -> None:
        while True:
            refresh(app)
            await anyio.sleep(SAMPLE_SECONDS)

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(sample)
        try:
            yield
        finally:
            tasks.cancel_scope.cancel()


class _Fixed(Collector):
    """Metric families computed before the scrape."""

    def __init__(self, families: Iterable[Metric]) -> None:
        self.families = list(families)

    def collect(self) -> Iterator[Metric]:
        return iter(self.families)


async def _outbox(serving: AsyncDatabase, statement_seconds: float) -> list[Metric]:
    try:
        with anyio.fail_after(OUTBOX_SECONDS):
            depth = await Unit(serving, statement_seconds).read(notifications.depth_by_status)
    except (SQLAlchemyError, OSError, TimeoutError) as error:
        logger.warning("metrics: notification outbox not read (%s)", type(error).__name__)
        return []
    family = GaugeMetricFamily(
        "registrar_notification_outbox",
        "Notifications waiting for delivery (PENDING) or given up on (FAILED)",
        labels=["status"],
    )
    for status, count in depth.items():
        family.add_metric([status.value], count)
    return [family]


@router.get("/metrics", include_in_schema=False)
async def scrape(request: Request) -> Response:
    """Every metric, in Prometheus' text format."""
    app: FastAPI = request.app
    refresh(app)
    extra = CollectorRegistry()
    extra.register(
        _Fixed(await _outbox(app.state.serving, app.state.settings.db_statement_timeout))
    )
    if multiprocess_mode():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    body = generate_latest(registry) + generate_latest(extra)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
