"""Dropping (or withdrawing) an enrollment, and promoting the head of the waitlist."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from registrar.academics.models import CourseSection
from registrar.audit import service as audit
from registrar.enrollment import repository, seats
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.enrollment.outcomes import Actor, DropOutcome, EnrollmentNotActive
from registrar.errors import NotFound
from registrar.kit.columns import utcnow
from registrar.notifications.models import RecipientKind
from registrar.notifications.outbox import enqueue


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
    """Drop (or, after the deadline, withdraw) an enrollment; a freed seat goes to the waitlist."""
    found = repository.enrollment_for_drop(session, institution_id, enrollment_id)
    if found is None or (student_id is not None and found.student_id != student_id):
        raise NotFound("Enrollment not found")
    repository.lock_student(session, institution_id, found.student_id)
    locked = seats.lock_section(session, found.section_id)
    enrollment = repository.enrollment_for_drop(session, institution_id, enrollment_id, lock=True)
    if enrollment is None or locked is None:
        raise NotFound("Enrollment not found")
    if enrollment.status not in (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED):
        raise EnrollmentNotActive(
            "Enrollment is not active", details={"status": enrollment.status.value}
        )
    section = enrollment.section
    now = utcnow()
    deadline = section.term.drop_deadline
    new_status = (
        EnrollmentStatus.WITHDRAWN
        if deadline is not None and now > deadline
        else EnrollmentStatus.DROPPED
    )
    was, old_position = enrollment.status, enrollment.waitlist_position
    enrollment.status = new_status
    enrollment.waitlist_position = None
    enrollment.dropped_at = now
    enrollment.drop_reason = reason
    if notes is not None:
        enrollment.notes = notes
    session.flush()
    promoted: Enrollment | None = None
    if was is EnrollmentStatus.ENROLLED:
        promoted = _promote_head(session, section, locked.waitlisted_count, enrollment, actor)
    else:
        seats.leave_waitlist(session, section.id, section=section)
        repository.close_up_waitlist(session, section.id, behind=old_position or 0)
    audit.record(
        session,
        institution_id=institution_id,
        actor_user_id=actor.user_id,
        action=f"enrollment.{new_status.value.lower()}",
        entity_type="enrollment",
        entity_id=enrollment.id,
        reason=reason,
        details={
            "student_id": str(enrollment.student_id),
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
        enrollment=enrollment,
        promoted=promoted,
        promoted_from_position=1 if promoted is not None else None,
    )


def _promote_head(
    session: Session,
    section: CourseSection,
    waitlisted: int,
    dropped: Enrollment,
    actor: Actor,
) -> Enrollment | None:
    """Give the freed seat to the waitlist's head (the seat stays taken), else free it.

    The section's row is already locked by the caller, so `waitlisted` is current.
    """
    head = repository.waitlist_head(session, section.id) if waitlisted > 0 else None
    if head is None:
        seats.free_seat(session, section.id, section=section)
        return None
    seats.leave_waitlist(session, section.id, section=section)
    head.status = EnrollmentStatus.ENROLLED
    head.waitlist_position = None
    head.enrolled_at = utcnow()
    session.flush()
    repository.close_up_waitlist(session, section.id, behind=1)
    set_committed_value(head, "section", section)
    student = head.student
    course = section.course
    enqueue(
        session,
        institution_id=head.institution_id,
        recipient_kind=RecipientKind.STUDENT,
        recipient_email=student.email,
        student_id=student.id,
        event="enrollment.promoted",
        subject=f"You have a seat in {course.code}",
        body=(
            f"A seat opened in {course.code} {course.title} (section {section.code}) and you "
            "have been moved from the waitlist into it."
        ),
    )
    audit.record(
        session,
        institution_id=head.institution_id,
        actor_user_id=None,
        action="enrollment.promote",
        entity_type="enrollment",
        entity_id=head.id,
        details={
            "student_id": str(student.id),
            "section_id": str(section.id),
            "course_code": course.code,
            "from_position": 1,
            "after_drop_of": str(dropped.id),
            "dropped_by_user_id": str(actor.user_id) if actor.user_id else None,
        },
    )
    return head
