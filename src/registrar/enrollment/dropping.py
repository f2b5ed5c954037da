"""Dropping (or withdrawing) an enrollment; a freed seat goes on to the waitlist (`promoting`).

An offered seat declined or left to expire is given up here too (`Leaving`), so every place
given up passes through the same locks, audit, notice and hand-over.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from registrar.audit import service as audit
from registrar.auth.actor import Actor
from registrar.enrollment import catalog, repository, seats
from registrar.enrollment.catalog import CatalogSection
from registrar.enrollment.models import HOLDING_PLACE, EnrollmentStatus
from registrar.enrollment.notices import Recipients, message, tell
from registrar.enrollment.orm_sync import expire_enrollment, expire_section_counters
from registrar.enrollment.outcomes import DropOutcome, EnrollmentNotActive, EnrollmentRecord
from registrar.enrollment.promoting import Freed, promote_head
from registrar.errors import NotFound
from registrar.kit.columns import utcnow

# A seat is held by an enrollment in these; its drop gives the seat to the waitlist's head.
SEATED = (EnrollmentStatus.ENROLLED, EnrollmentStatus.OFFERED)


class Leaving(enum.Enum):
    """Why a place is given up: the student's (or a registrar's) drop, or an offer declined by
    the head of the waitlist or left to expire."""

    DROP = "drop"
    DECLINE = "offer_declined"
    EXPIRE = "offer_expired"


def drop(
    session: Session,
    *,
    institution_id: uuid.UUID,
    enrollment_id: uuid.UUID,
    actor: Actor,
    reason: str | None = None,
    notes: str | None = None,
    student_id: uuid.UUID | None = None,
    leaving: Leaving = Leaving.DROP,
) -> DropOutcome:
    """Drop (or, after the deadline, withdraw) an enrollment; a freed seat goes to the waitlist.

    An offered seat declined or expired (`leaving`) is dropped the same way, and passes to the
    next in line. Locks in the engine's order: the student, the section, then enrollment rows.
    """
    session.flush()
    connection = session.connection()
    held = lock_place(connection, institution_id, enrollment_id, student_id)
    section, enrollment = held.section, held.enrollment
    now = utcnow()
    _check_leaving(enrollment, leaving, now)
    new_status = (
        _leaving_status(section, now) if leaving is Leaving.DROP else EnrollmentStatus.DROPPED
    )
    was, old_position = enrollment.status, enrollment.waitlist_position
    changes: dict[str, Any] = {
        "status": new_status,
        "waitlist_position": None,
        "offer_expires_at": None,
        "dropped_at": now,
        "drop_reason": reason,
    }
    if notes is not None:
        changes["notes"] = notes
    dropped = EnrollmentRecord.of(repository.rewrite_enrollment(connection, enrollment_id, changes))
    expire_enrollment(session, enrollment_id)
    promoted: EnrollmentRecord | None = None
    if was in SEATED:
        freed = Freed(section, held.waitlisted, held.school, held.offer_hours)
        promoted = promote_head(session, freed, dropped, actor)
    else:
        seats.leave_waitlist(connection, section.id)
        repository.close_up_waitlist(connection, section.id, behind=old_position or 0)
    expire_section_counters(session, section.id)
    action = new_status.value.lower() if leaving is Leaving.DROP else leaving.value
    _audit_drop(session, actor, reason, dropped, section, was, old_position, promoted, action)
    event = "offer_expired" if leaving is Leaving.EXPIRE else new_status.value.lower()
    said = message(
        f"enrollment.{event}",
        section,
        reason=reason,
        by_staff=actor.is_staff,
        was_waitlisted=was is EnrollmentStatus.WAITLISTED,
    )
    tell(session, institution_id, held.recipients, said)
    return DropOutcome(
        enrollment=dropped,
        section=section,
        promoted=promoted,
        promoted_from_position=1 if promoted is not None else None,
        linked=_drop_linked(session, institution_id, dropped, section, actor, reason),
    )


def _drop_linked(
    session: Session,
    institution_id: uuid.UUID,
    lecture: EnrollmentRecord,
    section: CatalogSection,
    actor: Actor,
    reason: str | None,
) -> list[DropOutcome]:
    """A lecture dropped takes the student's places in its linked LAB and TUTORIAL sections with
    it, each through `drop` (so each freed seat goes to its waitlist), after the lecture's:
    lecture before lab is the lock order every writer follows."""
    if not section.has_linked:
        return []
    places = repository.linked_places(session.connection(), lecture.student_id, section.id)
    return [
        drop(
            session,
            institution_id=institution_id,
            enrollment_id=place,
            actor=actor,
            reason=reason or f"Dropped with its lecture {section.code}",
            student_id=lecture.student_id,
        )
        for place in places
    ]


@dataclass(frozen=True)
class Held:
    """What `drop` locked: the enrollment's row, its section, and the section's waitlist count
    as of the lock."""

    enrollment: Any
    section: CatalogSection
    waitlisted: int
    recipients: Recipients
    school: bool
    # How long a seat that opens here is held for the head of the list (None: given at once).
    offer_hours: int | None = None


def lock_place(
    connection: Connection,
    institution_id: uuid.UUID,
    enrollment_id: uuid.UUID,
    student_id: uuid.UUID | None,
) -> Held:
    """The student's, the section's and the enrollment's rows locked, in the engine's order;
    404 for an enrollment of another institution, or of another student than `student_id`."""
    owner = repository.enrollment_owner(connection, institution_id, enrollment_id)
    if owner is None or (student_id is not None and owner.student_id != student_id):
        raise NotFound("Enrollment not found")
    student = repository.lock_student(connection, institution_id, owner.student_id, utcnow())
    locked = seats.lock_section(connection, owner.section_id)
    enrollment = repository.lock_enrollment(connection, enrollment_id)
    if student is None or locked is None or enrollment is None:
        raise NotFound("Enrollment not found")
    version = student.catalog_version
    section = catalog.section(connection, institution_id, version, owner.section_id)
    policy = catalog.policy(connection, institution_id, version)
    if section is None or policy is None:
        raise NotFound("Enrollment not found")
    return Held(
        enrollment=enrollment,
        section=section,
        waitlisted=locked.waitlisted_count,
        recipients=Recipients.of(student, school=policy.school),
        school=policy.school,
        offer_hours=policy.offer_hours_for(section),
    )


def _check_leaving(enrollment: Any, leaving: Leaving, now: datetime) -> None:
    """Refuse giving up what is not held: a drop needs a place, an offer's answer an offer
    (and only an offer past its time expires)."""
    status = enrollment.status
    if leaving is Leaving.DROP:
        if status not in HOLDING_PLACE:
            raise EnrollmentNotActive("Enrollment is not active", details={"status": status.value})
        return
    if status is not EnrollmentStatus.OFFERED:
        raise EnrollmentNotActive("No seat is offered here", details={"status": status.value})
    if leaving is Leaving.EXPIRE and enrollment.offer_expires_at > now:
        raise EnrollmentNotActive(
            "The offer has not expired",
            details={"offer_expires_at": str(enrollment.offer_expires_at)},
        )


def _leaving_status(section: CatalogSection, now: datetime) -> EnrollmentStatus:
    """WITHDRAWN after the section's drop deadline, DROPPED before it (or without one)."""
    deadline = section.drop_deadline
    if deadline is not None and now > deadline:
        return EnrollmentStatus.WITHDRAWN
    return EnrollmentStatus.DROPPED


def _audit_drop(
    session: Session,
    actor: Actor,
    reason: str | None,
    dropped: EnrollmentRecord,
    section: CatalogSection,
    was: EnrollmentStatus,
    old_position: int | None,
    promoted: EnrollmentRecord | None,
    action: str,
) -> None:
    audit.record(
        session,
        institution_id=dropped.institution_id,
        actor_user_id=actor.user_id,
        action=f"enrollment.{action}",
        entity_type="enrollment",
        entity_id=dropped.id,
        reason=reason,
        details={
            "student_id": str(dropped.student_id),
            "section_id": str(section.id),
            "course_code": section.course.code,
            "from_status": was.value,
            "status": dropped.status.value,
            "waitlist_position": old_position,
            "actor_role": actor.role.value if actor.role else "SYSTEM",
            "promoted_enrollment_id": str(promoted.id) if promoted else None,
        },
    )


def release_places(
    session: Session,
    *,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    actor: Actor,
    reason: str,
) -> list[DropOutcome]:
    """Drop every seat and waitlist place the student holds (they left: deactivated), each
    through `drop`, so each freed seat goes to the head of its waitlist."""
    connection = session.connection()
    held = repository.places_of(connection, institution_id, student_id)
    return [
        drop(
            session,
            institution_id=institution_id,
            enrollment_id=enrollment_id,
            actor=actor,
            reason=reason,
            student_id=student_id,
        )
        for enrollment_id in held
    ]
