"""Pairs of lecture and lab taken and dropped at once: no deadlock, both places or neither.

Every writer locks the lecture's row before its lab's: a pair enrollment takes the lecture,
then the lab; a lecture's drop drops the lab after it; a lab alone locks only the lab. So
students racing for the same lecture and labs, while others drop theirs, wait for each other
but never deadlock.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from registrar.academics.models import CourseSection, SectionType
from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment import engine
from registrar.enrollment.engine import Actor, EnrollmentRefused
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from tests import factories
from tests.enrollment.support import assert_consistent

NEWCOMERS = 16
LEAVERS = 4
ACTIVE = (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED)


@dataclass
class Course:
    institution_id: uuid.UUID
    lecture: uuid.UUID
    labs: list[uuid.UUID]
    actor: Actor
    newcomers: list[uuid.UUID]
    leavers: list[uuid.UUID]  # lecture enrollments, each with a lab beside it


def _course(database: Database) -> Course:
    with database.session() as s:
        inst = factories.institution(s)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        physics = factories.course(s, inst, requires_linked_section=True)
        lecture = factories.section(s, inst, physics, term, capacity=12, waitlist_limit=20)
        labs = []
        for _ in range(2):
            lab = factories.section(s, inst, physics, term, capacity=4, waitlist_limit=20, slots=())
            lab.section_type = SectionType.LAB
            lab.linked_to_section_id = lecture.id
            labs.append(lab)
        s.flush()
        clerk = factories.user(s, inst, role=Role.REGISTRAR)
        actor = Actor(clerk.id, Role.REGISTRAR)
        leavers = []
        for index in range(LEAVERS):
            student = factories.student(s, inst, with_login=False)
            outcome = engine.enroll(
                s,
                institution_id=inst.id,
                student_id=student.id,
                section_id=lecture.id,
                actor=actor,
                linked_section_ids=[labs[index % 2].id],
            )
            leavers.append(outcome.enrollment.id)
        newcomers = [factories.student(s, inst, with_login=False).id for _ in range(NEWCOMERS)]
        return Course(inst.id, lecture.id, [lab.id for lab in labs], actor, newcomers, leavers)


def _race(database: Database, course: Course) -> list[str]:
    start = threading.Barrier(NEWCOMERS + LEAVERS)

    def join(index: int) -> str:
        start.wait()
        with database.session() as s:
            try:
                outcome = engine.enroll(
                    s,
                    institution_id=course.institution_id,
                    student_id=course.newcomers[index],
                    section_id=course.lecture,
                    actor=course.actor,
                    linked_section_ids=[course.labs[index % 2]],
                )
            except EnrollmentRefused as refused:
                return refused.code
            return outcome.enrollment.status.value

    def leave(enrollment_id: uuid.UUID) -> str:
        start.wait()
        with database.session() as s:
            outcome = engine.drop(
                s,
                institution_id=course.institution_id,
                enrollment_id=enrollment_id,
                actor=course.actor,
                reason="Changed my plan",
            )
            assert len(outcome.linked) == 1
            return outcome.enrollment.status.value

    with ThreadPoolExecutor(NEWCOMERS + LEAVERS) as pool:
        joined = [pool.submit(join, index) for index in range(NEWCOMERS)]
        left = [pool.submit(leave, enrollment) for enrollment in course.leavers]
        return [future.result() for future in joined + left]


def _places(database: Database, course: Course) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Each student's active places among the lecture and its labs."""
    sections = [course.lecture, *course.labs]
    with database.session(write=False) as s:
        rows = s.execute(
            select(Enrollment.student_id, Enrollment.section_id).where(
                Enrollment.section_id.in_(sections), Enrollment.status.in_(ACTIVE)
            )
        ).all()
    places: dict[uuid.UUID, set[uuid.UUID]] = {}
    for student, section in rows:
        places.setdefault(student, set()).add(section)
    return places


@pytest.mark.postgres
def test_pairs_taken_and_dropped_at_once_never_deadlock(pg: Database) -> None:
    for _ in range(5):
        course = _course(pg)
        answers = _race(pg, course)
        assert answers.count("DROPPED") == LEAVERS
        assert set(answers) <= {"ENROLLED", "WAITLISTED", "DROPPED"}, answers
        for section in (course.lecture, *course.labs):
            assert_consistent(pg, section)
        # Both places or neither: every student with a place holds the lecture and one lab.
        for places in _places(pg, course).values():
            assert course.lecture in places, places
            assert len(places) == 2, places
        with pg.session(write=False) as s:
            seats = s.scalars(
                select(CourseSection.enrolled_count).where(CourseSection.id.in_(course.labs))
            ).all()
        assert sorted(seats) == [4, 4]
