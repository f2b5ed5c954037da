"""The portal's read queries; each is one statement (plus declared eager loads) per call."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

# The public loader functions are typed as returning this class; naming it keeps mypy strict.
from sqlalchemy.orm.strategy_options import _AbstractLoad

from registrar.academics.models import (
    AcademicYear,
    Course,
    CourseSection,
    Department,
    Term,
    TermKind,
    TimetableSlot,
)
from registrar.enrollment.models import (
    AssignmentType,
    BatchCourse,
    BatchCourseStatus,
    Enrollment,
    EnrollmentStatus,
)
from registrar.students.models import Student, StudentBatch, StudentStatus


def student_of_user(
    session: Session, institution_id: uuid.UUID, user_id: uuid.UUID
) -> Student | None:
    """The student linked to a login, with their batch, its department, program and year."""
    batch = joinedload(Student.batch)
    return session.scalar(
        select(Student)
        .where(Student.institution_id == institution_id, Student.user_id == user_id)
        .options(
            batch.joinedload(StudentBatch.department),
            batch.joinedload(StudentBatch.program),
            batch.joinedload(StudentBatch.academic_year),
            joinedload(Student.academic_year),
        )
    )


def _section_loads() -> list[_AbstractLoad]:
    """Eager loads of a section's course (with department), faculty and timetable with rooms."""
    return [
        joinedload(CourseSection.course).joinedload(Course.department),
        joinedload(CourseSection.faculty),
        joinedload(CourseSection.slots).joinedload(TimetableSlot.room),
    ]


# Built once: constructing aliases per request costs more than running the query.
_SECTION_BATCH = aliased(StudentBatch, name="section_batch")
_SECTION_BATCH_YEAR = aliased(AcademicYear, name="section_batch_year")
_TERM_YEAR = aliased(AcademicYear, name="term_year")
_DEPARTMENT = aliased(Department, name="course_department")


@dataclass(frozen=True)
class EnrollmentRow:
    """An enrollment with its section and term loaded, and the section's own batch if it has one."""

    enrollment: Enrollment
    section_batch_year_of_study: int | None
    section_batch_section: str | None
    section_batch_year_start: date | None


def enrollments_of(
    session: Session,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    status: EnrollmentStatus,
    academic_year: str | None,
) -> list[EnrollmentRow]:
    """The student's enrollments in a status (and academic year), section and course loaded."""
    section_batch, batch_year, term_year = _SECTION_BATCH, _SECTION_BATCH_YEAR, _TERM_YEAR
    section = joinedload(Enrollment.section)
    query = (
        select(
            Enrollment,
            section_batch.year_of_study,
            section_batch.section,
            batch_year.start_date,
        )
        .join(CourseSection, CourseSection.id == Enrollment.section_id)
        .join(Course, Course.id == CourseSection.course_id)
        .join(Term, Term.id == CourseSection.term_id)
        .join(term_year, term_year.id == Term.academic_year_id)
        .outerjoin(section_batch, section_batch.id == CourseSection.student_batch_id)
        .outerjoin(batch_year, batch_year.id == section_batch.academic_year_id)
        .where(
            Enrollment.institution_id == institution_id,
            Enrollment.student_id == student_id,
            Enrollment.status == status,
        )
        .options(
            section.joinedload(CourseSection.term).joinedload(Term.academic_year),
            section.options(*_section_loads()),
        )
        .order_by(term_year.start_date, Term.start_date, Course.code)
    )
    if academic_year is not None:
        query = query.where(term_year.code == academic_year)
    # Joined collections (slots) repeat rows: unique() folds them back into one per enrollment.
    return [EnrollmentRow(*row) for row in session.execute(query).unique()]


def batch_courses(
    session: Session,
    institution_id: uuid.UUID,
    batch_id: uuid.UUID,
    *,
    academic_year: str | None = None,
    semester: int | None = None,
    assignment_type: AssignmentType | None = None,
    department_code: str | None = None,
    with_prerequisites: bool = False,
    with_sections: bool = False,
    not_enrolled: uuid.UUID | None = None,
) -> list[BatchCourse]:
    """The batch's ACTIVE course assignments, course and section (with faculty) loaded.

    `not_enrolled` leaves out the courses that student holds an ENROLLED enrollment in.
    """
    course = joinedload(BatchCourse.course)
    section = joinedload(BatchCourse.section)
    options: list[_AbstractLoad] = [
        course.joinedload(Course.department),
        section.joinedload(CourseSection.faculty),
        joinedload(BatchCourse.academic_year),
    ]
    if with_prerequisites:
        options.append(course.selectinload(Course.prerequisites))
    if with_sections:
        options.append(section.joinedload(CourseSection.slots).joinedload(TimetableSlot.room))
    query = (
        select(BatchCourse)
        .join(Course, Course.id == BatchCourse.course_id)
        .join(AcademicYear, AcademicYear.id == BatchCourse.academic_year_id)
        .where(
            BatchCourse.institution_id == institution_id,
            BatchCourse.batch_id == batch_id,
            BatchCourse.status == BatchCourseStatus.ACTIVE,
        )
        .options(*options)
        .order_by(AcademicYear.start_date, BatchCourse.semester, Course.code)
    )
    if academic_year is not None:
        query = query.where(AcademicYear.code == academic_year)
    if semester is not None:
        query = query.where(BatchCourse.semester == semester)
    if assignment_type is not None:
        query = query.where(BatchCourse.assignment_type == assignment_type)
    if department_code is not None:
        query = query.join(_DEPARTMENT, _DEPARTMENT.id == Course.department_id).where(
            _DEPARTMENT.code == department_code
        )
    if not_enrolled is not None:
        enrolled = (
            select(Enrollment.id)
            .join(CourseSection, CourseSection.id == Enrollment.section_id)
            .where(
                Enrollment.institution_id == institution_id,
                Enrollment.student_id == not_enrolled,
                Enrollment.status == EnrollmentStatus.ENROLLED,
                CourseSection.course_id == BatchCourse.course_id,
            )
        )
        query = query.where(~enrolled.exists())
    return list(session.scalars(query).unique())


def open_sections(
    session: Session,
    institution_id: uuid.UUID,
    batch_id: uuid.UUID,
    course_ids: Collection[uuid.UUID],
    academic_year_ids: Collection[uuid.UUID],
) -> list[CourseSection]:
    """Active sections of the courses in those years, open to all or reserved for the batch."""
    if not course_ids:
        return []
    return list(
        session.scalars(
            select(CourseSection)
            .join(Term, Term.id == CourseSection.term_id)
            .join(Course, Course.id == CourseSection.course_id)
            .where(
                CourseSection.institution_id == institution_id,
                CourseSection.course_id.in_(list(course_ids)),
                Term.academic_year_id.in_(list(academic_year_ids)),
                CourseSection.is_active.is_(True),
                or_(
                    CourseSection.student_batch_id.is_(None),
                    CourseSection.student_batch_id == batch_id,
                ),
            )
            .options(
                joinedload(CourseSection.term),
                joinedload(CourseSection.faculty),
                joinedload(CourseSection.slots).joinedload(TimetableSlot.room),
            )
            .order_by(Course.code, CourseSection.code)
        )
        .unique()
        .all()
    )


def terms_of_year(session: Session, institution_id: uuid.UUID, academic_year: str) -> list[Term]:
    """The active terms of an academic year (by code), earliest first."""
    return list(
        session.scalars(
            select(Term)
            .join(AcademicYear, AcademicYear.id == Term.academic_year_id)
            .where(
                Term.institution_id == institution_id,
                AcademicYear.code == academic_year,
                Term.is_active.is_(True),
            )
            .order_by(Term.start_date)
        )
    )


def course_enrollment_states(
    session: Session,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    course_ids: Collection[uuid.UUID],
) -> list[tuple[uuid.UUID, uuid.UUID, TermKind, EnrollmentStatus]]:
    """(course, academic year, term kind, status) of the student's enrollments in the courses."""
    if not course_ids:
        return []
    rows = session.execute(
        select(CourseSection.course_id, Term.academic_year_id, Term.kind, Enrollment.status)
        .join(CourseSection, CourseSection.id == Enrollment.section_id)
        .join(Term, Term.id == CourseSection.term_id)
        .where(
            Enrollment.institution_id == institution_id,
            Enrollment.student_id == student_id,
            CourseSection.course_id.in_(list(course_ids)),
        )
    )
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def batch_counts(
    session: Session, institution_id: uuid.UUID, batch_id: uuid.UUID
) -> tuple[int, int]:
    """(active students of the batch, those ENROLLED in a course assigned to it that year)."""
    enrolled_in_batch_course = (
        select(Enrollment.id)
        .join(CourseSection, CourseSection.id == Enrollment.section_id)
        .join(Term, Term.id == CourseSection.term_id)
        .join(
            BatchCourse,
            and_(
                BatchCourse.batch_id == batch_id,
                BatchCourse.course_id == CourseSection.course_id,
                BatchCourse.academic_year_id == Term.academic_year_id,
                BatchCourse.status == BatchCourseStatus.ACTIVE,
            ),
        )
        .where(
            Enrollment.student_id == Student.id,
            Enrollment.status == EnrollmentStatus.ENROLLED,
        )
        .exists()
    )
    # Driven by the batch's students (a few dozen rows), each probing its own enrollments.
    row = session.execute(
        select(
            func.count(Student.id),
            func.count(Student.id).filter(enrolled_in_batch_course),
        ).where(
            Student.institution_id == institution_id,
            Student.batch_id == batch_id,
            Student.status == StudentStatus.ACTIVE,
        )
    ).one()
    return int(row[0]), int(row[1])


def section_brief(
    session: Session, institution_id: uuid.UUID, section_id: uuid.UUID
) -> CourseSection | None:
    """A section with its course and faculty, for the enroll and drop answers."""
    return session.scalar(
        select(CourseSection)
        .where(CourseSection.institution_id == institution_id, CourseSection.id == section_id)
        .options(joinedload(CourseSection.course), joinedload(CourseSection.faculty))
    )
