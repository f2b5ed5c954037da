"""A real HTTP server on a real database, and many clients firing at it at once."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import select

from registrar.auth.models import User
from registrar.auth.tokens import issue_token
from registrar.config import Settings
from registrar.db import Database, build_engine
from registrar.main import create_app
from tests.conftest import make_settings


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "concurrency: races many HTTP clients against a live server (both backends)"
    )


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: Settings


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def live_server(database: Database) -> Iterator[LiveServer]:
    """Uvicorn in a background thread, on its own engine with room for many connections."""
    url = database.engine.url.render_as_string(hide_password=False)
    served = Database(build_engine(url, pool_size=20, max_overflow=20))
    settings = make_settings(database)
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, served),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        backlog=512,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "the server did not start"
        assert time.monotonic() < deadline, "the server took too long to start"
        time.sleep(0.02)
    yield LiveServer(url=f"http://127.0.0.1:{port}", settings=settings)
    server.should_exit = True
    thread.join(timeout=20)
    served.dispose()


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
