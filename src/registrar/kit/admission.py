"""Admit a bounded number of requests into the app; the rest wait in the event loop.

Sync endpoints and their dependencies run on AnyIO's worker threads, and FastAPI validates a
returned response model in a second trip to that pool *before* a `scope="function"` session
dependency commits. In a registration rush every worker thread can end up waiting for a
section's row lock (or SQLite's write lock) held by a finished request that is itself waiting
for a thread to serialize its answer: a deadlock until a timeout. Keeping the number of requests
inside the app below the number of worker threads leaves threads free for those hops, and the
requests beyond the limit wait without holding a thread or a database connection.
"""

from __future__ import annotations

import anyio
import anyio.to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

# Threads kept free above the admission limit, for the serialization hop of admitted requests.
THREAD_HEADROOM = 8


class AdmissionLimit:
    """ASGI middleware: at most `limit` HTTP requests are inside the app at once."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._slots: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            # Created on first use, inside the server's event loop.
            self._slots = anyio.Semaphore(self.limit)
            ensure_thread_headroom(self.limit)
        async with self._slots:
            await self.app(scope, receive, send)


def ensure_thread_headroom(limit: int) -> None:
    """Grow the worker-thread pool so admitted requests can never exhaust it."""
    threads = anyio.to_thread.current_default_thread_limiter()
    threads.total_tokens = max(threads.total_tokens, limit + THREAD_HEADROOM)
