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

from sqlalchemy import Connection, Update, bindparam, case, update
from sqlalchemy.sql.dml import ReturningUpdate

from registrar.academics.models import CourseSection
from registrar.kit.core import table_of

SECTIONS = table_of(CourseSection)


@dataclass(frozen=True)
class Counters:
    """The section's counters as the update left them."""

    capacity: int
    enrolled_count: int
    waitlisted_count: int


_c = SECTIONS.c
_THIS = _c.id == bindparam("section_id")


def _counting(statement: Update) -> ReturningUpdate[int, int, int]:
    return statement.returning(_c.capacity, _c.enrolled_count, _c.waitlisted_count)


# Built once: each is a conditional update of the one row, with the new counters returned.
_TAKE_SEAT = _counting(
    update(SECTIONS)
    .where(_THIS, _c.enrolled_count < _c.capacity)
    .values(enrolled_count=_c.enrolled_count + 1)
)
_TAKE_SEAT_ABOVE_CAPACITY = _counting(
    update(SECTIONS)
    .where(_THIS)
    .values(
        enrolled_count=_c.enrolled_count + 1,
        capacity=case((_c.enrolled_count >= _c.capacity, _c.enrolled_count + 1), else_=_c.capacity),
    )
)
_JOIN_WAITLIST = _counting(
    update(SECTIONS)
    .where(_THIS, _c.waitlisted_count < _c.waitlist_limit)
    .values(waitlisted_count=_c.waitlisted_count + 1)
)
_LEAVE_WAITLIST = _counting(
    update(SECTIONS)
    .where(_THIS, _c.waitlisted_count > 0)
    .values(waitlisted_count=_c.waitlisted_count - 1)
)
_FREE_SEAT = _counting(
    update(SECTIONS)
    .where(_THIS, _c.enrolled_count > 0)
    .values(enrolled_count=_c.enrolled_count - 1)
)
_LOCK_SECTION = _counting(update(SECTIONS).where(_THIS).values(enrolled_count=_c.enrolled_count))


def _run(
    connection: Connection, statement: ReturningUpdate[int, int, int], section_id: uuid.UUID
) -> Counters | None:
    row = connection.execute(statement, {"section_id": section_id}).one_or_none()
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
    return _run(connection, _TAKE_SEAT_ABOVE_CAPACITY if above_capacity else _TAKE_SEAT, section_id)


def join_waitlist(connection: Connection, section_id: uuid.UUID) -> Counters | None:
    """One more place on the waitlist if it has room; the new count is the position."""
    return _run(connection, _JOIN_WAITLIST, section_id)


def leave_waitlist(connection: Connection, section_id: uuid.UUID) -> Counters | None:
    """One place fewer on the waitlist; None when it was already empty."""
    return _run(connection, _LEAVE_WAITLIST, section_id)


def free_seat(connection: Connection, section_id: uuid.UUID) -> Counters | None:
    """One seat fewer taken; None when none was taken (the counters would otherwise drift)."""
    return _run(connection, _FREE_SEAT, section_id)


def lock_section(connection: Connection, section_id: uuid.UUID) -> Counters | None:
    """Lock the section's row (a no-op update) and read its counters."""
    return _run(connection, _LOCK_SECTION, section_id)
