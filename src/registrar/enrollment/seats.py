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

from sqlalchemy import Connection, Update, case, update

from registrar.academics.models import CourseSection
from registrar.kit.core import table_of

SECTIONS = table_of(CourseSection)


@dataclass(frozen=True)
class Counters:
    """The section's counters as the update left them."""

    capacity: int
    enrolled_count: int
    waitlisted_count: int


def _returning(connection: Connection, statement: Update) -> Counters | None:
    row = connection.execute(
        statement.returning(
            SECTIONS.c.capacity, SECTIONS.c.enrolled_count, SECTIONS.c.waitlisted_count
        )
    ).one_or_none()
    if row is None:
        return None
    return Counters(capacity=row[0], enrolled_count=row[1], waitlisted_count=row[2])


def take_seat(
    connection: Connection, section_id: uuid.UUID, *, above_capacity: bool = False
) -> Counters | None:
    """One more seat taken if one is free; None when the section is full.

    `above_capacity` is a registrar's capacity override: the seat is taken even when the
    section is full, by raising the capacity in the same conditional update so the CHECK
    (enrolled_count <= capacity) still holds and the change is visible (and audited).
    """
    c = SECTIONS.c
    statement = update(SECTIONS).where(c.id == section_id)
    if above_capacity:
        statement = statement.values(
            enrolled_count=c.enrolled_count + 1,
            capacity=case((c.enrolled_count >= c.capacity, c.enrolled_count + 1), else_=c.capacity),
        )
    else:
        statement = statement.where(c.enrolled_count < c.capacity).values(
            enrolled_count=c.enrolled_count + 1
        )
    return _returning(connection, statement)


def join_waitlist(connection: Connection, section_id: uuid.UUID) -> Counters | None:
    """One more place on the waitlist if it has room; the new count is the position."""
    c = SECTIONS.c
    statement = (
        update(SECTIONS)
        .where(c.id == section_id, c.waitlisted_count < c.waitlist_limit)
        .values(waitlisted_count=c.waitlisted_count + 1)
    )
    return _returning(connection, statement)


def leave_waitlist(connection: Connection, section_id: uuid.UUID) -> Counters | None:
    """One place fewer on the waitlist; None when it was already empty."""
    c = SECTIONS.c
    statement = (
        update(SECTIONS)
        .where(c.id == section_id, c.waitlisted_count > 0)
        .values(waitlisted_count=c.waitlisted_count - 1)
    )
    return _returning(connection, statement)


def free_seat(connection: Connection, section_id: uuid.UUID) -> Counters | None:
    """One seat fewer taken; None when none was taken (the counters would otherwise drift)."""
    c = SECTIONS.c
    statement = (
        update(SECTIONS)
        .where(c.id == section_id, c.enrolled_count > 0)
        .values(enrolled_count=c.enrolled_count - 1)
    )
    return _returning(connection, statement)


def lock_section(connection: Connection, section_id: uuid.UUID) -> Counters | None:
    """Lock the section's row (a no-op update) and read its counters."""
    c = SECTIONS.c
    statement = update(SECTIONS).where(c.id == section_id).values(enrolled_count=c.enrolled_count)
    return _returning(connection, statement)
