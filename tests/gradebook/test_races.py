"""Completing a term while the student drops the same enrollment (PostgreSQL decides)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.main import create_app
from tests import factories
from tests.conftest import make_settings
from tests.enrollment.support import assert_consistent
from tests.gradebook import world as w


@pytest.fixture
def pg_client(pg: Database) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(pg), pg)) as client:
        yield client


def _login(client: TestClient, book: w.Gradebook, username: str) -> dict[str, str]:
    response = client.post(
        "/auth/login",
        json={"username": username, "password": factories.PASSWORD},
        headers={"x-tenant-tag": book.tenant},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.mark.parametrize("first", ["complete", "drop"])
def test_completion_and_a_drop_of_the_same_enrollment_do_not_both_win(
    pg: Database, pg_client: TestClient, first: str
) -> None:
    """Either may win (the one queued first usually does), never both: the counters agree."""
    with pg.session() as s:
        book = w.build(s, students=2)
    teacher = _login(pg_client, book, book.teacher)
    student = _login(pg_client, book, book.rolls[0])
    target = book.enrollment_ids[0]
    for enrollment_id in book.enrollment_ids:
        url = book.url(f"grades/{enrollment_id}")
        assert pg_client.put(url, headers=teacher, json={"grade": "B"}).status_code == 200
    enrolled_before = w.counters(pg, book)[0]

    with pg.engine.connect() as holder, ThreadPoolExecutor(max_workers=2) as pool:
        # Hold the row so both requests queue on it, then let them race for it.
        holder.execute(select(Enrollment.id).where(Enrollment.id == target).with_for_update())
        requests = {
            "complete": lambda: pg_client.post(book.url("complete"), headers=teacher),
            "drop": lambda: pg_client.post(
                "/api/student-portal/courses/drop/",
                headers=student,
                json={"enrollment_id": str(target)},
            ),
        }
        second = "drop" if first == "complete" else "complete"
        futures = {first: pool.submit(requests[first])}
        time.sleep(0.3)  # the first request queues on the row lock before the second
        futures[second] = pool.submit(requests[second])
        time.sleep(0.3)
        holder.rollback()
        completed, dropped = futures["complete"].result(30), futures["drop"].result(30)

    assert completed.status_code == 200, completed.text
    final = w.statuses(pg, book)[target]
    completed_ids = {c["enrollment_id"] for c in completed.json()["completed"]}
    if final is EnrollmentStatus.COMPLETED:
        assert dropped.status_code == 400, dropped.text
        assert dropped.json()["error"] == "Enrollment is not active"
        assert str(target) in completed_ids
        assert w.counters(pg, book)[0] == enrolled_before
    else:
        assert final in (EnrollmentStatus.DROPPED, EnrollmentStatus.WITHDRAWN)
        assert dropped.status_code == 200, dropped.text
        assert str(target) not in completed_ids
        assert w.counters(pg, book)[0] == enrolled_before - 1
    assert w.statuses(pg, book)[book.enrollment_ids[1]] is EnrollmentStatus.COMPLETED
    assert_consistent(pg, book.section_id)
