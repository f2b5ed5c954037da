"""Request bodies are bounded before anything parses them: beyond the limit, 413.

Pure ASGI, like the rest of `kit.middleware`. A declared `Content-Length` over the limit is
refused before the app (or the admission queue) sees the request; a body without one (chunked)
is counted as it streams in, and the 413 is answered the moment it passes the limit, whatever
the app was doing with it: whatever the app then sends is dropped.
"""

from __future__ import annotations

import logging

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("registrar")

# Bodies that carry a file (CSV imports, grade uploads) may be larger than JSON ones.
UPLOAD_MEDIA_TYPES = frozenset({"multipart/form-data", "text/csv", "text/plain", "application/csv"})


class _TooLarge(Exception):
    """Raised into the app when its body passes the limit (the 413 is already sent)."""


def media_type(scope: Scope) -> str:
    """The request's media type, lower case, without parameters ('' when none is sent)."""
    value = Headers(scope=scope).get("content-type", "")
    return value.split(";", 1)[0].strip().lower()


def _declared_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None  # the server refuses a malformed length before we could


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    response = JSONResponse(
        status_code=413,
        content={"error": f"The request body is larger than {limit} bytes", "max_bytes": limit},
    )
    await response(scope, receive, send)


class BodyLimit:
    """At most `json_bytes` of body per request, or `upload_bytes` for a file upload."""

    def __init__(self, app: ASGIApp, json_bytes: int, upload_bytes: int) -> None:
        self.app = app
        self.json_bytes = json_bytes
        self.upload_bytes = upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a body over its limit before the app reads it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_bytes if media_type(scope) in UPLOAD_MEDIA_TYPES else self.json_bytes
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _too_large(scope, receive, send, limit)
            return
        received = 0
        started = answered = False

        async def counted_receive() -> Message:
            nonlocal received, answered
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if not started and not answered:
                        answered = True
                        await _too_large(scope, receive, send, limit)
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if answered:
                return  # the 413 went out; whatever the app makes of its failed read does not
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not answered:
                raise
            logger.debug("request body over %d bytes refused", limit)
