"""The registration endpoints' statements per request, held exactly so none creeps back.

Counted on PostgreSQL and SQLite with the login cached (as it is for every request after a
student's first on a worker). SQLite's BEGIN is a statement of ours; PostgreSQL's is the
driver's and not counted; reads on PostgreSQL run outside any transaction.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from registrar.db import Database
from tests import factories
from tests.portal.registration.conftest import Campus
from tests.statements import counting, engines_of

Call = Callable[[TestClient, Campus, dict[str, str]], Response]


def log_in(client: TestClient, roll: str) -> dict[str, str]:
    response = client.post("/auth/login", json={"username": roll, "password": factories.PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def statements(client: TestClient, campus: Campus, call: Call) -> tuple[int, int]:
    """(status, statements) of one call, in steady state: the login cached, and the catalog
    cache warmed by another student making the same call first."""
    headers = log_in(client, campus.rolls[0])
    assert client.get("/auth/me", headers=headers).status_code == 200
    call(client, campus, log_in(client, campus.rolls[1]))
    with counting(engines_of(client)) as sent:
        response = call(client, campus, headers)
    return response.status_code, len(sent)


def register(client: TestClient, campus: Campus, headers: dict[str, str]) -> Response:
    response: Response = client.post(f"/courses/{campus.algo}/register", headers=headers)
    return response


def register_closed(client: TestClient, campus: Campus, headers: dict[str, str]) -> Response:
    response: Response = client.post(f"/courses/{campus.later}/register", headers=headers)
    return response


def my_courses(client: TestClient, campus: Campus, headers: dict[str, str]) -> Response:
    response: Response = client.get(f"/semesters/{campus.open_term}/my-courses", headers=headers)
    return response


def offerings(client: TestClient, campus: Campus, headers: dict[str, str]) -> Response:
    response: Response = client.get(f"/semesters/{campus.open_term}/courses", headers=headers)
    return response


def one_offering(client: TestClient, campus: Campus, headers: dict[str, str]) -> Response:
    response: Response = client.get(f"/courses/{campus.dbms}", headers=headers)
    return response


# (status, PostgreSQL statements, SQLite statements)
BUDGET: dict[str, tuple[Call, int, int, int]] = {
    # The unlocked snapshot; then lock the student, read their rows, and on PostgreSQL one
    # statement for the seat, the enrollment, its audit event and the student's notice (four on
    # SQLite).
    "register": (register, 200, 4, 9),
    # Refused by the snapshot alone: no lock, no transaction.
    "register, window closed": (register_closed, 400, 1, 2),
    # Nothing held yet: the same statement tells an empty semester from an unknown one.
    "my-courses": (my_courses, 200, 1, 2),
    "semester courses": (offerings, 200, 1, 2),
    "one course": (one_offering, 200, 1, 2),
}


@pytest.mark.parametrize("name", list(BUDGET))
def test_statements_per_request(
    steady_client: TestClient, campus: Campus, database: Database, name: str
) -> None:
    call, status, on_postgres, on_sqlite = BUDGET[name]
    answered, sent = statements(steady_client, campus, call)
    assert answered == status
    assert sent == (on_sqlite if database.is_sqlite else on_postgres)


def test_a_drop_promoting_the_reserve_list(
    steady_client: TestClient, campus: Campus, database: Database
) -> None:
    client = steady_client
    first, second = (log_in(client, roll) for roll in campus.rolls[:2])
    assert client.post(f"/courses/{campus.dbms}/register", headers=first).status_code == 200
    assert client.post(f"/courses/{campus.dbms}/register", headers=second).status_code == 200
    with counting(engines_of(client)) as sent:
        response = client.post(f"/courses/{campus.dbms}/drop", headers=first)
    assert response.status_code == 200
    assert response.json()["promoted_student_id"] == str(campus.students[1])
    # The enrollment id; owner; lock the student, the section and the row; drop it; the head
    # of the list, locked; promote it; leave the list; close it up; its notification and
    # audit event; the drop's audit event and notice.
    assert len(sent) == (15 if database.is_sqlite else 14)
