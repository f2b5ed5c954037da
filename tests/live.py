"""A real server for tests: uvicorn in a background thread, on a real database."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from registrar.config import Settings
from registrar.db import Database, build_engine
from registrar.main import create_app
from tests.conftest import make_settings


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: Settings


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve_live(database: Database, **overrides: object) -> Iterator[LiveServer]:
    """The app on the database, served on a free port until the block ends."""
    url = database.engine.url.render_as_string(hide_password=False)
    served = Database(build_engine(url, pool_size=20, max_overflow=20))
    settings = make_settings(database, **overrides)
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
    try:
        while not server.started:
            assert thread.is_alive(), "the server did not start"
            assert time.monotonic() < deadline, "the server took too long to start"
            time.sleep(0.02)
        yield LiveServer(url=f"http://127.0.0.1:{port}", settings=settings)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        served.dispose()
