"""`POST .../enroll/` and `POST .../drop/`: the student's own requests, through the engine."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from registrar.academics.models import CourseSection
from registrar.auth.actor import actor_of, student_id_of
from registrar.auth.principal import Principal
from registrar.enrollment import engine
from registrar.enrollment import repository as enrollments
from registrar.enrollment.models import EnrollmentStatus
from registrar.enrollment.schemas import DryRunAnswer
from registrar.enrollment.service import dry_run_answer
from registrar.errors import NotFound
from registrar.portal.student_portal import repository, shapes
from registrar.portal.student_portal.schemas import (
    DropRequest,
    DropResponse,
    EnrollRequest,
    EnrollResponse,
    PromotedShape,
    WarningShape,
)
from registrar.portal.student_portal.service import current_student


def _section(session: Session, principal: Principal, section_id: uuid.UUID) -> CourseSection:
    section = repository.section_brief(session, principal.institution.id, section_id)
    if section is None:  # the engine found it a moment ago in this same transaction
        raise NotFound("Course section not found")
    return section


def _name(section: CourseSection) -> str:
    return f"{section.course.code} - {section.course.title}"


def check_enroll(session: Session, principal: Principal, request: EnrollRequest) -> None:
    """Refuse at once, from one read and with no transaction, what `enroll` would refuse."""
    engine.precheck(
        session,
        institution_id=principal.institution.id,
        student_id=student_id_of(principal),
        section_id=request.course_section_id,
        actor=actor_of(principal),
        enrollment_type=request.enrollment_type,
        linked_section_ids=request.linked_section_ids,
    )


def explain_enroll(session: Session, principal: Principal, request: EnrollRequest) -> DryRunAnswer:
    """The enrollment tried without writing: what it would do now, and every rule's answer."""
    return dry_run_answer(
        engine.explain(
            session,
            institution_id=principal.institution.id,
            student_id=student_id_of(principal),
            section_id=request.course_section_id,
            actor=actor_of(principal),
            enrollment_type=request.enrollment_type,
            linked_section_ids=request.linked_section_ids,
        )
    )


def enroll(session: Session, principal: Principal, request: EnrollRequest) -> EnrollResponse:
    """Enroll the student in a section (or put them on its waitlist when it is full)."""
    student = current_student(session, principal)
    outcome = engine.enroll(
        session,
        institution_id=principal.institution.id,
        student_id=student.id,
        section_id=request.course_section_id,
        actor=actor_of(principal),
        enrollment_type=request.enrollment_type,
        notes=request.notes,
        linked_section_ids=request.linked_section_ids,
    )
    enrollment = outcome.enrollment
    section = _section(session, principal, enrollment.section_id)
    linked = [
        shapes.enrollment_record(
            part.enrollment, student, _section(session, principal, part.enrollment.section_id)
        )
        for part in outcome.linked
    ]
    if enrollment.status is EnrollmentStatus.WAITLISTED:
        message = (
            f"Course section is full: added to the waitlist for {_name(section)} "
            f"at position {enrollment.waitlist_position}"
        )
    else:
        message = f"Successfully enrolled in {_name(section)}"
    warnings = [
        WarningShape(code=w.code.value, message=w.message, details=w.details)
        for w in outcome.warnings
    ]
    return EnrollResponse(
        enrollment=shapes.enrollment_record(enrollment, student, section),
        message=message,
        warnings=warnings or None,
        linked_enrollments=linked or None,
    )


def section_of_enrollment(
    session: Session, principal: Principal, enrollment_id: uuid.UUID
) -> uuid.UUID | None:
    """The section of one of the student's own enrollments (None for anyone else's)."""
    owner = enrollments.enrollment_owner(
        session.connection(), principal.institution.id, enrollment_id
    )
    if owner is None or owner.student_id != principal.student_id:
        return None
    section: uuid.UUID = owner.section_id
    return section


def drop(session: Session, principal: Principal, request: DropRequest) -> DropResponse:
    """Drop one of the student's own enrollments; another student's answers 404."""
    student = current_student(session, principal)
    outcome = engine.drop(
        session,
        institution_id=principal.institution.id,
        enrollment_id=request.enrollment_id,
        actor=actor_of(principal),
        reason=request.reason,
        notes=request.notes,
        student_id=student.id,
    )
    enrollment = outcome.enrollment
    section = _section(session, principal, enrollment.section_id)
    verb = "withdrawn from" if enrollment.status is EnrollmentStatus.WITHDRAWN else "dropped"
    promoted = outcome.promoted
    return DropResponse(
        enrollment=shapes.enrollment_record(enrollment, student, section),
        message=f"Successfully {verb} {_name(section)}",
        promoted=PromotedShape(
            enrollment_id=promoted.id,
            student_id=promoted.student_id,
            from_position=outcome.promoted_from_position,
        )
        if promoted is not None
        else None,
        linked_dropped=[
            shapes.enrollment_record(
                part.enrollment, student, _section(session, principal, part.enrollment.section_id)
            )
            for part in outcome.linked
        ]
        or None,
    )


def accept_offer(
    session: Session, principal: Principal, enrollment_id: uuid.UUID
) -> EnrollResponse:
    """Take the seat the waitlist offered the student (their own offer only)."""
    student = current_student(session, principal)
    accepted = engine.accept_offer(
        session,
        institution_id=principal.institution.id,
        enrollment_id=enrollment_id,
        actor=actor_of(principal),
        student_id=student.id,
    )
    section = _section(session, principal, accepted.section_id)
    return EnrollResponse(
        enrollment=shapes.enrollment_record(accepted, student, section),
        message=f"Successfully enrolled in {_name(section)}",
    )


def decline_offer(session: Session, principal: Principal, enrollment_id: uuid.UUID) -> DropResponse:
    """Give back the seat the waitlist offered; it passes to the next in line."""
    student = current_student(session, principal)
    outcome = engine.decline_offer(
        session,
        institution_id=principal.institution.id,
        enrollment_id=enrollment_id,
        actor=actor_of(principal),
        student_id=student.id,
    )
    section = _section(session, principal, outcome.enrollment.section_id)
    promoted = outcome.promoted
    return DropResponse(
        enrollment=shapes.enrollment_record(outcome.enrollment, student, section),
        message=f"Declined the seat in {_name(section)}",
        promoted=PromotedShape(
            enrollment_id=promoted.id, student_id=promoted.student_id, from_position=1
        )
        if promoted is not None
        else None,
    )
