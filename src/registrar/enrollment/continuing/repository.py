"""Queries of the continuing-enrollment flow."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from registrar.academics.models import (
    AcademicYear,
    Course,
    CourseSection,
    Term,
    TimetableSlot,
    course_prerequisites,
)
from registrar.auth.models import User
from registrar.enrollment.models import Enrollment, EnrollmentStatus, EnrollmentType
from registrar.institutions.models import Institution, LevelPolicy
from registrar.students.models import Student, StudentBatch, StudentStatus


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _code_or_id(
    code: InstrumentedAttribute[str], id_: InstrumentedAttribute[uuid.UUID], ident: str
) -> ColumnElement[bool]:
    """The one way the seed's ids are matched: the code people use, or the id the admin API
    returns (a code that happens to look like a UUID still matches as a code)."""
    as_id = _as_uuid(ident)
    return code == ident if as_id is None else or_(id_ == as_id, code == ident)


def find_institution(session: Session, tag: str) -> Institution | None:
    """The active institution with that tag."""
    return session.scalar(
        select(Institution).where(Institution.tag == tag, Institution.is_active.is_(True))
    )


def _student(institution_id: uuid.UUID, ident: str) -> Select[Student]:
    return select(Student).where(
        Student.institution_id == institution_id,
        _code_or_id(Student.roll_number, Student.id, ident),
    )


def lock_student(session: Session, institution_id: uuid.UUID, ident: str) -> Student | None:
    """The student by roll number (or id), locked so two requests for them run one at a time."""
    return session.scalar(
        _student(institution_id, ident).with_for_update().execution_options(populate_existing=True)
    )


def find_student(session: Session, institution_id: uuid.UUID, ident: str) -> Student | None:
    """The student by roll number (or id), unlocked: for a dry run, which writes nothing."""
    return session.scalar(_student(institution_id, ident))


def find_active_user(session: Session, institution_id: uuid.UUID, ident: str) -> User | None:
    """An active login of the school by username (or id)."""
    return session.scalar(
        select(User).where(
            User.institution_id == institution_id,
            User.is_active.is_(True),
            _code_or_id(User.username, User.id, ident),
        )
    )


def level_policies(session: Session, institution_id: uuid.UUID) -> Sequence[LevelPolicy]:
    """The school's level rules, youngest level first."""
    return session.scalars(
        select(LevelPolicy)
        .where(LevelPolicy.institution_id == institution_id)
        .order_by(LevelPolicy.min_grade_level)
    ).all()


def find_year(session: Session, institution_id: uuid.UUID, code: str) -> AcademicYear | None:
    """A school year by code (or id)."""
    return session.scalar(
        select(AcademicYear).where(
            AcademicYear.institution_id == institution_id,
            _code_or_id(AcademicYear.code, AcademicYear.id, code),
        )
    )


def previous_year(session: Session, year: AcademicYear) -> AcademicYear | None:
    """The school year just before this one."""
    return session.scalar(
        select(AcademicYear)
        .where(
            AcademicYear.institution_id == year.institution_id,
            AcademicYear.start_date < year.start_date,
        )
        .order_by(AcademicYear.start_date.desc())
        .limit(1)
    )


def terms_of(session: Session, year_id: uuid.UUID) -> Sequence[Term]:
    """A year's terms in calendar order."""
    return session.scalars(
        select(Term).where(Term.academic_year_id == year_id).order_by(Term.start_date, Term.code)
    ).all()


def _batch(institution_id: uuid.UUID, code: str) -> Select[StudentBatch]:
    return select(StudentBatch).where(
        StudentBatch.institution_id == institution_id,
        _code_or_id(StudentBatch.code, StudentBatch.id, code),
    )


def lock_batch(session: Session, institution_id: uuid.UUID, code: str) -> StudentBatch | None:
    """A homeroom section by code (or id), locked while its head count is checked and changed."""
    return session.scalar(_batch(institution_id, code).with_for_update())


def find_batch(session: Session, institution_id: uuid.UUID, code: str) -> StudentBatch | None:
    """A homeroom section by code (or id), unlocked: for a dry run, which writes nothing."""
    return session.scalar(_batch(institution_id, code))


def homeroom_size(session: Session, batch_id: uuid.UUID, besides: uuid.UUID) -> int:
    """Active students in a homeroom, not counting the given one."""
    count = session.scalar(
        select(func.count(Student.id)).where(
            Student.batch_id == batch_id,
            Student.status == StudentStatus.ACTIVE,
            Student.id != besides,
        )
    )
    return int(count or 0)


def _with_schedule() -> tuple[object, ...]:
    return (
        selectinload(CourseSection.course),
        selectinload(CourseSection.term),
        selectinload(CourseSection.slots).selectinload(TimetableSlot.room),
    )


def sections_of_batch(
    session: Session, batch_id: uuid.UUID, term_ids: Sequence[uuid.UUID]
) -> Sequence[CourseSection]:
    """The schedules a homeroom takes in the given terms."""
    return session.scalars(
        select(CourseSection)
        .where(CourseSection.student_batch_id == batch_id, CourseSection.term_id.in_(term_ids))
        .options(*_with_schedule())  # type: ignore[arg-type]
        .order_by(CourseSection.code)
    ).all()


def sections_of_course(
    session: Session, course_id: uuid.UUID, term_ids: Sequence[uuid.UUID]
) -> Sequence[CourseSection]:
    """Every active schedule of a subject in the given terms."""
    return session.scalars(
        select(CourseSection)
        .where(
            CourseSection.course_id == course_id,
            CourseSection.term_id.in_(term_ids),
            CourseSection.is_active.is_(True),
        )
        .options(*_with_schedule())  # type: ignore[arg-type]
        .order_by(CourseSection.code)
    ).all()


def find_section(session: Session, institution_id: uuid.UUID, code: str) -> CourseSection | None:
    """A schedule by code (or id)."""
    return session.scalar(
        select(CourseSection)
        .where(
            CourseSection.institution_id == institution_id,
            _code_or_id(CourseSection.code, CourseSection.id, code),
        )
        .options(*_with_schedule())  # type: ignore[arg-type]
    )


def find_course(session: Session, institution_id: uuid.UUID, code: str) -> Course | None:
    """A subject by code (or id)."""
    return session.scalar(
        select(Course).where(
            Course.institution_id == institution_id, _code_or_id(Course.code, Course.id, code)
        )
    )


def core_subjects(
    session: Session, institution_id: uuid.UUID, grade: int, term_ids: Sequence[uuid.UUID]
) -> Sequence[str]:
    """Codes of a grade's active core subjects that have an active schedule in the given terms."""
    offered = (
        select(CourseSection.id)
        .where(
            CourseSection.course_id == Course.id,
            CourseSection.term_id.in_(term_ids),
            CourseSection.is_active.is_(True),
        )
        .exists()
    )
    return session.scalars(
        select(Course.code)
        .where(
            Course.institution_id == institution_id,
            Course.grade_level == grade,
            Course.is_core.is_(True),
            Course.is_active.is_(True),
            offered,
        )
        .order_by(Course.code)
    ).all()


def prerequisites_of(
    session: Session, course_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[uuid.UUID, str]]]:
    """Each subject's prerequisites as (id, code)."""
    rows = session.execute(
        select(course_prerequisites.c.course_id, Course.id, Course.code)
        .join(Course, Course.id == course_prerequisites.c.prerequisite_id)
        .where(course_prerequisites.c.course_id.in_(course_ids))
        .order_by(Course.code)
    ).all()
    found: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {}
    for course_id, pre_id, pre_code in rows:
        found.setdefault(course_id, []).append((pre_id, pre_code))
    return found


@dataclass(frozen=True)
class AttemptRow:
    """A completed attempt with what the standing rules need about it."""

    course_id: uuid.UUID
    course_code: str
    is_core: bool
    credits: int
    course_grade_level: int | None
    grade: str | None
    grade_points: Decimal | None
    attendance: Decimal | None
    enrollment_type: EnrollmentType
    notes: str
    term_id: uuid.UUID
    term_code: str
    term_start: date
    year_id: uuid.UUID
    completed_at: datetime | None


def completed_attempts(session: Session, student_id: uuid.UUID) -> list[AttemptRow]:
    """Every COMPLETED enrollment of the student, oldest term first."""
    rows = session.execute(
        select(
            Course.id,
            Course.code,
            Course.is_core,
            Course.credits,
            Course.grade_level,
            Enrollment.grade,
            Enrollment.grade_points,
            Enrollment.attendance_percentage,
            Enrollment.enrollment_type,
            Enrollment.notes,
            Term.id,
            Term.code,
            Term.start_date,
            Term.academic_year_id,
            Enrollment.completed_at,
        )
        .join(CourseSection, CourseSection.id == Enrollment.section_id)
        .join(Course, Course.id == CourseSection.course_id)
        .join(Term, Term.id == CourseSection.term_id)
        .where(Enrollment.student_id == student_id, Enrollment.status == EnrollmentStatus.COMPLETED)
        .order_by(Term.start_date, Course.code)
    ).all()
    # The columns are selected in AttemptRow's field order.
    return [AttemptRow(*tuple(row)) for row in rows]


def active_enrollments(
    session: Session, student_id: uuid.UUID, term_ids: Sequence[uuid.UUID]
) -> Sequence[str]:
    """Codes of the subjects the student is already ENROLLED in during the given terms."""
    return session.scalars(
        select(Course.code)
        .join(CourseSection, CourseSection.course_id == Course.id)
        .join(Enrollment, Enrollment.section_id == CourseSection.id)
        .where(
            Enrollment.student_id == student_id,
            Enrollment.status == EnrollmentStatus.ENROLLED,
            CourseSection.term_id.in_(term_ids),
        )
        .order_by(Course.code)
    ).all()
