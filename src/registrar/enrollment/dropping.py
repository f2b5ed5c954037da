"""Dropping (or withdrawing) an enrollment, and promoting the head of the waitlist.

Every way a seat appears ends here: a drop or withdrawal hands the dropped seat to the head of
the list (`drop`), and a capacity raised, or any other new free seat, is filled from the head
of the list in arrival order (`fill_free_seats`). Both promote through `_seat_head`.
"""

from __future__ import annotations

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
from registrar.enrollment.models import EnrollmentStatus
from registrar.enrollment.notices import Recipients, message, tell
from registrar.enrollment.orm_sync import expire_enrollment, expire_section_counters
from registrar.enrollment.outcomes import DropOutcome, EnrollmentNotActive, EnrollmentRecord
from registrar.errors import NotFound
from registrar.kit.columns import utcnow

HELD = (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED)


def drop(
    session: Session,
    *,
    institution_id: uuid.UUID,
    enrollment_id: uuid.UUID,
    actor: Actor,
    reason: str | None = None,
    notes: str | None = None,
    student_id: uuid.UUID | None = None,
) -> DropOutcome:
    """Drop (or, after the deadline, withdraw) an enrollment; a freed seat goes to the waitlist.

    Locks in the engine's order: the student, the section, then enrollment rows.
    """
    session.flush()
    connection = session.connection()
    held = _lock(connection, institution_id, enrollment_id, student_id)
    section, enrollment = held.section, held.enrollment
    if enrollment.status not in HELD:
        raise EnrollmentNotActive(
            "Enrollment is not active", details={"status": enrollment.status.value}
        )
    now = utcnow()
    new_status = _leaving_status(section, now)
    was, old_position = enrollment.status, enrollment.waitlist_position
    changes: dict[str, Any] = {
        "status": new_status,
        "waitlist_position": None,
        "dropped_at": now,
        "drop_reason": reason,
    }
    if notes is not None:
        changes["notes"] = notes
    dropped = EnrollmentRecord.of(repository.rewrite_enrollment(connection, enrollment_id, changes))
    expire_enrollment(session, enrollment_id)
    promoted: EnrollmentRecord | None = None
    if was is EnrollmentStatus.ENROLLED:
        promoted = _promote_head(session, connection, held, dropped, actor)
    else:
        seats.leave_waitlist(connection, section.id)
        repository.close_up_waitlist(connection, section.id, behind=old_position or 0)
    expire_section_counters(session, section.id)
    _audit_drop(session, actor, reason, dropped, section, was, old_position, promoted)
    event = f"enrollment.{new_status.value.lower()}"
    said = message(
        event,
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


def _lock(
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
) -> None:
    audit.record(
        session,
        institution_id=dropped.institution_id,
        actor_user_id=actor.user_id,
        action=f"enrollment.{dropped.status.value.lower()}",
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


def _promote_head(
    session: Session, connection: Connection, held: Held, dropped: EnrollmentRecord, actor: Actor
) -> EnrollmentRecord | None:
    """Give the freed seat to the waitlist's head (the seat stays taken), else free it.

    The section's row is already locked by the caller, so its waitlist count is current.
    """
    section = held.section
    head = repository.waitlist_head(connection, section.id) if held.waitlisted > 0 else None
    if head is None:
        seats.free_seat(connection, section.id)
        return None
    cause = {
        "after_drop_of": str(dropped.id),
        "dropped_by_user_id": str(actor.user_id) if actor.user_id else None,
    }
    return _seat_head(session, connection, section, head, cause, school=held.school)


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
        promoted.append(_seat_head(session, connection, section, head, cause, school=policy.school))
    expire_section_counters(session, section_id)
    return promoted


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


def _seat_head(
    session: Session,
    connection: Connection,
    section: CatalogSection,
    head: Any,
    cause: dict[str, Any],
    *,
    school: bool,
) -> EnrollmentRecord:
    """Move the waitlist's head (row-locked) into a seat already counted as taken."""
    seats.leave_waitlist(connection, section.id)
    promoted = EnrollmentRecord.of(
        repository.rewrite_enrollment(
            connection,
            head.id,
            {
                "status": EnrollmentStatus.ENROLLED,
                "waitlist_position": None,
                "enrolled_at": utcnow(),
            },
        )
    )
    expire_enrollment(session, head.id)
    repository.close_up_waitlist(connection, section.id, behind=1)
    said = message("enrollment.promoted", section)
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
        action="enrollment.promote",
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
