"""A real HTTP server on a real database, and many clients firing at it at once."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from registrar.auth.models import User
from registrar.auth.tokens import issue_token
from registrar.config import Settings
from registrar.db import Database
from tests.live import LiveServer, serve_live


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "concurrency: races many HTTP clients against a live server (both backends)"
    )


@pytest.fixture
def live_server(database: Database) -> Iterator[LiveServer]:
    """Uvicorn in a background thread, on its own engine with room for many connections.

    These tests count outcomes, not time: a section's queue, the admission queue and the pool
    may each wait as long as a slow, shared machine needs (the 503 of a wait that ran out has
    tests of its own). Seen once under a loaded CI run: a 200-student rush that waited over 5 s
    for a pooled connection.
    """
    waits = {"SECTION_WAIT": "60", "QUEUE_TIMEOUT": "60", "DB_POOL_TIMEOUT": "60"}
    with serve_live(database, **waits) as server:
        yield server


def tokens_for(database: Database, settings: Settings, user_ids: Sequence[uuid.UUID]) -> list[str]:
    """Bearer tokens signed directly with the app's key.

    Logging 200 students in through the API would spend most of the test in argon2 (which is
    slow on purpose); the login endpoint has its own tests, so here tokens are issued directly.
    """
    with database.session(write=False) as session:
        users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
    return [issue_token(users[user_id], settings)[0] for user_id in user_ids]


@dataclass(frozen=True)
class Reply:
    index: int
    status: int
    body: Any


Request = tuple[str, str, str, dict[str, Any] | None]  # method, path, token, json


def fire(server: LiveServer, requests: Sequence[Request]) -> list[Reply]:
    """Send every request at the same moment, each from its own client and connection."""
    gate = threading.Barrier(len(requests))
    # One TLS context for all: building one per client costs more than the whole race.
    tls = httpx.create_ssl_context()

    def send(index: int) -> Reply:
        method, path, token, body = requests[index]
        with httpx.Client(base_url=server.url, timeout=60, verify=tls) as client:
            gate.wait()
            response = client.request(
                method, path, json=body, headers={"Authorization": f"Bearer {token}"}
            )
        return Reply(index=index, status=response.status_code, body=response.json())

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        replies = list(pool.map(send, range(len(requests))))
    errors = [reply for reply in replies if reply.status >= 500]
    assert not errors, errors[:3]
    return replies


Fire = Callable[[Sequence[Request]], list[Reply]]
