"""The enrolled student and the head of the waitlist drop at the same moment.

The first drop promotes the head, writing their enrollment and a notification about them; the
head's own drop holds their student row. With FOR UPDATE on the student row, the notification's
foreign-key check (KEY SHARE on that row) waited for the head's drop while the head's drop
waited for the section: a deadlock, seen 26 times in 60. The student lock is FOR NO KEY UPDATE,
which a KEY SHARE does not wait for.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment import engine
from registrar.enrollment.engine import Actor
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from tests import factories
from tests.enrollment.support import assert_consistent

ROUNDS = 100


def _round(database: Database) -> tuple[uuid.UUID, uuid.UUID, list[uuid.UUID], Actor]:
    """A section of one seat and one waitlist place, holding one student each."""
    with database.session() as s:
        inst = factories.institution(s)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        section = factories.section(
            s, inst, factories.course(s, inst), term, capacity=1, waitlist_limit=1
        )
        clerk = factories.user(s, inst, role=Role.REGISTRAR)
        actor = Actor(clerk.id, Role.REGISTRAR)
        students = [factories.student(s, inst, with_login=False).id for _ in range(2)]
        ids: list[uuid.UUID] = []
        for student in students:
            outcome = engine.enroll(
                s, institution_id=inst.id, student_id=student, section_id=section.id, actor=actor
            )
            ids.append(outcome.enrollment.id)
        return inst.id, section.id, ids, actor


def _race(
    database: Database, institution_id: uuid.UUID, enrollments: list[uuid.UUID], actor: Actor
) -> list[EnrollmentStatus]:
    start = threading.Barrier(len(enrollments))

    def leave(enrollment_id: uuid.UUID) -> EnrollmentStatus:
        start.wait()
        with database.session() as s:
            outcome = engine.drop(
                s,
                institution_id=institution_id,
                enrollment_id=enrollment_id,
                actor=actor,
                reason="Changed my mind",
            )
            return outcome.enrollment.status

    with ThreadPoolExecutor(len(enrollments)) as pool:
        return list(pool.map(leave, enrollments))


@pytest.mark.postgres
def test_the_seat_holder_and_the_waitlist_head_drop_at_once(pg: Database) -> None:
    for _ in range(ROUNDS):
        institution_id, section_id, enrollments, actor = _round(pg)
        statuses = _race(pg, institution_id, enrollments, actor)
        assert statuses == [EnrollmentStatus.DROPPED, EnrollmentStatus.DROPPED]
        with pg.session(write=False) as s:
            final = s.scalars(
                select(Enrollment.status).where(Enrollment.section_id == section_id)
            ).all()
        # Both wished to leave, and both left, whichever drop ran first.
        assert final == [EnrollmentStatus.DROPPED, EnrollmentStatus.DROPPED]
        state = assert_consistent(pg, section_id)
        assert (state["enrolled_count"], state["waitlisted_count"]) == (0, 0)
