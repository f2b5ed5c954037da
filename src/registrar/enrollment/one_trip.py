"""On PostgreSQL, the usual registration's three writes in one statement.

Taking a free seat, writing the enrollment and writing its audit event are the same three
statements as `seats.take_seat`, `repository.insert_enrollment` and `audit.record`, chained as
data-modifying CTEs: the section's row is locked by the first and released at COMMIT, so the
hot row of a rush stays locked for two round trips instead of four. The enrollment and the
event are written only when the seat was taken; an INSERT that meets an existing pair writes
nothing and says so, and the caller gives the seat back.

SQLite, a waitlist place, a capacity override and a dropped row brought back take the
statement-by-statement path in `placing.py`; tests check both paths write the same rows.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import (
    CTE,
    JSON,
    ColumnElement,
    Connection,
    Uuid,
    bindparam,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert

from registrar.academics.models import CourseSection
from registrar.audit.models import AuditEvent
from registrar.enrollment.models import Enrollment, EnrollmentStatus, EnrollmentType
from registrar.kit.core import table_of

_SECTIONS = table_of(CourseSection)
_ENROLLMENTS = table_of(Enrollment)
_EVENTS = table_of(AuditEvent)


def _statement() -> Any:
    """The seat, the row and the event as three CTEs, and one row saying what each did."""
    seat = _seat()
    now = func.clock_timestamp()  # after the seat's lock: times order as the commits do
    written = _written(seat, now)
    audited = _audited(written, now)
    return select(
        select(func.count()).select_from(seat).scalar_subquery().label("seated"),
        select(written.c.enrolled_at).scalar_subquery().label("enrolled_at"),
        select(func.count()).select_from(audited).scalar_subquery().label("audited"),
    )


def _seat() -> CTE:
    """A free seat taken by the conditional update (no row when the section is full)."""
    sections = _SECTIONS.c
    return (
        update(_SECTIONS)
        .where(
            sections.id == bindparam("p_section_id"), sections.enrolled_count < sections.capacity
        )
        # updated_at named here: SQLAlchemy computes no column defaults for a CTE's statements.
        .values(enrolled_count=sections.enrolled_count + 1, updated_at=func.now())
        .returning(sections.id)
        .cte("seat")
    )


def _written(seat: CTE, now: ColumnElement[Any]) -> CTE:
    """The enrollment row, written only when a seat was taken and the pair is new."""
    enrollments = _ENROLLMENTS.c
    return (
        pg_insert(_ENROLLMENTS)
        .from_select(
            [
                "id",
                "institution_id",
                "student_id",
                "section_id",
                "status",
                "enrollment_type",
                "enrollment_date",
                "notes",
                "enrolled_at",
            ],
            select(
                bindparam("p_enrollment_id", type_=Uuid()),
                bindparam("p_institution_id", type_=Uuid()),
                bindparam("p_student_id", type_=Uuid()),
                seat.c.id,
                literal(EnrollmentStatus.ENROLLED, enrollments.status.type),
                bindparam("p_enrollment_type", type_=enrollments.enrollment_type.type),
                bindparam("p_enrollment_date", type_=enrollments.enrollment_date.type),
                bindparam("p_notes", type_=enrollments.notes.type),
                now,
            ),
            # created_at and updated_at from their server defaults: the statement's other
            # parts would otherwise take the same parameter names for theirs.
            include_defaults=False,
        )
        .on_conflict_do_nothing(index_elements=[enrollments.student_id, enrollments.section_id])
        .returning(enrollments.id, enrollments.enrolled_at)
        .cte("written")
    )


def _audited(written: CTE, now: ColumnElement[Any]) -> CTE:
    """The audit event of the row written (none when nothing was)."""
    events = _EVENTS.c
    return (
        _EVENTS.insert()
        .from_select(
            [
                "id",
                "institution_id",
                "actor_user_id",
                "action",
                "entity_type",
                "entity_id",
                "reason",
                "details",
                "occurred_at",
            ],
            select(
                bindparam("p_event_id", type_=Uuid()),
                bindparam("p_institution_id", type_=Uuid()),
                bindparam("p_actor_user_id", type_=Uuid()),
                literal("enrollment.enroll", events.action.type),
                literal("enrollment", events.entity_type.type),
                written.c.id,
                bindparam("p_reason", type_=events.reason.type),
                bindparam("p_details", type_=JSON()),
                now,
            ),
            include_defaults=False,
        )
        .returning(events.id)
        .cte("audited")
    )


_SEAT_AND_WRITE = _statement()


def seat_and_write(
    connection: Connection,
    *,
    enrollment_id: uuid.UUID,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    section_id: uuid.UUID,
    enrollment_type: EnrollmentType,
    enrollment_date: date,
    notes: str,
    actor_user_id: uuid.UUID | None,
    reason: str | None,
    details: dict[str, object],
) -> tuple[bool, Any]:
    """(whether a seat was taken, when the enrollment was written, or None if it was not).

    Parameters are named `p_...`: SQLAlchemy keeps a table's own column names for the values
    of an INSERT or UPDATE.
    """
    row = connection.execute(
        _SEAT_AND_WRITE,
        {
            "p_section_id": section_id,
            "p_enrollment_id": enrollment_id,
            "p_institution_id": institution_id,
            "p_student_id": student_id,
            "p_enrollment_type": enrollment_type,
            "p_enrollment_date": enrollment_date,
            "p_notes": notes,
            "p_event_id": uuid.uuid4(),
            "p_actor_user_id": actor_user_id,
            "p_reason": reason,
            "p_details": details,
        },
    ).one()
    return bool(row.seated), row.enrolled_at
