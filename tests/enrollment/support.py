"""Helpers of the enrollment tests: the counter invariant, read straight from the database."""

from __future__ import annotations

import uuid

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from registrar.academics.models import Course, CourseSection, course_prerequisites
from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus


def section_state(database: Database, section_id: uuid.UUID) -> dict[str, object]:
    """Counters and row counts of a section, and its waitlist in position order."""
    with database.session(write=False) as session:
        counters = session.execute(
            select(
                CourseSection.capacity,
                CourseSection.enrolled_count,
                CourseSection.waitlisted_count,
            ).where(CourseSection.id == section_id)
        ).one()
        by_status = dict(
            session.execute(
                select(Enrollment.status, func.count())
                .where(Enrollment.section_id == section_id)
                .group_by(Enrollment.status)
            ).all()
        )
        waitlist = session.execute(
            select(Enrollment.student_id, Enrollment.waitlist_position)
            .where(
                Enrollment.section_id == section_id,
                Enrollment.status == EnrollmentStatus.WAITLISTED,
            )
            .order_by(Enrollment.waitlist_position)
        ).all()
    return {
        "capacity": counters[0],
        "enrolled_count": counters[1],
        "waitlisted_count": counters[2],
        # A seat is taken by an enrolled (or completed) student, or held for an offer.
        "enrolled_rows": by_status.get(EnrollmentStatus.ENROLLED, 0)
        + by_status.get(EnrollmentStatus.COMPLETED, 0)
        + by_status.get(EnrollmentStatus.OFFERED, 0),
        "waitlisted_rows": by_status.get(EnrollmentStatus.WAITLISTED, 0),
        "waitlist": [row[0] for row in waitlist],
        "positions": [row[1] for row in waitlist],
    }


def assert_consistent(database: Database, section_id: uuid.UUID) -> dict[str, object]:
    """Counters equal row counts and waitlist positions are exactly 1..n."""
    state = section_state(database, section_id)
    assert state["enrolled_count"] == state["enrolled_rows"], state
    assert state["waitlisted_count"] == state["waitlisted_rows"], state
    assert state["positions"] == list(range(1, int(str(state["waitlisted_rows"])) + 1)), state
    return state


def add_prerequisite(session: Session, course: Course, prerequisite: Course) -> None:
    """Make one course require another (the association row carries the institution)."""
    session.execute(
        insert(course_prerequisites).values(
            institution_id=course.institution_id,
            course_id=course.id,
            prerequisite_id=prerequisite.id,
        )
    )
