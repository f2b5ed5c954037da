"""Queries of the registration (seed 002) and student-courses (seed 001) endpoints."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, bindparam, select, true
from sqlalchemy.orm import Session, contains_eager, selectinload

from registrar.academics.models import Course, CourseSection, Faculty, Term, TimetableSlot
from registrar.enrollment.models import HOLDING_PLACE, Enrollment
from registrar.kit.core import AnyRow
from registrar.kit.direct import DirectSelect
from registrar.students.models import Student


def _terms(institution_id: uuid.UUID) -> Select[Term]:
    return (
        select(Term)
        .where(Term.institution_id == institution_id, Term.is_active.is_(True))
        .options(selectinload(Term.academic_year))
    )


def list_terms(session: Session, institution_id: uuid.UUID) -> Sequence[Term]:
    """The institution's active terms with their years, newest first."""
    query = _terms(institution_id).order_by(Term.start_date.desc(), Term.name)
    return session.scalars(query).all()


def get_term(session: Session, institution_id: uuid.UUID, term_id: uuid.UUID) -> Term | None:
    """One active term with its year."""
    return session.scalar(_terms(institution_id).where(Term.id == term_id))


# One row per meeting (or one with no meeting) of each section: the section with its course
# and teacher, then the meeting's day and times. Built once, with bound parameters.
_OFFERING_ROWS = (
    select(
        CourseSection.id,
        CourseSection.term_id,
        CourseSection.capacity,
        CourseSection.waitlist_limit,
        CourseSection.enrolled_count,
        CourseSection.waitlisted_count,
        Course.title,
        Course.code,
        Course.credits,
        Faculty.name.label("professor"),
        TimetableSlot.day,
        TimetableSlot.start_time,
        TimetableSlot.end_time,
    )
    .join(Course, Course.id == CourseSection.course_id)
    .outerjoin(Faculty, Faculty.id == CourseSection.faculty_id)
    .outerjoin(TimetableSlot, TimetableSlot.section_id == CourseSection.id)
    .where(CourseSection.institution_id == bindparam("institution_id"))
)
_TERM_OFFERING_ROWS = _OFFERING_ROWS.where(
    CourseSection.term_id == bindparam("term_id"), CourseSection.is_active.is_(True)
).order_by(Course.code, CourseSection.code, CourseSection.id)
_ONE_OFFERING_ROWS = _OFFERING_ROWS.where(CourseSection.id == bindparam("section_id"))
_TERM_OFFERING_DIRECT = DirectSelect(_TERM_OFFERING_ROWS)
_ONE_OFFERING_DIRECT = DirectSelect(_ONE_OFFERING_ROWS)


def term_offering_rows(
    session: Session, institution_id: uuid.UUID, term_id: uuid.UUID
) -> Sequence[AnyRow]:
    """The active sections of a term by course code, a row per meeting, in one query."""
    params = {"institution_id": institution_id, "term_id": term_id}
    return _TERM_OFFERING_DIRECT.all(session.connection(), params)


def offering_rows(
    session: Session, institution_id: uuid.UUID, section_id: uuid.UUID
) -> Sequence[AnyRow]:
    """One section, a row per meeting (none when there is no such section)."""
    params = {"institution_id": institution_id, "section_id": section_id}
    return _ONE_OFFERING_DIRECT.all(session.connection(), params)


_HELD_IN_TERM = (
    select(
        CourseSection.id,
        Course.code,
        Course.title,
        Faculty.name.label("professor"),
        Enrollment.status,
        Enrollment.waitlist_position,
        TimetableSlot.day,
        TimetableSlot.start_time,
        TimetableSlot.end_time,
    )
    .select_from(Enrollment)
    .join(CourseSection, CourseSection.id == Enrollment.section_id)
    .join(Course, Course.id == CourseSection.course_id)
    .outerjoin(Faculty, Faculty.id == CourseSection.faculty_id)
    .outerjoin(TimetableSlot, TimetableSlot.section_id == CourseSection.id)
    .where(
        Enrollment.student_id == bindparam("student_id"),
        CourseSection.term_id == bindparam("term_id"),
        Enrollment.status.in_(HOLDING_PLACE),
    )
    .subquery("held")
)
# The term, then the student's places in it: a row of NULL places for a term where they hold
# none, and no row at all for a term the institution does not have.
_HELD_IN_TERM_ROWS = (
    select(Term.is_active.label("term_active"), *_HELD_IN_TERM.c)
    .select_from(Term)
    .outerjoin(_HELD_IN_TERM, true())
    .where(Term.id == bindparam("term_id"), Term.institution_id == bindparam("institution_id"))
    .order_by(_HELD_IN_TERM.c.code, _HELD_IN_TERM.c.id)
)
_HELD_IN_TERM_DIRECT = DirectSelect(_HELD_IN_TERM_ROWS)


@dataclass(frozen=True)
class HeldInTerm:
    """Whether the term is one of the institution's active terms, and the student's places in
    it (a row per meeting)."""

    term_active: bool
    rows: list[AnyRow]


def held_in_term_rows(
    session: Session, institution_id: uuid.UUID, student_id: uuid.UUID, term_id: uuid.UUID
) -> HeldInTerm:
    """The student's places (ENROLLED, WAITLISTED, OFFERED) in a term by course code, each with its
    section's course, teacher and meetings, and whether the term is the institution's: one
    query."""
    params = {"student_id": student_id, "term_id": term_id, "institution_id": institution_id}
    found = _HELD_IN_TERM_DIRECT.all(session.connection(), params)
    return HeldInTerm(
        term_active=bool(found) and bool(found[0].term_active),
        rows=[row for row in found if row.id is not None],
    )


_TERM_EXISTS = select(Term.id).where(
    Term.id == bindparam("term_id"),
    Term.institution_id == bindparam("institution_id"),
    Term.is_active.is_(True),
)


def term_exists(session: Session, institution_id: uuid.UUID, term_id: uuid.UUID) -> bool:
    """True for an active term of the institution."""
    found = session.connection().scalar(
        _TERM_EXISTS, {"term_id": term_id, "institution_id": institution_id}
    )
    return found is not None


def held_enrollment_id(
    session: Session, student_id: uuid.UUID, section_id: uuid.UUID
) -> uuid.UUID | None:
    """The id of the student's row holding a place in a section (a seat, or one queued or
    offered)."""
    return session.scalar(
        select(Enrollment.id).where(
            Enrollment.student_id == student_id,
            Enrollment.section_id == section_id,
            Enrollment.status.in_(HOLDING_PLACE),
        )
    )


def get_student(
    session: Session, institution_id: uuid.UUID, student_id: uuid.UUID
) -> Student | None:
    """A student of the institution."""
    return session.scalar(
        select(Student).where(Student.id == student_id, Student.institution_id == institution_id)
    )


def get_course(session: Session, institution_id: uuid.UUID, course_id: uuid.UUID) -> Course | None:
    """A catalog course of the institution."""
    return session.scalar(
        select(Course).where(Course.id == course_id, Course.institution_id == institution_id)
    )


def open_sections_of_course(
    session: Session, institution_id: uuid.UUID, course_id: uuid.UUID, now: datetime
) -> Sequence[CourseSection]:
    """Active sections of a course in terms whose registration window is open now."""
    query = (
        select(CourseSection)
        .join(Term, Term.id == CourseSection.term_id)
        .where(
            CourseSection.institution_id == institution_id,
            CourseSection.course_id == course_id,
            CourseSection.is_active.is_(True),
            Term.is_active.is_(True),
            Term.registration_start <= now,
            Term.registration_end >= now,
        )
        .options(contains_eager(CourseSection.term))
        .order_by(Term.registration_end, CourseSection.section_type, CourseSection.code)
    )
    return session.scalars(query).all()


def student_enrollments(session: Session, student_id: uuid.UUID) -> Sequence[Enrollment]:
    """Every enrollment of a student, with section, course and term."""
    query = (
        select(Enrollment)
        .join(CourseSection, CourseSection.id == Enrollment.section_id)
        .join(Term, Term.id == CourseSection.term_id)
        .join(Course, Course.id == CourseSection.course_id)
        .where(Enrollment.student_id == student_id)
        .options(
            selectinload(Enrollment.section).options(
                selectinload(CourseSection.course), selectinload(CourseSection.term)
            )
        )
        .order_by(Term.start_date.desc(), Course.code)
    )
    return session.scalars(query).all()
