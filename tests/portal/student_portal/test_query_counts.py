"""The three reads issue a constant number of SQL statements, however many courses there are."""

from __future__ import annotations

from datetime import time

import pytest
from fastapi.testclient import TestClient

from registrar.academics.models import TermKind, Weekday
from registrar.db import Database
from registrar.main import create_app
from tests import factories
from tests.conftest import make_settings
from tests.portal.student_portal import world as w
from tests.statements import counting, engines_of

BASE = "/api/student-portal/courses"
TWO_SLOTS = ((Weekday.MONDAY, time(9), time(10)), (Weekday.THURSDAY, time(14), time(15)))


def _student_with(database: Database, n: int) -> tuple[str, int]:
    """A student of its own institution with `n` enrolled and `n` available batch courses.

    Every course has prerequisites the student completed, and sections with two meetings;
    half the available ones name their section, the others offer the open sections of the term.
    """
    with database.session() as s:
        world = w.build(s)
        inst, batch, year = world.inst, world.batch, world.year
        last = factories.term(s, inst, factories.academic_year(s, inst, "2023-2024"), TermKind.EVEN)
        for i in range(n):
            done, done_section = w.course_with_section(s, world, term=last)
            factories.enrollment(s, inst, world.student, done_section, "COMPLETED", grade="A")
            taken = factories.course(s, inst, world.dept)
            taken_section = factories.section(s, inst, taken, world.term, slots=TWO_SLOTS)
            factories.prerequisites_of(s, taken, done)
            factories.enrollment(s, inst, world.student, taken_section, attendance=90)
            factories.batch_course(s, inst, batch, taken, year, sec=taken_section)
            offered = factories.course(s, inst, world.dept)
            factories.prerequisites_of(s, offered, done)
            offered_section = factories.section(
                s, inst, offered, world.term, slots=TWO_SLOTS, teacher=world.teacher
            )
            factories.batch_course(
                s,
                inst,
                batch,
                offered,
                year,
                sec=offered_section if i % 2 == 0 else None,
                assignment_type="ELECTIVE",
            )
        return world.tenant, n


@pytest.mark.parametrize(
    ("path", "listing"),
    [
        ("/enrolled/", "enrolled_courses"),
        ("/available/", "available_courses"),
        ("/batch/", "batch_courses"),
    ],
)
def test_statement_count_does_not_grow_with_courses(
    steady_client: TestClient, database: Database, path: str, listing: str
) -> None:
    client = steady_client
    counts: dict[int, int] = {}
    for n in (2, 8):
        tenant, _ = _student_with(database, n)
        headers = log_in(client, "22CS001", tenant)
        assert client.get(BASE + path, headers=headers).status_code == 200  # the login is cached
        with counting(engines_of(client)) as statements:
            response = client.get(BASE + path, headers=headers)
        assert response.status_code == 200, response.text
        expected = 2 * n if listing == "batch_courses" else n
        assert len(response.json()[listing]) == expected
        counts[n] = len(statements)
    assert counts[2] == counts[8], counts
    # SQLite reads in a transaction of their own, and its BEGIN is a statement of ours.
    assert counts[8] == BUDGET[path] + (1 if database.is_sqlite else 0), counts


# Statements per request on PostgreSQL, the login coming from the worker's cache. The second
# of enrolled/ reads the completed record for the GPA (none with `include_grades=false`); the
# second of batch/ counts the batch's students, which a worker keeps for BATCH_COUNTS_SECONDS
# (0 here).
# The fourth of available/ reads the student's standing for the sections' eligibility (their
# catalog facts come from the worker's cache).
BUDGET = {"/enrolled/": 2, "/available/": 4, "/batch/": 2}


def test_the_enrolled_listing_without_grades_reads_no_record(
    steady_client: TestClient, database: Database
) -> None:
    tenant, _ = _student_with(database, 3)
    headers = log_in(steady_client, "22CS001", tenant)
    path = BASE + "/enrolled/?include_grades=false"
    assert steady_client.get(path, headers=headers).status_code == 200  # the login is cached
    with counting(engines_of(steady_client)) as statements:
        response = steady_client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["summary"]["current_gpa"] is None
    assert len(statements) == BUDGET["/enrolled/"] - 1 + (1 if database.is_sqlite else 0)


def log_in(client: TestClient, username: str, tenant: str) -> dict[str, str]:
    """The Authorization header of a fresh login."""
    response = client.post(
        "/auth/login",
        json={"username": username, "password": factories.PASSWORD},
        headers={"x-tenant-tag": tenant},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_the_batch_counts_are_kept_for_a_moment(database: Database) -> None:
    settings = make_settings(database, AUTH_CACHE_SECONDS="60", BATCH_COUNTS_SECONDS="60")
    tenant, _ = _student_with(database, 2)
    with TestClient(create_app(settings, database)) as client:
        headers = log_in(client, "22CS001", tenant)
        first = client.get(BASE + "/batch/", headers=headers)
        with counting(engines_of(client)) as statements:
            again = client.get(BASE + "/batch/", headers=headers)
    assert again.json() == first.json()
    assert len(statements) == BUDGET["/batch/"] - 1 + (1 if database.is_sqlite else 0)
