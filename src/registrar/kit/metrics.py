"""What the service counts, and the pure ASGI middleware that times each request.

The request path pays for one counter increment and one histogram observation per request,
labelled by the route's template (`/courses/{course_id}/register`, never the path itself, so
the number of series stays bounded), the method and the status. Everything else (pools, the
admission queue, the outbox) is read when Prometheus scrapes, not measured per request.

With `registrar serve --workers N` the supervisor points PROMETHEUS_MULTIPROC_DIR at a folder
of its own before the workers start; prometheus-client then keeps each worker's values in a
memory-mapped file there and `GET /metrics` adds them up (see `registrar.metrics`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import anyio
from prometheus_client import Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_logger = logging.getLogger("registrar.access")

UNMATCHED = "<unmatched>"  # a path no route takes: one series, whatever was asked

REQUESTS = Counter(
    "registrar_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "registrar_http_request_duration_seconds",
    "Time from the request's arrival to its last byte, by method, route template and status",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

# Counted once the change is committed (see `registrar.portal.writing`).
ENROLLMENTS = Counter("registrar_enrollments", "Seats taken (ENROLLED)")
WAITLIST_JOINS = Counter("registrar_waitlist_joins", "Places taken on a waitlist (reserve list)")
DROPS = Counter("registrar_drops", "Enrollments dropped or withdrawn")
PROMOTIONS = Counter("registrar_waitlist_promotions", "Waitlisted students given a freed seat")
REFUSALS = Counter(
    "registrar_enrollment_refusals", "Enrollments refused, by the rule that refused", ["rule"]
)

# Set when scraped (and, with several workers, every few seconds by each worker); summed over
# the live workers.
POOL_IN_USE = Gauge(
    "registrar_db_pool_checked_out",
    "Connections checked out of the request pools",
    ["pool"],
    multiprocess_mode="livesum",
)
POOL_WAITING = Gauge(
    "registrar_db_pool_waiting",
    "Requests waiting for a connection of the request pools",
    ["pool"],
    multiprocess_mode="livesum",
)
ADMITTED = Gauge(
    "registrar_admission_inside",
    "Requests inside the app (admitted past MAX_CONCURRENT_REQUESTS' gate)",
    multiprocess_mode="livesum",
)
QUEUED = Gauge(
    "registrar_admission_queue_length",
    "Requests waiting to be admitted (at most MAX_QUEUED_REQUESTS per worker)",
    multiprocess_mode="livesum",
)


@dataclass
class Occupancy:
    """How full the admission gate is: `Admission` keeps it, a scrape reads it."""

    limit: int = 0
    waiting: int = 0
    slots: anyio.Semaphore | None = None

    @property
    def inside(self) -> int:
        """Requests admitted and not finished yet."""
        return 0 if self.slots is None else self.limit - self.slots.value


class Observe:
    """Counts and times every HTTP request; with `access_log`, one log line per request.

    The line carries the request id (the one in `X-Request-ID`), the route, the status, the
    duration, and the user id and institution when the request was authenticated.
    """

    def __init__(self, app: ASGIApp, *, access_log: bool) -> None:
        self.app = app
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count and time the request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an answer never started is a failure

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or UNMATCHED
            method = scope["method"]
            REQUESTS.labels(method, route, status).inc()
            LATENCY.labels(method, route, status).observe(elapsed)
            if self.access_log:
                _log_request(scope, method, route, status, elapsed)


def _log_request(scope: Scope, method: str, route: str, status: int, elapsed: float) -> None:
    state = scope.get("state", {})
    principal = state.get("principal")
    user = getattr(principal, "user", None)
    institution = getattr(principal, "institution", None)
    duration_ms = round(elapsed * 1000, 2)
    access_logger.info(
        "%s %s %d %.1fms",
        method,
        scope["path"],
        status,
        duration_ms,
        extra={
            "request_id": state.get("request_id"),
            "method": method,
            "route": route,
            "path": scope["path"],
            "status": status,
            "duration_ms": duration_ms,
            "user_id": str(user.id) if user is not None else None,
            "institution": getattr(institution, "tag", None),
        },
    )
