"""Pure ASGI middleware: a request id on every answer, and admission with backpressure.

Pure ASGI rather than Starlette's `BaseHTTPMiddleware`, which wraps every request in a task
group and a memory stream: a cost paid by every request for nothing these need.
"""

from __future__ import annotations

import logging
import math
import re
import uuid

import anyio
import anyio.to_thread
from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from registrar.kit.metrics import Occupancy

logger = logging.getLogger("registrar")

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_KEY = b"x-request-id"
_PLAIN_REQUEST_ID = re.compile(r"[A-Za-z0-9._:/-]{1,128}")


def _sent_request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == _REQUEST_ID_KEY:
            sent = value.decode("latin-1")
            # Echo a caller's id only when it is a plain token: it goes into logs and headers.
            return sent if _PLAIN_REQUEST_ID.fullmatch(sent) else ""
    return ""


class RequestContext:
    """Every answer carries `X-Request-ID`; an unexpected error becomes a JSON 500 with it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Give the request its id and log its answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _sent_request_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message).append(REQUEST_ID_HEADER, rid)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error (request %s)", rid)
            if started:
                raise
            response = JSONResponse(
                status_code=500,
                content={"error": "Internal server error", "request_id": rid},
                headers={REQUEST_ID_HEADER: rid},
            )
            await response(scope, receive, send)


# Threads kept free above the admission limit, for the serialization hop of admitted requests
# that still run on worker threads.
THREAD_HEADROOM = 8


class Admission:
    """At most `limit` requests inside the app; up to `queue` more wait their turn (for at most
    `wait` seconds), and any beyond that are turned away at once with 503 and Retry-After.

    An overloaded worker then answers quickly "come back soon" instead of letting every request
    wait ever longer. The probes (`exempt`) always go straight in: a busy worker is alive.
    Endpoints on worker threads cannot exhaust the thread pool either: the limit stays below
    its size, so a finished request always finds a thread to send its answer.
    """

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        queue: int,
        wait: float,
        exempt: frozenset[str],
        occupancy: Occupancy | None = None,
    ) -> None:
        self.app = app
        self.exempt = exempt
        self.limit = limit
        self.queue = queue
        self.wait = wait
        self._slots: anyio.Semaphore | None = None
        # Where the waiting count is kept, so that a scrape of /metrics can read it.
        self._occupancy = occupancy or Occupancy()
        self._occupancy.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Admit the request, or answer 503 at once when the worker is full."""
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            # Created on first use, inside the server's event loop. A free slot is taken without
            # yielding to the loop: the request is about to run anyway.
            self._slots = self._occupancy.slots = anyio.Semaphore(self.limit, fast_acquire=True)
            ensure_thread_headroom(self.limit)
        slots = self._slots
        if slots.value == 0:
            occupancy = self._occupancy
            if occupancy.waiting >= self.queue:
                await _busy(scope, receive, send, retry_after=1)
                return
            occupancy.waiting += 1
            try:
                with anyio.move_on_after(self.wait) as waited:
                    await slots.acquire()
            finally:
                occupancy.waiting -= 1
            if waited.cancelled_caught:
                await _busy(scope, receive, send, retry_after=math.ceil(self.wait))
                return
        else:
            await slots.acquire()
        try:
            await self.app(scope, receive, send)
        finally:
            slots.release()


async def _busy(scope: Scope, receive: Receive, send: Send, *, retry_after: int) -> None:
    response = JSONResponse(
        status_code=503,
        content={"error": "The service is busy; try again shortly"},
        headers={"Retry-After": str(retry_after)},
    )
    await response(scope, receive, send)


def ensure_thread_headroom(limit: int) -> None:
    """Grow the worker-thread pool so admitted requests can never exhaust it."""
    threads = anyio.to_thread.current_default_thread_limiter()
    threads.total_tokens = max(threads.total_tokens, limit + THREAD_HEADROOM)
