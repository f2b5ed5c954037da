"""A database that stops answering: packets go in, nothing comes back, nothing is refused.

Neither the server's timeouts (it never sees the query) nor TCP (the connection is healthy up
to the middlebox) notice; only the service's own bound does. Every request must answer 503
with Retry-After within that bound, and the service must recover when the database does.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from registrar.db import Database, build_engine
from tests import factories
from tests.concurrency.conftest import tokens_for
from tests.live import serve_live

STATEMENT_TIMEOUT = 1.0
# The service's own bound: the statement timeout plus its margin (kit/unit.py), or a fresh
# connection's connect timeout (libpq's minimum is 2 s); plus slack for a shared CI machine. A
# request the bound missed would wait for the client's 60 s timeout.
BOUND = STATEMENT_TIMEOUT + 2.0 + 6.0


class SilentProxy:
    """A TCP relay to PostgreSQL that can go silent: it keeps every socket open and swallows
    whatever arrives, in both directions."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.silent = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self._sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            if not self.silent.is_set():
                try:
                    target.sendall(data)
                except OSError:
                    return

    def close(self) -> None:
        self.listener.close()
        for sock in self._sockets:
            sock.close()


@contextmanager
def silent_proxy(database: Database) -> Iterator[tuple[SilentProxy, Database]]:
    """A proxy in front of the database, and the database as seen through it."""
    url = database.engine.url
    proxy = SilentProxy((url.host or "127.0.0.1", url.port or 5432))
    relayed = Database(build_engine(url.set(host="127.0.0.1", port=proxy.port)))
    try:
        yield proxy, relayed
    finally:
        relayed.dispose()
        proxy.close()


def answer_time(client: httpx.Client, path: str, token: str) -> tuple[int, str | None, float]:
    started = time.monotonic()
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.headers.get("retry-after"), time.monotonic() - started


@pytest.mark.postgres
def test_a_silent_database_is_a_quick_503(pg: Database) -> None:
    with pg.session() as s:
        inst = factories.institution(s, tag="ap-university")
        term = factories.term(s, inst, factories.academic_year(s, inst))
        users = [factories.student(s, inst).user_id for _ in range(3)]
    with silent_proxy(pg) as (proxy, relayed):
        overrides = {"DB_STATEMENT_TIMEOUT": str(STATEMENT_TIMEOUT), "DB_CONNECT_TIMEOUT": "1"}
        with serve_live(relayed, **overrides) as server:
            tokens = tokens_for(pg, server.settings, [u for u in users if u])
            path = f"/semesters/{term.id}/my-courses"
            with httpx.Client(base_url=server.url, timeout=60) as client:
                assert answer_time(client, path, tokens[0])[0] == 200  # a pooled connection

                proxy.silent.set()
                for token in tokens[:2]:  # the pooled connection, then a fresh one
                    status, retry_after, seconds = answer_time(client, path, token)
                    assert status == 503
                    assert retry_after is not None
                    assert seconds < BOUND, seconds
                started = time.monotonic()
                assert client.get("/ready").status_code == 503
                assert time.monotonic() - started < BOUND
                assert client.get("/health").status_code == 200

                proxy.silent.clear()
                assert answer_time(client, path, tokens[2])[0] == 200
