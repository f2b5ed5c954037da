"""Queries of the academic record: one statement each, whatever the length of the record."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from registrar.academics.models import Course, CourseSection, Term
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.kit.direct import DirectSelect
from registrar.records.models import RecordRow

# The order the record is read in, oldest first: a later attempt at a course replaces an earlier
# one, so every query feeding `records.service` sorts (or ranks) its rows by this.
RECORD_ORDER = (Term.start_date, Enrollment.completed_at, Enrollment.created_at)


# Built once, with bound parameters: the enrolled listing reads it on every request.
_COMPLETED_ROWS = (
    select(
        Course.id,
        Course.credits,
        Enrollment.status,
        Enrollment.enrollment_type,
        Enrollment.grade,
        Enrollment.grade_points,
        Enrollment.attendance_percentage,
        Term.start_date,
        Enrollment.completed_at,
    )
    .join(CourseSection, CourseSection.id == Enrollment.section_id)
    .join(Course, Course.id == CourseSection.course_id)
    .join(Term, Term.id == CourseSection.term_id)
    .where(
        Enrollment.institution_id == bindparam("institution_id"),
        Enrollment.student_id == bindparam("student_id"),
        Enrollment.status == EnrollmentStatus.COMPLETED,
        # A lab taken with its lecture is part of the lecture's course, counted once.
        CourseSection.linked_to_section_id.is_(None),
    )
    .order_by(*RECORD_ORDER)
)
_COMPLETED = DirectSelect(_COMPLETED_ROWS)
_COMPLETED_OF_COURSES = DirectSelect(
    _COMPLETED_ROWS.where(Course.id.in_(bindparam("course_ids", expanding=True)))
)


def completed_rows(
    session: Session,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    course_ids: Collection[uuid.UUID] | None = None,
) -> list[RecordRow]:
    """The student's COMPLETED enrollments (optionally only of some courses), oldest term first."""
    params: dict[str, object] = {"institution_id": institution_id, "student_id": student_id}
    query = _COMPLETED
    if course_ids is not None:
        if not course_ids:
            return []
        query = _COMPLETED_OF_COURSES
        params["course_ids"] = list(course_ids)
    return [RecordRow(*row) for row in query.all(session.connection(), params)]
