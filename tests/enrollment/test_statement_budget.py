"""Bulk enrollment stays cheap: a batch's auto-enrollment costs a few statements per student."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from registrar.academics.models import TermKind, Weekday
from registrar.audit.models import AuditEvent
from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from tests import factories
from tests.academics.conftest import Office, institution
from tests.conftest import LoginFn
from tests.enrollment.support import assert_consistent

# Statements per additional student, whatever the size of the batch: lock the student, read
# their rows (term and history, one query), take the seat, insert the row, the audit and the
# student's notice; on PostgreSQL the last four are one statement.
PER_STUDENT = {"postgresql": 3, "sqlite": 6}
# Statements a request pays once: sign-in, the batch, course, year and section, the answer.
FIXED = 40


@pytest.fixture
def office(database: Database, login: LoginFn) -> Office:
    """A logged-in registrar of a fresh institution."""
    with database.session() as session:
        inst = factories.institution(session)
        user = factories.user(session, inst, role=Role.REGISTRAR)
        ids = (inst.id, inst.tag, user.username)
    headers = login(ids[2], factories.PASSWORD, tenant=ids[1])
    return Office(ids[0], ids[1], headers, ids[0], ids[1])


@dataclass
class Batch:
    batch_id: uuid.UUID
    course_id: uuid.UUID
    section_id: uuid.UUID


def _batch(database: Database, office: Office, size: int, year_code: str) -> Batch:
    """A batch of `size` students, each already holding a seat in another section of the term
    and having passed the prerequisite of the course the batch is about to be assigned."""
    with database.session() as session:
        inst = institution(session, office.institution_id)
        dept = factories.department(session, inst)
        year = factories.academic_year(session, inst, year_code)
        term = factories.term(session, inst, year, registration_open=False)
        earlier = factories.term(session, inst, year, TermKind.EVEN, registration_open=False)
        basics = factories.course(session, inst, dept, credits=3)
        crs = factories.course(session, inst, dept, credits=4, prerequisites=[basics])
        held = factories.course(session, inst, dept, credits=3)
        group = factories.batch(session, inst, dept=dept, year=year)
        section = factories.section(
            session,
            inst,
            crs,
            term,
            capacity=size - 2,
            waitlist_limit=size,
            batch=group,
            slots=((Weekday.MONDAY, time(9), time(10)), (Weekday.WEDNESDAY, time(9), time(10))),
        )
        held_section = factories.section(
            session,
            inst,
            held,
            term,
            capacity=size,
            slots=((Weekday.TUESDAY, time(9), time(10)),),
        )
        past = factories.section(session, inst, basics, earlier, capacity=size)
        for _ in range(size):
            pupil = factories.student(session, inst, of_batch=group, with_login=False)
            factories.enrollment(session, inst, pupil, held_section)
            factories.enrollment(
                session, inst, pupil, past, status=EnrollmentStatus.COMPLETED, grade="A"
            )
        return Batch(group.id, crs.id, section.id)


@contextmanager
def _counting(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def _assign(
    client: TestClient, database: Database, office: Office, size: int, year_code: str
) -> int:
    """Assign a MANDATORY course to a fresh batch of `size`; the statements the request ran."""
    batch = _batch(database, office, size, year_code)
    with _counting(database) as statements:
        response = client.post(
            f"/api/admin/batches/{batch.batch_id}/courses",
            json={
                "course_id": str(batch.course_id),
                "academic_year": year_code,
                "semester": 5,
                "assignment_type": "MANDATORY",
                "auto_enroll_new_students": True,
            },
            headers=office.headers,
        )
    assert response.status_code == 201, response.text
    assert response.json()["summary"] == {
        "enrolled": size - 2,
        "waitlisted": 2,
        "refused": 0,
        "already_enrolled": 0,
    }
    state = assert_consistent(database, batch.section_id)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (size - 2, 2)
    with database.session(write=False) as session:
        enrolled = session.scalars(
            select(Enrollment.id).where(Enrollment.section_id == batch.section_id)
        ).all()
        audited = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity_id.in_(enrolled), AuditEvent.action.like("enrollment.%"))
        )
    assert audited == size  # one audit event per enrollment
    return len(statements)


def test_bulk_enrollment_costs_a_small_constant_number_of_statements_per_student(
    client: TestClient, database: Database, office: Office
) -> None:
    small = _assign(client, database, office, 5, "2024-2025")
    large = _assign(client, database, office, 20, "2025-2026")
    per_student = (large - small) / 15
    slope = PER_STUDENT[database.engine.dialect.name]
    assert per_student == slope, (small, large)
    # What is not per student is paid once per request: both sizes fit one line of slope
    # PER_STUDENT from the same fixed cost, so the cost per student does not grow with N.
    for size, total in ((5, small), (20, large)):
        assert total <= FIXED + slope * size, (size, total)
