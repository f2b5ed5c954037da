"""Queries of `GET .../batch/`: the batch's assignments and where the student stands in each.

A Core statement built once (see `repository`), from the student and their batch.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import and_, bindparam, func, join, select
from sqlalchemy.orm import Session, aliased

from registrar.academics.models import Course, CourseSection, Faculty, Term
from registrar.enrollment.models import BatchCourse, BatchCourseStatus, Enrollment, EnrollmentStatus
from registrar.kit.core import AnyRow
from registrar.kit.direct import DirectSelect
from registrar.portal.student_portal.repository import (
    ACTIVE_OF_BATCH,
    ASSIGNMENT,
    COURSE,
    OFFER_YEAR,
    SECTION,
    student_and_batch,
)
from registrar.students.models import Student, StudentStatus

# The student's enrollments in the assigned course, in a term of the assignment's year.
_MINE = aliased(Enrollment, name="mine")
_MINE_SECTION = aliased(CourseSection, name="mine_section")
_MINE_TERM = aliased(Term, name="mine_term")
_MINE_IN_COURSE = join(_MINE, _MINE_SECTION, _MINE_SECTION.id == _MINE.section_id).join(
    _MINE_TERM, _MINE_TERM.id == _MINE_SECTION.term_id
)

# The batch's active students, and those ENROLLED in a course assigned to the batch that year:
# one row, from the batch's students (a few dozen) probing their enrollments. The same for every
# student of the batch, and the costliest part of the listing: kept per worker for a moment.
_CLASSMATE = aliased(Student, name="classmate")
_THEIRS = aliased(Enrollment, name="theirs")
_THEIR_SECTION = aliased(CourseSection, name="their_section")
_THEIR_TERM = aliased(Term, name="their_term")
_THEIR_ASSIGNMENT = aliased(BatchCourse, name="their_assignment")
_IN_BATCH_COURSE = (
    select(_THEIRS.id)
    .join(_THEIR_SECTION, _THEIR_SECTION.id == _THEIRS.section_id)
    .join(_THEIR_TERM, _THEIR_TERM.id == _THEIR_SECTION.term_id)
    .join(
        _THEIR_ASSIGNMENT,
        and_(
            _THEIR_ASSIGNMENT.batch_id == _CLASSMATE.batch_id,
            _THEIR_ASSIGNMENT.course_id == _THEIR_SECTION.course_id,
            _THEIR_ASSIGNMENT.academic_year_id == _THEIR_TERM.academic_year_id,
            _THEIR_ASSIGNMENT.status == BatchCourseStatus.ACTIVE,
        ),
    )
    .where(_THEIRS.student_id == _CLASSMATE.id, _THEIRS.status == EnrollmentStatus.ENROLLED)
    .exists()
)
_BATCH_COUNTS = select(
    func.count(_CLASSMATE.id).label("total_students"),
    func.count(_CLASSMATE.id).filter(_IN_BATCH_COURSE).label("enrolled_students"),
).where(
    _CLASSMATE.batch_id == bindparam("batch_id"),
    _CLASSMATE.institution_id == bindparam("institution_id"),
    _CLASSMATE.status == StudentStatus.ACTIVE,
)

_ASSIGNED = (
    student_and_batch(
        *ASSIGNMENT,
        *COURSE,
        *SECTION,
        _MINE.status.label("my_status"),
        _MINE_TERM.kind.label("my_term_kind"),
    )
    .outerjoin(BatchCourse, ACTIVE_OF_BATCH)
    .outerjoin(Course, Course.id == BatchCourse.course_id)
    .outerjoin(OFFER_YEAR, OFFER_YEAR.id == BatchCourse.academic_year_id)
    .outerjoin(CourseSection, CourseSection.id == BatchCourse.section_id)
    .outerjoin(Faculty, Faculty.id == CourseSection.faculty_id)
    # Restricted by the parameters, not by the outer student: SQLite builds the parenthesised
    # join before joining it, and only a restriction it can push inside keeps that to the
    # student's own rows (one on `students.id` made it read every enrollment).
    .outerjoin(
        _MINE_IN_COURSE,
        and_(
            _MINE.student_id == bindparam("student_id"),
            _MINE.institution_id == bindparam("institution_id"),
            _MINE_SECTION.course_id == BatchCourse.course_id,
            _MINE_TERM.academic_year_id == BatchCourse.academic_year_id,
        ),
    )
    .order_by(OFFER_YEAR.start_date, BatchCourse.semester, Course.code)
)
_ASSIGNED_DIRECT = DirectSelect(_ASSIGNED)


def assigned_rows(
    session: Session, institution_id: uuid.UUID, student_id: uuid.UUID
) -> Sequence[AnyRow]:
    """The student, their batch, and its ACTIVE assignments (course, section, teacher) in order,
    each once per enrollment of the student in the course that year (`my_status`,
    `my_term_kind`); none for no student."""
    params = {"institution_id": institution_id, "student_id": student_id}
    return _ASSIGNED_DIRECT.all(session.connection(), params)


def batch_counts(
    session: Session, institution_id: uuid.UUID, batch_id: uuid.UUID
) -> tuple[int, int]:
    """(active students of the batch, those ENROLLED in a course assigned to it that year)."""
    params = {"institution_id": institution_id, "batch_id": batch_id}
    row = session.connection().execute(_BATCH_COUNTS, params).one()
    return int(row.total_students), int(row.enrolled_students)
