"""The few reads only the pages need: choices for their forms, and seat pressure for a chart.

Plain rows, no ORM objects. Everything a page shows about a student's own record or an
enrollment comes from the services the API uses, not from here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from registrar.academics.models import (
    AcademicProgram,
    AcademicYear,
    Course,
    CourseSection,
    Department,
    Room,
    Term,
    TimetableSlot,
)
from registrar.institutions.models import Institution
from registrar.portal.student_portal.repository import MEETING


def active_institutions(session: Session) -> list[Row[Any]]:
    """Tag and name of every active institution, by name (the sign-in page's choice)."""
    statement = (
        select(Institution.tag, Institution.name)
        .where(Institution.is_active.is_(True))
        .order_by(Institution.name)
    )
    return list(session.execute(statement))


def departments(session: Session, institution_id: uuid.UUID) -> list[Row[Any]]:
    """Id, code and name of the institution's departments, by code."""
    statement = (
        select(Department.id, Department.code, Department.name)
        .where(Department.institution_id == institution_id)
        .order_by(Department.code)
    )
    return list(session.execute(statement))


def programs(session: Session, institution_id: uuid.UUID) -> list[Row[Any]]:
    """Id, code, name and department of the institution's programs, by code."""
    statement = (
        select(
            AcademicProgram.id,
            AcademicProgram.code,
            AcademicProgram.name,
            AcademicProgram.department_id,
        )
        .where(AcademicProgram.institution_id == institution_id)
        .order_by(AcademicProgram.code)
    )
    return list(session.execute(statement))


def year_codes(session: Session, institution_id: uuid.UUID) -> list[str]:
    """The institution's academic year codes, latest first."""
    statement = (
        select(AcademicYear.code)
        .where(AcademicYear.institution_id == institution_id)
        .order_by(AcademicYear.start_date.desc())
    )
    return list(session.scalars(statement))


def queues(
    session: Session, institution_id: uuid.UUID, section_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, int]]:
    """Waitlisted count and waitlist limit of each listed section of the institution."""
    ids = list(section_ids)
    if not ids:
        return {}
    statement = select(
        CourseSection.id, CourseSection.waitlisted_count, CourseSection.waitlist_limit
    ).where(CourseSection.institution_id == institution_id, CourseSection.id.in_(ids))
    return {
        row.id: (row.waitlisted_count, row.waitlist_limit) for row in session.execute(statement)
    }


def section_pressure(
    session: Session, institution_id: uuid.UUID, term_id: uuid.UUID
) -> list[Row[Any]]:
    """Every active section of the term: code, course, seats taken and waitlist, by code."""
    statement = (
        select(
            CourseSection.id,
            CourseSection.code,
            Course.code.label("course_code"),
            CourseSection.capacity,
            CourseSection.enrolled_count,
            CourseSection.waitlist_limit,
            CourseSection.waitlisted_count,
        )
        .join(Course, Course.id == CourseSection.course_id)
        .where(
            CourseSection.institution_id == institution_id,
            CourseSection.term_id == term_id,
            CourseSection.is_active.is_(True),
        )
        .order_by(CourseSection.code)
    )
    return list(session.execute(statement))


def term_of(session: Session, institution_id: uuid.UUID, term_id: uuid.UUID) -> Term | None:
    """The institution's term with that id."""
    return session.scalar(
        select(Term).where(Term.institution_id == institution_id, Term.id == term_id)
    )


def open_term(session: Session, institution_id: uuid.UUID, now: datetime) -> Term | None:
    """The active term whose registration window is open now (the latest to open)."""
    return session.scalar(
        select(Term)
        .where(
            Term.institution_id == institution_id,
            Term.is_active.is_(True),
            Term.registration_start <= now,
            Term.registration_end >= now,
        )
        .order_by(Term.registration_start.desc(), Term.code)
        .limit(1)
    )


def terms(session: Session, institution_id: uuid.UUID) -> list[Row[Any]]:
    """Id, code and name of the institution's active terms, latest first."""
    statement = (
        select(Term.id, Term.code, Term.name)
        .where(Term.institution_id == institution_id, Term.is_active.is_(True))
        .order_by(Term.start_date.desc(), Term.code)
    )
    return list(session.execute(statement))


def linked_sections(
    session: Session, institution_id: uuid.UUID, lecture_ids: Iterable[uuid.UUID]
) -> list[Row[Any]]:
    """The active LAB and TUTORIAL sections taken with each of the lectures (`lecture_id`), with
    their seats, waitlist, whether their course requires one, and a row per weekly meeting
    (one of NULLs for none), by lecture, kind and code."""
    ids = list(lecture_ids)
    if not ids:
        return []
    statement = (
        select(
            CourseSection.linked_to_section_id.label("lecture_id"),
            CourseSection.id,
            CourseSection.code,
            CourseSection.section_type,
            CourseSection.capacity,
            CourseSection.enrolled_count,
            CourseSection.waitlisted_count,
            CourseSection.waitlist_limit,
            Course.requires_linked_section,
            *MEETING,
        )
        .join(Course, Course.id == CourseSection.course_id)
        .outerjoin(TimetableSlot, TimetableSlot.section_id == CourseSection.id)
        .outerjoin(Room, Room.id == TimetableSlot.room_id)
        .where(
            CourseSection.institution_id == institution_id,
            CourseSection.linked_to_section_id.in_(ids),
            CourseSection.is_active.is_(True),
        )
        .order_by(
            CourseSection.linked_to_section_id,
            CourseSection.section_type,
            CourseSection.code,
            TimetableSlot.start_time,
        )
    )
    return list(session.execute(statement))
