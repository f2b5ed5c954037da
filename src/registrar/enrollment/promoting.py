"""Giving a seat that opened to the head of the section's waitlist, in arrival order.

Every way a seat appears ends here: a drop, a withdrawal, an offer declined or expired hands
its seat on (`promote_head`), and a capacity raised, or any other new free seat, is filled from
the head of the list (`fill_free_seats`). In a section that offers (`waitlist_mode` OFFER) the
head is not moved into the seat but offered it: the seat is held for them (counted as taken, so
nobody else can take it) until they accept, decline, or the offer expires (`offers`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from registrar.audit import service as audit
from registrar.auth.actor import Actor
from registrar.enrollment import catalog, repository, seats
from registrar.enrollment.catalog import CatalogSection
from registrar.enrollment.models import EnrollmentStatus
from registrar.enrollment.notices import Recipients, message, tell
from registrar.enrollment.orm_sync import expire_enrollment, expire_section_counters
from registrar.enrollment.outcomes import EnrollmentRecord
from registrar.errors import NotFound
from registrar.kit.columns import utcnow


@dataclass(frozen=True)
class Freed:
    """A seat given up in a section whose row the caller holds locked: the section, its
    waitlist count as of the lock, and how the head of the list is to get the seat."""

    section: CatalogSection
    waitlisted: int
    school: bool
    offer_hours: int | None


def promote_head(
    session: Session, freed: Freed, dropped: EnrollmentRecord, actor: Actor
) -> EnrollmentRecord | None:
    """Give the freed seat to the waitlist's head (the seat stays taken), else free it."""
    connection = session.connection()
    section = freed.section
    head = repository.waitlist_head(connection, section.id) if freed.waitlisted > 0 else None
    if head is None:
        seats.free_seat(connection, section.id)
        return None
    cause = {
        "after_drop_of": str(dropped.id),
        "dropped_by_user_id": str(actor.user_id) if actor.user_id else None,
    }
    return _seat_head(
        session,
        connection,
        section,
        head,
        cause,
        school=freed.school,
        offer_hours=freed.offer_hours,
    )


def fill_free_seats(
    session: Session, *, institution_id: uuid.UUID, section_id: uuid.UUID, actor: Actor
) -> list[EnrollmentRecord]:
    """Move the head of the waitlist into every free seat of the section, in arrival order
    (after its capacity was raised, or whenever else seats appear); who was promoted.

    Runs in the caller's transaction; locks the section's row, then the waitlist's rows.
    """
    session.flush()
    connection = session.connection()
    counters = seats.lock_section(connection, section_id)
    version = catalog.version_of(connection, institution_id)
    section = catalog.section(connection, institution_id, version or 0, section_id)
    policy = catalog.policy(connection, institution_id, version or 0)
    if counters is None or section is None or policy is None:
        raise NotFound("Course section not found")
    cause = {"after": "seats_freed", "by_user_id": str(actor.user_id) if actor.user_id else None}
    promoted: list[EnrollmentRecord] = []
    free = counters.capacity - counters.enrolled_count
    for _ in range(min(free, counters.waitlisted_count)):
        head = repository.waitlist_head(connection, section_id)
        if head is None or seats.take_seat(connection, section_id) is None:
            break
        promoted.append(
            _seat_head(
                session,
                connection,
                section,
                head,
                cause,
                school=policy.school,
                offer_hours=policy.offer_hours_for(section),
            )
        )
    expire_section_counters(session, section_id)
    return promoted


def _seat_head(
    session: Session,
    connection: Connection,
    section: CatalogSection,
    head: Any,
    cause: dict[str, Any],
    *,
    school: bool,
    offer_hours: int | None,
) -> EnrollmentRecord:
    """Move the waitlist's head (row-locked) into a seat already counted as taken, or, in a
    section that offers, hold that seat for them until the offer expires."""
    seats.leave_waitlist(connection, section.id)
    now = utcnow()
    if offer_hours is None:
        changes: dict[str, Any] = {"status": EnrollmentStatus.ENROLLED, "enrolled_at": now}
    else:
        expires = now + timedelta(hours=offer_hours)
        changes = {"status": EnrollmentStatus.OFFERED, "offer_expires_at": expires}
    changes["waitlist_position"] = None
    promoted = EnrollmentRecord.of(repository.rewrite_enrollment(connection, head.id, changes))
    expire_enrollment(session, head.id)
    repository.close_up_waitlist(connection, section.id, behind=1)
    if offer_hours is None:
        said = message("enrollment.promoted", section)
    else:
        said = message("enrollment.offered", section, hours=offer_hours, expires=expires)
    tell(session, promoted.institution_id, Recipients.of(head, school=school), said)
    _audit_promotion(session, promoted, section, cause)
    return promoted


def _audit_promotion(
    session: Session, promoted: EnrollmentRecord, section: CatalogSection, cause: dict[str, Any]
) -> None:
    # The system promotes (actor None); what freed the seat, and who, is kept in the details.
    audit.record(
        session,
        institution_id=promoted.institution_id,
        actor_user_id=None,
        action="enrollment.promote"
        if promoted.status is EnrollmentStatus.ENROLLED
        else "enrollment.offer",
        entity_type="enrollment",
        entity_id=promoted.id,
        details={
            "student_id": str(promoted.student_id),
            "section_id": str(section.id),
            "course_code": section.course.code,
            "from_position": 1,
            **cause,
        },
    )
