"""Queries of the gradebook: the section, its teacher, and its enrollments with their students."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from registrar.academics.models import CourseSection, Faculty
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.students.models import Student


@dataclass(frozen=True)
class RosterRow:
    """An enrollment of the section with the student's roll number and name."""

    enrollment: Enrollment
    roll_number: str
    name: str


def _roster_row(row: Any) -> RosterRow:
    enrollment, roll_number, name = row
    return RosterRow(enrollment, roll_number, name)


def section(
    session: Session, institution_id: uuid.UUID, section_id: uuid.UUID
) -> CourseSection | None:
    """The institution's section with its course and term, or None."""
    return session.scalar(
        select(CourseSection)
        .options(joinedload(CourseSection.course), joinedload(CourseSection.term))
        .where(CourseSection.id == section_id, CourseSection.institution_id == institution_id)
    )


def faculty_id_of_user(
    session: Session, institution_id: uuid.UUID, user_id: uuid.UUID
) -> uuid.UUID | None:
    """The active faculty member a login belongs to in the institution, or None."""
    return session.scalar(
        select(Faculty.id).where(
            Faculty.institution_id == institution_id,
            Faculty.user_id == user_id,
            Faculty.is_active.is_(True),
        )
    )


def _rows(
    section_id: uuid.UUID, statuses: Collection[EnrollmentStatus] | None
) -> Select[Enrollment, str, str]:
    query = (
        select(Enrollment, Student.roll_number, Student.name)
        .join(Student, Student.id == Enrollment.student_id)
        .where(Enrollment.section_id == section_id)
        .order_by(Student.roll_number, Enrollment.id)
    )
    if statuses is not None:
        query = query.where(Enrollment.status.in_(list(statuses)))
    return query


def roster_page(
    session: Session,
    section_id: uuid.UUID,
    statuses: Collection[EnrollmentStatus],
    *,
    limit: int,
    offset: int,
) -> tuple[list[RosterRow], int]:
    """One page of the section's enrollments in the statuses, by roll number, and their total."""
    rows = session.execute(_rows(section_id, statuses).limit(limit).offset(offset))
    total = session.scalar(
        select(func.count())
        .select_from(Enrollment)
        .where(Enrollment.section_id == section_id, Enrollment.status.in_(list(statuses)))
    )
    return [_roster_row(row) for row in rows], int(total or 0)


def enrollments(
    session: Session,
    section_id: uuid.UUID,
    *,
    statuses: Collection[EnrollmentStatus] | None = None,
    lock: bool = False,
) -> list[RosterRow]:
    """Every enrollment of the section (optionally in some statuses), locked when asked."""
    query = _rows(section_id, statuses)
    if lock:
        # Row locks on the enrollments only: a concurrent drop waits for the grade, not the term.
        query = query.with_for_update(of=Enrollment)
    return [_roster_row(row) for row in session.execute(query)]


def enrollment(
    session: Session, section_id: uuid.UUID, enrollment_id: uuid.UUID, *, lock: bool = False
) -> RosterRow | None:
    """One enrollment of the section, locked when asked, or None."""
    query = _rows(section_id, None).where(Enrollment.id == enrollment_id)
    if lock:
        query = query.with_for_update(of=Enrollment)
    row = session.execute(query).first()
    return _roster_row(row) if row is not None else None
