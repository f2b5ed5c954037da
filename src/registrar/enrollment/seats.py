"""The section's seat and waitlist counters, changed only by conditional updates.

Never read-modify-write these in Python. Each statement below checks its condition and changes
the counter in one step; on PostgreSQL (READ COMMITTED) an UPDATE that waited for another
writer's lock re-checks its WHERE on the row that writer committed, so no section can be
oversubscribed and no retry loop is needed. The row lock it takes is held until the caller's
transaction ends, which is what orders the waitlist: position = arrival order = commit order.
The CHECK constraints on `course_sections` refuse anything these statements would miss.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Update, case, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from registrar.academics.models import CourseSection

_NO_SYNC = {"synchronize_session": False}


@dataclass(frozen=True)
class Counters:
    """The section's counters as the update left them."""

    capacity: int
    enrolled_count: int
    waitlisted_count: int


def _returning(
    session: Session, statement: Update, section: CourseSection | None
) -> Counters | None:
    row = session.execute(
        statement.returning(
            CourseSection.capacity, CourseSection.enrolled_count, CourseSection.waitlisted_count
        ),
        execution_options=_NO_SYNC,
    ).one_or_none()
    if row is None:
        return None
    counters = Counters(capacity=row[0], enrolled_count=row[1], waitlisted_count=row[2])
    if section is not None:
        # Keep the loaded object truthful without another query.
        set_committed_value(section, "capacity", counters.capacity)
        set_committed_value(section, "enrolled_count", counters.enrolled_count)
        set_committed_value(section, "waitlisted_count", counters.waitlisted_count)
    return counters


def take_seat(
    session: Session,
    section_id: uuid.UUID,
    *,
    above_capacity: bool = False,
    section: CourseSection | None = None,
) -> Counters | None:
    """One more seat taken if one is free; None when the section is full.

    `above_capacity` is a registrar's capacity override: the seat is taken even when the
    section is full, by raising the capacity in the same conditional update so the CHECK
    (enrolled_count <= capacity) still holds and the change is visible (and audited).
    """
    statement = update(CourseSection).where(CourseSection.id == section_id)
    if above_capacity:
        statement = statement.values(
            enrolled_count=CourseSection.enrolled_count + 1,
            capacity=case(
                (
                    CourseSection.enrolled_count >= CourseSection.capacity,
                    CourseSection.enrolled_count + 1,
                ),
                else_=CourseSection.capacity,
            ),
        )
    else:
        statement = statement.where(CourseSection.enrolled_count < CourseSection.capacity).values(
            enrolled_count=CourseSection.enrolled_count + 1
        )
    return _returning(session, statement, section)


def join_waitlist(
    session: Session, section_id: uuid.UUID, *, section: CourseSection | None = None
) -> Counters | None:
    """One more place on the waitlist if it has room; the new count is the position."""
    statement = (
        update(CourseSection)
        .where(
            CourseSection.id == section_id,
            CourseSection.waitlisted_count < CourseSection.waitlist_limit,
        )
        .values(waitlisted_count=CourseSection.waitlisted_count + 1)
    )
    return _returning(session, statement, section)


def leave_waitlist(
    session: Session, section_id: uuid.UUID, *, section: CourseSection | None = None
) -> Counters | None:
    """One place fewer on the waitlist; None when it was already empty."""
    statement = (
        update(CourseSection)
        .where(CourseSection.id == section_id, CourseSection.waitlisted_count > 0)
        .values(waitlisted_count=CourseSection.waitlisted_count - 1)
    )
    return _returning(session, statement, section)


def free_seat(
    session: Session, section_id: uuid.UUID, *, section: CourseSection | None = None
) -> Counters | None:
    """One seat fewer taken; None when none was taken (the counters would otherwise drift)."""
    statement = (
        update(CourseSection)
        .where(CourseSection.id == section_id, CourseSection.enrolled_count > 0)
        .values(enrolled_count=CourseSection.enrolled_count - 1)
    )
    return _returning(session, statement, section)


def lock_section(session: Session, section_id: uuid.UUID) -> Counters | None:
    """Lock the section's row (a no-op update) and read its counters."""
    statement = (
        update(CourseSection)
        .where(CourseSection.id == section_id)
        .values(enrolled_count=CourseSection.enrolled_count)
    )
    return _returning(session, statement, None)
