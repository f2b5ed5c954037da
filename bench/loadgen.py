"""A small asyncio HTTP/1.1 load generator: keep-alive connections over raw sockets.

The benchmarks run on the same two cores as the server, so the client must cost far less per
request than the server does: no HTTP library, requests serialized once up front, responses
parsed only as far as the status line and the body's length. On this machine one connection
loop costs about 40 us of CPU per request (uvloop), a few percent of a core at 1,500 req/s.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

try:  # uvloop ships with uvicorn[standard]; plain asyncio works too, only slower
    import uvloop
except ImportError:  # pragma: no cover
    uvloop = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Request:
    """One request, serialized once; `tag` groups results in the report."""

    tag: str
    raw: bytes


def build(
    method: str,
    path: str,
    *,
    token: str | None = None,
    json_body: bytes | None = None,
    tag: str = "",
    headers: dict[str, str] | None = None,
) -> Request:
    """A request ready to be written to a keep-alive connection."""
    lines = [f"{method} {path} HTTP/1.1", "Host: bench"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    body = json_body or b""
    if json_body is not None:
        lines.append("Content-Type: application/json")
    if method in ("POST", "PUT", "PATCH") or body:
        lines.append(f"Content-Length: {len(body)}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode()
    return Request(tag=tag or f"{method} {path}", raw=head + body)


@dataclass(frozen=True)
class Result:
    """What came back for one request."""

    tag: str
    status: int
    seconds: float
    body: bytes
    started: float = 0.0  # when it was sent, in seconds from the start of the run


class _Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self.reader, self.writer

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def send(self, request: Request) -> tuple[int, bytes]:
        reader, writer = await self._open()
        writer.write(request.raw)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lowered = head.lower()
        body = b""
        at = lowered.find(b"\r\ncontent-length:")
        if at >= 0:
            end = lowered.index(b"\r\n", at + 2)
            body = await reader.readexactly(int(lowered[at + 17 : end]))
        elif b"transfer-encoding: chunked" in lowered:
            body = await _read_chunked(reader)
        if b"\r\nconnection: close" in lowered:
            self.close()
        return status, body


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


async def _drive(
    host: str,
    port: int,
    requests: Iterator[Request],
    deadline: float,
    keep_body: bool,
    origin: float,
) -> list[Result]:
    connection = _Connection(host, port)
    results: list[Result] = []
    clock = time.perf_counter
    try:
        for request in requests:
            if clock() >= deadline:
                break
            started = clock()
            try:
                status, body = await connection.send(request)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                connection.close()
                status, body = 0, b""
            results.append(
                Result(
                    request.tag,
                    status,
                    clock() - started,
                    body if keep_body else b"",
                    started - origin,
                )
            )
    finally:
        connection.close()
    return results


async def _run(
    base: str,
    requests: Iterator[Request],
    concurrency: int,
    seconds: float | None,
    keep_body: bool,
) -> tuple[list[Result], float]:
    host, port = _host_port(base)
    started = time.perf_counter()
    deadline = started + seconds if seconds else float("inf")
    batches = await asyncio.gather(
        *(_drive(host, port, requests, deadline, keep_body, started) for _ in range(concurrency))
    )
    elapsed = time.perf_counter() - started
    return [result for batch in batches for result in batch], elapsed


def _host_port(base: str) -> tuple[str, int]:
    hostport = base.split("://", 1)[-1].rstrip("/")
    host, _, port = hostport.partition(":")
    return host, int(port or 80)


def run(
    base: str,
    requests: Iterable[Request],
    *,
    concurrency: int,
    seconds: float | None = None,
    keep_body: bool = False,
) -> Report:
    """Send `requests` (each once, or cycling until `seconds` pass) over `concurrency`
    keep-alive connections and report what came back."""
    source = iter(requests) if seconds is None else itertools.cycle(list(requests))
    runner = uvloop.run if uvloop is not None else asyncio.run
    results, elapsed = runner(_run(base, source, concurrency, seconds, keep_body))
    results.sort(key=lambda result: result.started)
    return Report(results=results, seconds=elapsed)


@dataclass
class Report:
    """Results of one run with their rate and latency percentiles."""

    results: list[Result]
    seconds: float
    by_status: Counter[int] = field(init=False)

    def __post_init__(self) -> None:
        self.by_status = Counter(result.status for result in self.results)

    @property
    def rate(self) -> float:
        """Requests answered per second."""
        return len(self.results) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in milliseconds."""
        return percentile([result.seconds for result in self.results], p) * 1000

    def only(self, keep: Callable[[Result], bool]) -> Report:
        """The same run restricted to some results (rate over the whole run's time)."""
        return Report(results=[r for r in self.results if keep(r)], seconds=self.seconds)

    def line(self, label: str) -> str:
        """One printable line: count, rate, p50/p95/p99 and statuses."""
        statuses = " ".join(f"{code}:{n}" for code, n in sorted(self.by_status.items()))
        return (
            f"  {label:<34}{len(self.results):>7}{self.rate:>9.0f}"
            f"{self.percentile(50):>9.1f}{self.percentile(95):>9.1f}"
            f"{self.percentile(99):>9.1f}   {statuses}"
        )


HEADER = f"  {'':<34}{'count':>7}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}   statuses"


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank) of the values; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def median(values: Sequence[float]) -> float:
    """The median, 0 for none."""
    return statistics.median(values) if values else 0.0
