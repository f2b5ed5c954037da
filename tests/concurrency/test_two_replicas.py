"""Replicas: two API processes (`registrar serve` each) on one PostgreSQL, a rush split between
them, and every invariant holding after. Nothing a worker caches or gates in its own memory may
be what keeps a section from being oversubscribed: the database decides."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import httpx
import pytest
from locustfiles.audit import in_database

from registrar.db import Database
from tests.concurrency.conftest import tokens_for
from tests.conftest import TEST_SECRET, make_settings
from tests.enrollment.support import assert_consistent
from tests.rush_world import rush_world
from tests.test_serving import _free_port, _wait_until

SEATS, RESERVE, CROWD = 20, 10, 150


@pytest.fixture
def replicas(pg: Database, tmp_path: Path) -> Iterator[list[str]]:
    """Two `registrar serve` processes on the test database, each on its own port."""
    url = pg.engine.url.render_as_string(hide_password=False)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": TEST_SECRET,
        "REGISTRAR_ENV": "test",
        "SECTION_WAIT": "60",  # count outcomes, not time (a slow shared machine may queue)
        "QUEUE_TIMEOUT": "60",
    }
    registrar = str(Path(sys.executable).with_name("registrar"))
    bases, processes = [], []
    for index in range(2):
        port = _free_port()
        log = (tmp_path / f"replica-{index}.log").open("wb")
        command = [registrar, "serve", "--port", str(port)]
        processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
        bases.append(f"http://127.0.0.1:{port}")

    def ready(base: str) -> bool:
        try:
            return httpx.get(f"{base}/ready", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        for base in bases:
            assert _wait_until(partial(ready, base), 30), "a replica did not come up"
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


Call = tuple[str, str, str]  # base URL, path, token


def rush(calls: Sequence[Call]) -> list[tuple[int, dict[str, object]]]:
    """Every call at the same moment, each on its own connection."""
    gate = threading.Barrier(len(calls))

    def send(call: Call) -> tuple[int, dict[str, object]]:
        base, path, token = call
        with httpx.Client(base_url=base, timeout=90) as client:
            gate.wait()
            response = client.post(path, headers={"Authorization": f"Bearer {token}"})
        return response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(send, calls))


@pytest.mark.postgres
@pytest.mark.timeout(180)
def test_a_rush_split_over_two_replicas_keeps_every_invariant(
    pg: Database, replicas: list[str]
) -> None:
    world = rush_world(pg, students=CROWD + 40, roomy=1, hot_seats=SEATS, hot_reserve=RESERVE)
    tokens = tokens_for(pg, make_settings(pg), world.users)
    register = f"/courses/{world.hot}/register"
    crowd = tokens[:CROWD]

    first = rush([(replicas[i % 2], register, token) for i, token in enumerate(crowd)])
    outcomes = Counter((status, body.get("status")) for status, body in first)
    assert outcomes == {(200, "ENROLLED"): SEATS, (200, "RESERVED"): RESERVE, (409, None): 120}
    served_by = Counter(i % 2 for i, (status, _) in enumerate(first) if status == 200)
    assert set(served_by) == {0, 1}  # both replicas took places

    seated = [
        token
        for token, (_, body) in zip(crowd, first, strict=True)
        if body.get("status") == "ENROLLED"
    ]
    queued = [
        token
        for token, (_, body) in zip(crowd, first, strict=True)
        if body.get("status") == "RESERVED"
    ]
    drop = f"/courses/{world.hot}/drop"
    # Five seat holders leave while forty newcomers and the queue's own members try again.
    second = rush(
        [(replicas[i % 2], drop, token) for i, token in enumerate(seated[:5])]
        + [(replicas[i % 2], register, token) for i, token in enumerate(tokens[CROWD:])]
    )
    drops = second[:5]
    assert all(status == 200 for status, _ in drops)
    promoted = {body["promoted_student_id"] for _, body in drops}
    assert None not in promoted
    assert len(promoted) == 5
    assert len(queued) == RESERVE

    state = assert_consistent(pg, world.hot)
    assert state["enrolled_count"] == SEATS  # every freed seat went to the queue at once
    assert int(str(state["waitlisted_count"])) <= RESERVE
    url = pg.engine.url.render_as_string(hide_password=False)
    assert in_database(url) == dict.fromkeys(in_database(url), 0)
