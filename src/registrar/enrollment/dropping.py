"""Dropping (or withdrawing) an enrollment, and promoting the head of the waitlist."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from registrar.audit import service as audit
from registrar.enrollment import catalog, repository, seats
from registrar.enrollment.catalog import CatalogSection
from registrar.enrollment.models import EnrollmentStatus
from registrar.enrollment.orm_sync import expire_enrollment, expire_section_counters
from registrar.enrollment.outcomes import Actor, DropOutcome, EnrollmentNotActive, EnrollmentRecord
from registrar.errors import NotFound
from registrar.kit.columns import utcnow
from registrar.notifications.models import RecipientKind
from registrar.notifications.outbox import enqueue

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
    owner = repository.enrollment_owner(connection, institution_id, enrollment_id)
    if owner is None or (student_id is not None and owner.student_id != student_id):
        raise NotFound("Enrollment not found")
    student = repository.lock_student(connection, institution_id, owner.student_id)
    locked = seats.lock_section(connection, owner.section_id)
    enrollment = repository.lock_enrollment(connection, enrollment_id)
    if student is None or locked is None or enrollment is None:
        raise NotFound("Enrollment not found")
    section = catalog.section(connection, institution_id, student.catalog_version, owner.section_id)
    if section is None:
        raise NotFound("Enrollment not found")
    if enrollment.status not in HELD:
        raise EnrollmentNotActive(
            "Enrollment is not active", details={"status": enrollment.status.value}
        )
    now = utcnow()
    deadline = section.drop_deadline
    new_status = (
        EnrollmentStatus.WITHDRAWN
        if deadline is not None and now > deadline
        else EnrollmentStatus.DROPPED
    )
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
        promoted = _promote_head(
            session, connection, section, locked.waitlisted_count, dropped, actor
        )
    else:
        seats.leave_waitlist(connection, section.id)
        repository.close_up_waitlist(connection, section.id, behind=old_position or 0)
    expire_section_counters(session, section.id)
    audit.record(
        session,
        institution_id=institution_id,
        actor_user_id=actor.user_id,
        action=f"enrollment.{new_status.value.lower()}",
        entity_type="enrollment",
        entity_id=dropped.id,
        reason=reason,
        details={
            "student_id": str(dropped.student_id),
            "section_id": str(section.id),
            "course_code": section.course.code,
            "from_status": was.value,
            "status": new_status.value,
            "waitlist_position": old_position,
            "actor_role": actor.role.value if actor.role else "SYSTEM",
            "promoted_enrollment_id": str(promoted.id) if promoted else None,
        },
    )
    return DropOutcome(
        enrollment=dropped,
        section=section,
        promoted=promoted,
        promoted_from_position=1 if promoted is not None else None,
    )


def _promote_head(
    session: Session,
    connection: Connection,
    section: CatalogSection,
    waitlisted: int,
    dropped: EnrollmentRecord,
    actor: Actor,
) -> EnrollmentRecord | None:
    """Give the freed seat to the waitlist's head (the seat stays taken), else free it.

    The section's row is already locked by the caller, so `waitlisted` is current.
    """
    head = repository.waitlist_head(connection, section.id) if waitlisted > 0 else None
    if head is None:
        seats.free_seat(connection, section.id)
        return None
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
    course = section.course
    enqueue(
        session,
        institution_id=promoted.institution_id,
        recipient_kind=RecipientKind.STUDENT,
        recipient_email=head.email,
        student_id=promoted.student_id,
        event="enrollment.promoted",
        subject=f"You have a seat in {course.code}",
        body=(
            f"A seat opened in {course.code} {course.title} (section {section.code}) and you "
            "have been moved from the waitlist into it."
        ),
    )
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
            "course_code": course.code,
            "from_position": 1,
            "after_drop_of": str(dropped.id),
            "dropped_by_user_id": str(actor.user_id) if actor.user_id else None,
        },
    )
    return promoted
