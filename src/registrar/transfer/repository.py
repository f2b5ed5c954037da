"""Lookups the importer needs, a query per kind of row (never one per CSV row)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, select
from sqlalchemy.orm import Session, joinedload

from registrar.academics.models import (
    AcademicProgram,
    AcademicYear,
    Course,
    CourseSection,
    Department,
    Faculty,
    Term,
)
from registrar.auth.models import User
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.students.models import Student, StudentBatch

IN_CHUNK = 1000


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    wanted = sorted(set(values))
    for start in range(0, len(wanted), IN_CHUNK):
        yield wanted[start : start + IN_CHUNK]


def _by_code(
    session: Session, model: Any, column: Any, institution_id: uuid.UUID
) -> dict[str, Any]:
    rows = session.scalars(select(model).where(model.institution_id == institution_id))
    return {getattr(row, column): row for row in rows}


def departments(session: Session, institution_id: uuid.UUID) -> dict[str, Department]:
    """The institution's departments by code."""
    return _by_code(session, Department, "code", institution_id)


def programs(session: Session, institution_id: uuid.UUID) -> dict[str, AcademicProgram]:
    """The institution's programs by code."""
    return _by_code(session, AcademicProgram, "code", institution_id)


def years(session: Session, institution_id: uuid.UUID) -> dict[str, AcademicYear]:
    """The institution's academic years by code."""
    return _by_code(session, AcademicYear, "code", institution_id)


def terms(session: Session, institution_id: uuid.UUID) -> dict[str, Term]:
    """The institution's terms by code."""
    return _by_code(session, Term, "code", institution_id)


def faculty(session: Session, institution_id: uuid.UUID) -> dict[str, Faculty]:
    """The institution's faculty by employee code."""
    return _by_code(session, Faculty, "employee_code", institution_id)


def courses(session: Session, institution_id: uuid.UUID) -> dict[str, Course]:
    """The institution's courses by code."""
    return _by_code(session, Course, "code", institution_id)


def batches(session: Session, institution_id: uuid.UUID) -> dict[str, StudentBatch]:
    """The institution's batches by code, with their academic years."""
    rows = session.scalars(
        select(StudentBatch)
        .where(StudentBatch.institution_id == institution_id)
        .options(joinedload(StudentBatch.academic_year))
    )
    return {row.code: row for row in rows}


def existing_values(
    session: Session, institution_id: uuid.UUID, column: Any, values: Iterable[str]
) -> set[str]:
    """Which of `values` the column already holds in the institution (chunked IN lists)."""
    table = column.class_
    found: set[str] = set()
    for chunk in _chunks(values):
        found.update(
            session.scalars(
                select(column).where(table.institution_id == institution_id, column.in_(chunk))
            )
        )
    return found


def taken_usernames(session: Session, institution_id: uuid.UUID, names: Iterable[str]) -> set[str]:
    """Usernames of the institution among `names`."""
    return existing_values(session, institution_id, User.username, names)


def taken_section_codes(
    session: Session, institution_id: uuid.UUID, codes: Iterable[str]
) -> set[str]:
    """Section codes of the institution among `codes`."""
    return existing_values(session, institution_id, CourseSection.code, codes)


def sections_by_code(
    session: Session, institution_id: uuid.UUID, codes: Iterable[str]
) -> dict[str, CourseSection]:
    """The institution's sections among `codes`, by code."""
    wanted = list(set(codes))
    if not wanted:
        return {}
    found = session.scalars(
        select(CourseSection).where(
            CourseSection.institution_id == institution_id, CourseSection.code.in_(wanted)
        )
    )
    return {section.code: section for section in found}


def roster(section_id: uuid.UUID) -> Select[*tuple[Any, ...]]:
    """A section's enrollments with their students: seated first, then the waitlist in order."""
    seated = case(
        (Enrollment.status.in_([EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED]), 0),
        (Enrollment.status == EnrollmentStatus.WAITLISTED, 1),
        else_=2,
    )
    return (
        select(
            Student.roll_number,
            Student.name,
            Student.email,
            Enrollment.status,
            Enrollment.enrollment_type,
            Enrollment.waitlist_position,
            Enrollment.grade,
            Enrollment.grade_points,
            Enrollment.attendance_percentage,
        )
        .join(Student, Student.id == Enrollment.student_id)
        .where(Enrollment.section_id == section_id)
        .order_by(seated, Enrollment.waitlist_position, Student.roll_number)
    )


def current_term(session: Session, institution_id: uuid.UUID, today: date) -> Term | None:
    """The term running today; else the one that started last; else the earliest to come."""
    base = select(Term).where(Term.institution_id == institution_id, Term.is_active.is_(True))
    running = base.where(Term.start_date <= today, Term.end_date >= today)
    started = base.where(Term.start_date <= today)
    return (
        session.scalar(running.order_by(Term.start_date.desc(), Term.code).limit(1))
        or session.scalar(started.order_by(Term.start_date.desc(), Term.code).limit(1))
        or session.scalar(base.order_by(Term.start_date, Term.code).limit(1))
    )


def term_by_code(session: Session, institution_id: uuid.UUID, code: str) -> Term | None:
    """The institution's term with that code."""
    return session.scalar(
        select(Term).where(Term.institution_id == institution_id, Term.code == code)
    )


def batch_enrollments(batch_id: uuid.UUID, term_id: uuid.UUID | None) -> Select[*tuple[Any, ...]]:
    """Each student of the batch with each of their enrollments of the term (or none: NULLs)."""
    in_term = and_(
        Enrollment.student_id == Student.id,
        Enrollment.section_id.in_(select(CourseSection.id).where(CourseSection.term_id == term_id)),
    )
    return (
        select(
            Student.roll_number,
            Student.name,
            Student.email,
            Student.status.label("student_status"),
            Course.code.label("course_code"),
            Course.title.label("course_title"),
            Course.credits,
            CourseSection.code.label("section_code"),
            Enrollment.status,
            Enrollment.enrollment_type,
            Enrollment.waitlist_position,
            Enrollment.grade,
            Enrollment.attendance_percentage,
        )
        .select_from(Student)
        .outerjoin(Enrollment, in_term)
        .outerjoin(CourseSection, CourseSection.id == Enrollment.section_id)
        .outerjoin(Course, Course.id == CourseSection.course_id)
        .where(Student.batch_id == batch_id)
        .order_by(Student.roll_number, Course.code, CourseSection.code)
    )
