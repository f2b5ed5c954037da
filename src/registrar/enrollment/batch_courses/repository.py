"""Queries for courses assigned to batches and the students and enrollments they touch."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    and_,
    bindparam,
    case,
    exists,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, joinedload

from registrar.academics.models import AcademicYear, Course, CourseSection, Term
from registrar.academics.repository.common import equal_filters
from registrar.enrollment.models import (
    AssignmentType,
    BatchCourse,
    BatchCourseStatus,
    Enrollment,
    EnrollmentStatus,
)
from registrar.students.divisions.repository import chunks
from registrar.students.models import Student, StudentStatus

HELD = (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED)

_LOADED = (
    joinedload(BatchCourse.course),
    joinedload(BatchCourse.section),
    joinedload(BatchCourse.academic_year),
)


def batch_courses(
    institution_id: uuid.UUID, batch_id: uuid.UUID, filters: dict[str, Any]
) -> Select[Any]:
    """The batch's courses with course, section and year, by year, semester and code."""
    statement = (
        select(BatchCourse)
        .where(BatchCourse.institution_id == institution_id, BatchCourse.batch_id == batch_id)
        .options(*_LOADED)
    )
    statement = equal_filters(
        statement, {getattr(BatchCourse, name): value for name, value in filters.items()}
    )
    return statement.order_by(BatchCourse.semester, BatchCourse.created_at, BatchCourse.id)


def batch_course(
    session: Session,
    institution_id: uuid.UUID,
    batch_id: uuid.UUID,
    batch_course_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> BatchCourse | None:
    """One course of the batch, freshly loaded; locked while it is being cancelled."""
    statement = (
        select(BatchCourse)
        .where(
            BatchCourse.id == batch_course_id,
            BatchCourse.batch_id == batch_id,
            BatchCourse.institution_id == institution_id,
        )
        .options(*_LOADED)
        .execution_options(populate_existing=True)
    )
    if for_update:
        statement = statement.with_for_update(of=BatchCourse)
    return session.scalar(statement)


def year_by_code(session: Session, institution_id: uuid.UUID, code: str) -> AcademicYear | None:
    """The institution's academic year with this code."""
    return session.scalar(
        select(AcademicYear).where(
            AcademicYear.institution_id == institution_id, AcademicYear.code == code
        )
    )


def already_assigned(
    session: Session, batch_id: uuid.UUID, course_id: uuid.UUID, year_id: uuid.UUID, semester: int
) -> BatchCourse | None:
    """The batch's assignment of this course for that year and semester, in any status."""
    return session.scalar(
        select(BatchCourse).where(
            BatchCourse.batch_id == batch_id,
            BatchCourse.course_id == course_id,
            BatchCourse.academic_year_id == year_id,
            BatchCourse.semester == semester,
        )
    )


def section_in_year(session: Session, section_id: uuid.UUID, year_id: uuid.UUID) -> bool:
    """True when the section's term belongs to the academic year."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    CourseSection.id == section_id,
                    Term.id == CourseSection.term_id,
                    Term.academic_year_id == year_id,
                )
            )
        )
    )


def pick_section(
    session: Session,
    institution_id: uuid.UUID,
    course_id: uuid.UUID,
    year_id: uuid.UUID,
    batch_id: uuid.UUID,
) -> CourseSection | None:
    """An active section of the course in the year: the batch's own first, then by code."""
    own_first = case((CourseSection.student_batch_id == batch_id, 0), else_=1)
    return session.scalar(
        select(CourseSection)
        .join(Term, Term.id == CourseSection.term_id)
        .where(
            CourseSection.institution_id == institution_id,
            CourseSection.course_id == course_id,
            CourseSection.is_active.is_(True),
            Term.academic_year_id == year_id,
        )
        .order_by(own_first, CourseSection.code)
        .limit(1)
    )


def active_students(
    session: Session, institution_id: uuid.UUID, batch_id: uuid.UUID
) -> list[tuple[uuid.UUID, str]]:
    """(id, roll number) of the batch's ACTIVE students, by roll number."""
    rows = session.execute(
        select(Student.id, Student.roll_number)
        .where(
            Student.institution_id == institution_id,
            Student.batch_id == batch_id,
            Student.status == StudentStatus.ACTIVE,
        )
        .order_by(Student.roll_number)
    )
    return [(row.id, row.roll_number) for row in rows]


def roll_number(session: Session, institution_id: uuid.UUID, student_id: uuid.UUID) -> str | None:
    """A student's roll number, if the student is the institution's."""
    return session.scalar(
        select(Student.roll_number).where(
            Student.id == student_id, Student.institution_id == institution_id
        )
    )


def auto_enroll_courses(
    session: Session, institution_id: uuid.UUID, batch_id: uuid.UUID
) -> list[BatchCourse]:
    """The batch's ACTIVE mandatory courses that enroll students who join later."""
    return list(
        session.scalars(
            select(BatchCourse)
            .where(
                BatchCourse.institution_id == institution_id,
                BatchCourse.batch_id == batch_id,
                BatchCourse.status == BatchCourseStatus.ACTIVE,
                BatchCourse.assignment_type == AssignmentType.MANDATORY,
                BatchCourse.auto_enroll_new_students.is_(True),
            )
            .options(*_LOADED)
            .order_by(BatchCourse.semester, BatchCourse.created_at, BatchCourse.id)
        )
    )


def batch_made_enrollments(session: Session, row: BatchCourse) -> list[tuple[Enrollment, str, str]]:
    """ENROLLED and WAITLISTED rows the batch course made: those linked to it, and (rows from
    before the link, or loaded without one) its batch's unlinked rows in the section of a
    MANDATORY one. A student's own elective elsewhere is theirs.

    With roll number and section code; waitlisted first, so that dropping them in this order
    never promotes a student of the batch who is about to be dropped too.
    """
    made: ColumnElement[bool] = Enrollment.batch_course_id == row.id
    if row.assignment_type is AssignmentType.MANDATORY and row.section_id is not None:
        made = or_(
            made,
            and_(
                Enrollment.batch_course_id.is_(None),
                Enrollment.section_id == row.section_id,
                Student.batch_id == row.batch_id,
            ),
        )
    waitlisted_first = case((Enrollment.status == EnrollmentStatus.WAITLISTED, 0), else_=1)
    rows = session.execute(
        select(Enrollment, Student.roll_number, CourseSection.code)
        .join(Student, Student.id == Enrollment.student_id)
        .join(CourseSection, CourseSection.id == Enrollment.section_id)
        .where(made, Enrollment.status.in_(HELD))
        .order_by(waitlisted_first, Enrollment.waitlist_position.desc(), Student.roll_number)
    )
    return [(enrollment, roll, code) for enrollment, roll, code in rows]


def batches_with_auto_enroll(
    session: Session, institution_id: uuid.UUID, batch_ids: Iterable[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these batches have an ACTIVE mandatory course that enrolls newcomers."""
    ids = list(set(batch_ids))
    if not ids:
        return set()
    return set(
        session.scalars(
            select(BatchCourse.batch_id)
            .where(
                BatchCourse.institution_id == institution_id,
                BatchCourse.batch_id.in_(ids),
                BatchCourse.status == BatchCourseStatus.ACTIVE,
                BatchCourse.assignment_type == AssignmentType.MANDATORY,
                BatchCourse.auto_enroll_new_students.is_(True),
            )
            .distinct()
        )
    )


def batches_courses(
    session: Session, institution_id: uuid.UUID, batch_ids: Iterable[uuid.UUID]
) -> list[BatchCourse]:
    """The ACTIVE courses of these batches, with course and section, in the order auto-enrollment
    enrolls them."""
    ids = list(set(batch_ids))
    if not ids:
        return []
    return list(
        session.scalars(
            select(BatchCourse)
            .where(
                BatchCourse.institution_id == institution_id,
                BatchCourse.batch_id.in_(ids),
                BatchCourse.status == BatchCourseStatus.ACTIVE,
            )
            .options(*_LOADED)
            .order_by(BatchCourse.semester, BatchCourse.created_at, BatchCourse.id)
        )
    )


def held_places(
    session: Session,
    student_ids: Sequence[uuid.UUID],
    section_ids: Iterable[uuid.UUID],
) -> list[Row[Any]]:
    """The students' ENROLLED and WAITLISTED rows that a batch course made (linked), or that
    are in one of these sections: with the batch of the linked course, section and course
    codes."""
    sections = list(set(section_ids))
    linked_or_targeted: ColumnElement[bool] = Enrollment.batch_course_id.is_not(None)
    if sections:
        linked_or_targeted = or_(linked_or_targeted, Enrollment.section_id.in_(sections))
    rows: list[Row[Any]] = []
    for part in chunks(student_ids):
        rows.extend(
            session.execute(
                select(
                    Enrollment.id,
                    Enrollment.student_id,
                    Enrollment.section_id,
                    Enrollment.status,
                    Enrollment.waitlist_position,
                    Enrollment.batch_course_id,
                    BatchCourse.batch_id.label("linked_batch_id"),
                    CourseSection.code.label("section_code"),
                    Course.code.label("course_code"),
                )
                .join(CourseSection, CourseSection.id == Enrollment.section_id)
                .join(Course, Course.id == CourseSection.course_id)
                .outerjoin(BatchCourse, BatchCourse.id == Enrollment.batch_course_id)
                .where(
                    Enrollment.student_id.in_(part),
                    Enrollment.status.in_(HELD),
                    linked_or_targeted,
                )
                .order_by(Enrollment.student_id, CourseSection.code)
            )
        )
    return rows


def link(session: Session, links: Sequence[tuple[uuid.UUID, uuid.UUID | None]]) -> None:
    """Set (or clear, with None) the batch course of these enrollments: (enrollment, course)."""
    if not links:
        return
    statement = (
        update(Enrollment)
        .where(Enrollment.id == bindparam("enrollment_id"))
        .values(batch_course_id=bindparam("batch_course_id"))
        .execution_options(synchronize_session=False)
    )
    session.connection().execute(
        statement,
        [{"enrollment_id": eid, "batch_course_id": bc} for eid, bc in links],
    )
