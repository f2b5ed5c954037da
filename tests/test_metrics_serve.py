"""`registrar serve --workers 2`: /metrics adds up what every worker counted, whichever worker
answers the scrape; the workers write JSON lines with the request id of each answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests import dbs
from tests.conftest import TEST_SECRET
from tests.metrics import parse, value
from tests.test_serving import _free_port, _wait_until, _workers

REQUESTS = 40


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    database = dbs.migrated(dbs.sqlite_url(tmp_path), pool_size=1)
    url = database.engine.url.render_as_string(hide_password=False)
    database.dispose()
    port = _free_port()
    folder = tmp_path / "metrics"
    log = tmp_path / "serve.log"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": TEST_SECRET,
        "REGISTRAR_ENV": "test",
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "LOG_FORMAT": "json",
        "ACCESS_LOG": "true",
    }
    command = [str(Path(sys.executable).with_name("registrar")), "serve", "--workers", "2"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port)], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return httpx.get(f"{base}/ready", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        assert _wait_until(healthy, 30), log.read_text()
        assert _wait_until(lambda: len(_workers(process.pid)) == 2, 30)
        yield base, folder, log
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_every_workers_counts_are_in_every_scrape(served: tuple[str, Path, Path]) -> None:
    base, folder, _ = served
    for _ in range(REQUESTS):
        # A connection each: the kernel spreads them over both workers' sockets.
        with httpx.Client(base_url=base, headers={"Connection": "close"}) as client:
            response = client.get("/courses/not-an-id")
            assert response.status_code == 401
    # Each worker keeps its values in a file of its own in the folder.
    answered_by = {path.name for path in folder.glob("counter_*.db")}
    assert len(answered_by) == 2, answered_by
    route = {"method": "GET", "route": "/courses/{course_id}", "status": "401"}
    for _ in range(4):
        with httpx.Client(base_url=base, headers={"Connection": "close"}) as client:
            samples = parse(client.get("/metrics").text)
        assert value(samples, "registrar_http_requests_total", **route) == REQUESTS
        assert value(samples, "registrar_http_request_duration_seconds_count", **route) == REQUESTS
        # Gauges of the live workers, summed: nothing waits now.
        assert value(samples, "registrar_admission_queue_length") == 0


def test_the_workers_write_json_lines_with_the_request_id(served: tuple[str, Path, Path]) -> None:
    base, _, log = served
    response = httpx.get(f"{base}/health", headers={"X-Request-ID": "trace-me-42"})
    assert response.headers["x-request-id"] == "trace-me-42"

    def logged() -> list[dict[str, object]]:
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
        return [line for line in lines if line.get("request_id") == "trace-me-42"]

    assert _wait_until(lambda: logged(), 10)
    [line] = logged()
    assert (line["route"], line["status"], line["logger"]) == ("/health", 200, "registrar.access")
    # Every line the server wrote is JSON, uvicorn's own included (json.loads above).
