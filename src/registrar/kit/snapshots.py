"""Big lists served from a snapshot: JSON built once, gzipped once, revalidated by ETag.

The open term's offerings (2,400 sections, 800 KB of JSON) are asked for by every student's
client in a rush, and change only in their counters. Each worker builds the list at most once
per `max_age` seconds (one caller builds, the others wait for it), keeps it serialized and
compressed, and answers `If-None-Match` with 304. Counts may then be up to `max_age` old: the
registration itself is always decided on the live row.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

GZIP_LEVEL = 5


@dataclass(frozen=True)
class Snapshot:
    """A serialized answer with its entity tag and its gzip encoding."""

    etag: str
    body: bytes
    gzipped: bytes
    built_at: float


def snapshot_of(body: bytes) -> Snapshot:
    """The snapshot of a JSON body; equal bodies get equal tags."""
    digest = hashlib.blake2b(body, digest_size=12).hexdigest()
    return Snapshot(
        etag=f'"{digest}"',
        body=body,
        gzipped=gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0),
        built_at=time.monotonic(),
    )


class SnapshotCache:
    """Snapshots by key, each fresh for `max_age` seconds (0: built for every request)."""

    def __init__(self, max_age: float, max_entries: int = 256) -> None:
        self.max_age = max_age
        self.max_entries = max_entries
        self._entries: dict[Hashable, Snapshot] = {}
        self._building: dict[Hashable, asyncio.Future[Snapshot]] = {}

    async def get(self, key: Hashable, build: Callable[[], Awaitable[bytes]]) -> Snapshot:
        """The fresh snapshot for `key`, built by `build` when there is none; concurrent
        callers share one build."""
        found = self._entries.get(key)
        if found is not None and time.monotonic() - found.built_at < self.max_age:
            return found
        pending = self._building.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Snapshot] = asyncio.get_running_loop().create_future()
        self._building[key] = future
        try:
            snapshot = snapshot_of(await build())
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: the waiters (if any) re-raise it themselves
            raise
        finally:
            del self._building[key]
        future.set_result(snapshot)
        if self.max_age > 0:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[key] = snapshot
        return snapshot


def respond(request: Request, snapshot: Snapshot, *, status_code: int = 200) -> Response:
    """The snapshot as an answer: 304 when the client holds it, gzip when it takes gzip."""
    headers = {
        "ETag": snapshot.etag,
        "Cache-Control": "private, no-cache",
        "Vary": "Accept-Encoding",
    }
    if _matches(request.headers.get("if-none-match", ""), snapshot.etag):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        return Response(
            snapshot.gzipped,
            status_code=status_code,
            media_type="application/json",
            headers=headers,
        )
    return Response(
        snapshot.body, status_code=status_code, media_type="application/json", headers=headers
    )


def _matches(if_none_match: str, etag: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags or "*" in tags
