"""On PostgreSQL, the usual registration's writes in one statement.

Taking a free seat, writing the enrollment, its audit event and the student's notices are the
same statements as `seats.take_seat`, `repository.insert_enrollment`, `audit.record` and
`notices.tell`, chained as data-modifying CTEs: the section's row is locked by the first and
released at COMMIT, so the hot row of a rush stays locked for two round trips instead of five.
The enrollment, the event and the notices are written only when the seat was taken; an INSERT
that meets an existing pair writes nothing and says so, and the caller gives the seat back.

SQLite, a waitlist place, a capacity override and a dropped row brought back take the
statement-by-statement path in `placing.py`; tests check both paths write the same rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ARRAY,
    CTE,
    JSON,
    ColumnElement,
    Connection,
    String,
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
from registrar.notifications.messages import Message
from registrar.notifications.models import Notification, NotificationStatus, RecipientKind
from registrar.notifications.outbox import fitted

_SECTIONS = table_of(CourseSection)
_ENROLLMENTS = table_of(Enrollment)
_EVENTS = table_of(AuditEvent)
_NOTIFICATIONS = table_of(Notification)


def _statement() -> Any:
    """The seat, the row and the event as three CTEs, and one row saying what each did."""
    seat = _seat()
    now = func.clock_timestamp()  # after the seat's lock: times order as the commits do
    written = _written(seat, now)
    audited = _audited(written, now)
    told = _told(written, now)
    return select(
        select(func.count()).select_from(seat).scalar_subquery().label("seated"),
        select(written.c.enrolled_at).scalar_subquery().label("enrolled_at"),
        select(func.count()).select_from(audited).scalar_subquery().label("audited"),
        select(func.count()).select_from(told).scalar_subquery().label("told"),
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
                "batch_course_id",
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
                bindparam("p_batch_course_id", type_=Uuid()),
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


def _told(written: CTE, now: ColumnElement[Any]) -> CTE:
    """One pending notification per recipient (kinds and addresses as two parallel arrays,
    zipped by `unnest`), for the row written (none when nothing was)."""
    events = _NOTIFICATIONS.c
    return (
        _NOTIFICATIONS.insert()
        .from_select(
            [
                "id",
                "institution_id",
                "student_id",
                "recipient_kind",
                "recipient_email",
                "event",
                "subject",
                "body",
                "status",
                "attempts",
                "next_attempt_at",
            ],
            select(
                func.gen_random_uuid(),
                bindparam("p_institution_id", type_=Uuid()),
                bindparam("p_student_id", type_=Uuid()),
                func.unnest(bindparam("p_notice_kinds", type_=ARRAY(String()))),
                func.unnest(bindparam("p_notice_emails", type_=ARRAY(String()))),
                bindparam("p_notice_event", type_=events.event.type),
                bindparam("p_notice_subject", type_=events.subject.type),
                bindparam("p_notice_body", type_=events.body.type),
                literal(NotificationStatus.PENDING, events.status.type),
                literal(0),
                now,
            ).select_from(written),
            include_defaults=False,
        )
        .returning(events.id)
        .cte("told")
    )


_SEAT_AND_WRITE = _statement()


@dataclass(frozen=True)
class Notices:
    """What the new enrollment's notices say, and to whom (none: an empty `to`)."""

    said: Message
    to: list[tuple[RecipientKind, str | None]]


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
    batch_course_id: uuid.UUID | None,
    actor_user_id: uuid.UUID | None,
    reason: str | None,
    details: dict[str, object],
    notices: Notices,
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
            "p_batch_course_id": batch_course_id,
            "p_event_id": uuid.uuid4(),
            "p_actor_user_id": actor_user_id,
            "p_reason": reason,
            "p_details": details,
            "p_notice_kinds": [kind.value for kind, _ in notices.to],
            "p_notice_emails": [email for _, email in notices.to],
            "p_notice_event": notices.said.event,
            "p_notice_subject": fitted(notices.said.subject),
            "p_notice_body": notices.said.body,
        },
    ).one()
    return bool(row.seated), row.enrolled_at
