"""Queries for course sections, their timetables and room bookings."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, delete, exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from registrar.academics.models import CourseSection, TimetableSlot
from registrar.academics.repository.common import equal_filters, search
from registrar.enrollment.models import HOLDING_PLACE, Enrollment, EnrollmentStatus

_LOADED = (
    joinedload(CourseSection.course),
    joinedload(CourseSection.term),
    selectinload(CourseSection.slots).joinedload(TimetableSlot.room),
)


def sections(institution_id: uuid.UUID, filters: dict[str, Any], q: str | None) -> Select[Any]:
    """Sections of the institution with course, term and timetable, by code."""
    statement = (
        select(CourseSection)
        .where(CourseSection.institution_id == institution_id)
        .options(*_LOADED)
    )
    statement = equal_filters(
        statement, {getattr(CourseSection, name): value for name, value in filters.items()}
    )
    return search(statement, q, CourseSection.code).order_by(CourseSection.code)


def section(
    session: Session, institution_id: uuid.UUID, section_id: uuid.UUID, *, for_update: bool = False
) -> CourseSection | None:
    """One section, freshly loaded; locked when its seats are about to be changed."""
    statement = (
        select(CourseSection)
        .where(CourseSection.id == section_id, CourseSection.institution_id == institution_id)
        .options(*_LOADED)
        .execution_options(populate_existing=True)
    )
    if for_update:
        statement = statement.with_for_update(of=CourseSection)
    return session.scalar(statement)


def room_bookings(
    session: Session,
    term_id: uuid.UUID,
    room_ids: Iterable[uuid.UUID],
    exclude_section_id: uuid.UUID | None,
) -> list[tuple[TimetableSlot, str]]:
    """Slots of other active sections of the term in these rooms, with their section codes."""
    ids = list(set(room_ids))
    if not ids:
        return []
    statement = (
        select(TimetableSlot, CourseSection.code)
        .join(CourseSection, CourseSection.id == TimetableSlot.section_id)
        .where(
            TimetableSlot.room_id.in_(ids),
            CourseSection.term_id == term_id,
            CourseSection.is_active.is_(True),
        )
        .order_by(CourseSection.code, TimetableSlot.start_time)
    )
    if exclude_section_id is not None:
        statement = statement.where(CourseSection.id != exclude_section_id)
    return [(slot, code) for slot, code in session.execute(statement)]


def has_enrollments(session: Session, section_id: uuid.UUID) -> bool:
    """True when any enrollment row, of any status, names the section."""
    return bool(session.scalar(select(exists().where(Enrollment.section_id == section_id))))


def has_linked_sections(session: Session, section_id: uuid.UUID) -> bool:
    """Whether a LAB or TUTORIAL names this section as its lecture."""
    return bool(
        session.scalar(select(exists().where(CourseSection.linked_to_section_id == section_id)))
    )


def active_enrollments(session: Session, section_id: uuid.UUID) -> tuple[int, int]:
    """How many students hold a seat (ENROLLED, or OFFERED one) and a waitlist place in the
    section now (not COMPLETED)."""
    rows = session.execute(
        select(Enrollment.status, func.count())
        .where(
            Enrollment.section_id == section_id,
            Enrollment.status.in_(HOLDING_PLACE),
        )
        .group_by(Enrollment.status)
    )
    counts = {status: int(number) for status, number in rows}
    seated = counts.get(EnrollmentStatus.ENROLLED, 0) + counts.get(EnrollmentStatus.OFFERED, 0)
    return seated, counts.get(EnrollmentStatus.WAITLISTED, 0)


def replace_slots(session: Session, section_id: uuid.UUID, slots: list[TimetableSlot]) -> None:
    """Make `slots` the section's timetable."""
    session.execute(delete(TimetableSlot).where(TimetableSlot.section_id == section_id))
    session.add_all(slots)
    session.flush()
