"""`registrar serve --workers 2` for real: each worker on a socket of its own, a worker that
dies replaced, and SIGTERM ending everything cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from registrar.serving import reuse_port_socket
from tests import dbs
from tests.conftest import TEST_SECRET


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def _workers(pid: int) -> list[int]:
    """The supervisor's worker processes (not multiprocessing's resource tracker)."""
    return [
        child
        for child in _children(pid)
        if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


def _wait_until(predicate: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    database = dbs.migrated(dbs.sqlite_url(tmp_path), pool_size=1)
    url = database.engine.url.render_as_string(hide_password=False)
    database.dispose()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "REGISTRAR_ENV": "test"}
    command = [str(Path(sys.executable).with_name("registrar")), "serve", "--workers", "2"]
    process = subprocess.Popen(
        [*command, "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return httpx.get(f"{base}/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        assert _wait_until(healthy, 30), "the server did not come up"
        assert _wait_until(lambda: len(_workers(process.pid)) == 2, 30)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_two_workers_serve_and_stop_cleanly_on_sigterm(
    served: tuple[subprocess.Popen[bytes], str],
) -> None:
    process, base = served
    workers = _workers(process.pid)
    for _ in range(20):  # new connections, spread by the kernel over the two sockets
        with httpx.Client(base_url=base, timeout=5) as client:
            assert client.get("/health").status_code == 200

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=40) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def test_a_worker_that_dies_is_replaced(served: tuple[subprocess.Popen[bytes], str]) -> None:
    process, base = served
    [first, second] = _workers(process.pid)
    os.kill(first, signal.SIGKILL)
    assert _wait_until(lambda: len(set(_workers(process.pid)) - {first, second}) == 1, 30)
    assert httpx.get(f"{base}/health", timeout=5).status_code == 200


def test_the_sockets_share_one_port() -> None:
    first = reuse_port_socket("127.0.0.1", 0)
    port = first.getsockname()[1]
    second = reuse_port_socket("127.0.0.1", port)
    try:
        assert second.getsockname()[1] == port
    finally:
        first.close()
        second.close()


def test_workers_stop_when_the_supervisor_is_killed(
    served: tuple[subprocess.Popen[bytes], str],
) -> None:
    """A worker left behind would keep a share of the port's connections (SO_REUSEPORT)."""
    process, _base = served
    workers = _workers(process.pid)
    process.kill()
    process.wait()
    assert _wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), 15)


def test_answers_carry_no_server_banner_and_the_security_headers(
    served: tuple[subprocess.Popen[bytes], str],
) -> None:
    _process, base = served
    with httpx.Client(base_url=base, timeout=5) as client:
        answers = [client.get("/health"), client.get("/no/such/route"), client.get("/auth/me")]
    assert [a.status_code for a in answers] == [200, 404, 401]
    for answer in answers:
        assert "server" not in answer.headers  # uvicorn's `server: uvicorn` banner is off
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "no-referrer"
