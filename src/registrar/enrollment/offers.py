"""Answering a seat offered from the waitlist: accept it, decline it, or let it expire.

A section in OFFER mode holds a seat that opens for the head of its waitlist
(`promoting`): status OFFERED until `offer_expires_at`, the seat counted as taken so nobody
else can have it. The student accepts (the seat is theirs) or declines (it passes on); an offer
not answered in time is expired by `registrar worker` and passes on the same way. Every answer
locks in the engine's one order (the student, the section, the enrollment) and checks the
offer again under those locks, so an accept at the moment of expiry gives the seat to exactly
one student.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from registrar.audit import service as audit
from registrar.auth.actor import SYSTEM, Actor
from registrar.enrollment import repository
from registrar.enrollment.dropping import Leaving, drop, lock_place
from registrar.enrollment.models import EnrollmentStatus
from registrar.enrollment.notices import message, tell
from registrar.enrollment.orm_sync import expire_enrollment
from registrar.enrollment.outcomes import (
    DropOutcome,
    EnrollmentNotActive,
    EnrollmentRecord,
    OfferExpired,
)
from registrar.kit.columns import utcnow

DECLINED = "Declined the offered seat"
EXPIRED = "The offer expired"


def accept(
    session: Session,
    *,
    institution_id: uuid.UUID,
    enrollment_id: uuid.UUID,
    actor: Actor,
    student_id: uuid.UUID | None = None,
) -> EnrollmentRecord:
    """Take the seat offered; refused once the offer has expired (even if not yet passed on)."""
    session.flush()
    connection = session.connection()
    held = lock_place(connection, institution_id, enrollment_id, student_id)
    offer = held.enrollment
    if offer.status is EnrollmentStatus.DROPPED and offer.drop_reason == EXPIRED:
        raise OfferExpired(offer.dropped_at)  # passed on already by the worker
    if offer.status is not EnrollmentStatus.OFFERED:
        raise EnrollmentNotActive("No seat is offered here", details={"status": offer.status.value})
    now = utcnow()
    if offer.offer_expires_at <= now:
        raise OfferExpired(offer.offer_expires_at)
    changes = {"status": EnrollmentStatus.ENROLLED, "enrolled_at": now, "offer_expires_at": None}
    accepted = EnrollmentRecord.of(repository.rewrite_enrollment(connection, offer.id, changes))
    expire_enrollment(session, offer.id)
    section = held.section
    audit.record(
        session,
        institution_id=institution_id,
        actor_user_id=actor.user_id,
        action="enrollment.offer_accepted",
        entity_type="enrollment",
        entity_id=offer.id,
        details={
            "student_id": str(accepted.student_id),
            "section_id": str(section.id),
            "course_code": section.course.code,
            "offer_expires_at": offer.offer_expires_at.isoformat(),
        },
    )
    said = message("enrollment.enrolled", section, by_staff=actor.is_staff)
    tell(session, institution_id, held.recipients, said)
    return accepted


def decline(
    session: Session,
    *,
    institution_id: uuid.UUID,
    enrollment_id: uuid.UUID,
    actor: Actor,
    student_id: uuid.UUID | None = None,
) -> DropOutcome:
    """Give the offered seat back: it passes to the next in line."""
    return drop(
        session,
        institution_id=institution_id,
        enrollment_id=enrollment_id,
        actor=actor,
        reason=DECLINED,
        student_id=student_id,
        leaving=Leaving.DECLINE,
    )


def due(session: Session, now: datetime, limit: int = 100) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(institution, enrollment) of the offers past their time, oldest first."""
    return repository.due_offers(session.connection(), now, limit)


def expire(
    session: Session, *, institution_id: uuid.UUID, enrollment_id: uuid.UUID
) -> DropOutcome | None:
    """Pass an offer not answered in time to the next in line; None when, under lock, it turns
    out answered (accepted or declined) meanwhile."""
    try:
        return drop(
            session,
            institution_id=institution_id,
            enrollment_id=enrollment_id,
            actor=SYSTEM,
            reason=EXPIRED,
            leaving=Leaving.EXPIRE,
        )
    except EnrollmentNotActive:
        return None
