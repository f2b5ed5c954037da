"""Completing a section's term: graded enrollments become COMPLETED records."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from registrar.audit import service as audit
from registrar.auth.principal import Principal
from registrar.enrollment.models import EnrollmentStatus
from registrar.errors import Conflict
from registrar.gradebook import repository, service
from registrar.gradebook.repository import RosterRow
from registrar.gradebook.schemas import CompletedStudent, CompletionReport
from registrar.institutions.grading import GradeScale
from registrar.kit.columns import utcnow


def _brief(row: RosterRow, scale: GradeScale) -> CompletedStudent:
    enrollment = row.enrollment
    return CompletedStudent(
        enrollment_id=enrollment.id,
        roll_number=row.roll_number,
        name=row.name,
        grade=enrollment.grade,
        grade_points=service.number(enrollment.grade_points),
        passing=service.passing(scale, enrollment),
    )


def complete(
    session: Session, principal: Principal, section_id: uuid.UUID, *, allow_incomplete: bool
) -> CompletionReport:
    """Complete the term for a section: every graded ENROLLED enrollment becomes COMPLETED.

    A failing grade completes too: a COMPLETED enrollment with a failing grade (F, or a mark
    below the pass mark) is how a fail is recorded; GPA, prerequisites and K-12 standing read
    it as such. Enrollments without a grade block completion (409, listed under `ungraded`)
    unless `allow_incomplete`, which leaves them ENROLLED. Seats and counters do not change:
    a COMPLETED enrollment held its seat for the term and still counts as enrolled.
    """
    section = service.section_for(session, principal, section_id)
    scale = service.scale_for(principal)
    rows = repository.enrollments(
        session, section.id, statuses=(EnrollmentStatus.ENROLLED,), lock=True
    )
    graded = [row for row in rows if row.enrollment.grade is not None]
    ungraded = [row for row in rows if row.enrollment.grade is None]
    if ungraded and not allow_incomplete:
        raise Conflict(
            f"{len(ungraded)} enrollment(s) have no grade: record them, or complete with "
            "allow_incomplete to leave them ENROLLED",
            details={"ungraded": [_brief(row, scale).model_dump(mode="json") for row in ungraded]},
        )
    now = utcnow()
    for row in graded:
        enrollment = row.enrollment
        enrollment.status = EnrollmentStatus.COMPLETED
        enrollment.completed_at = now
        audit.record(
            session,
            institution_id=principal.institution.id,
            actor_user_id=principal.user.id,
            action="enrollment.completed",
            entity_type="enrollment",
            entity_id=enrollment.id,
            details={
                "section_id": str(section.id),
                "roll_number": row.roll_number,
                "grade": enrollment.grade,
                "grade_points": service.number(enrollment.grade_points),
                "passing": service.passing(scale, enrollment),
            },
        )
    completed = [_brief(row, scale) for row in graded]
    return CompletionReport(
        section_id=section.id,
        completed_count=len(completed),
        passed_count=sum(1 for item in completed if item.passing),
        failed_count=sum(1 for item in completed if not item.passing),
        incomplete_count=len(ungraded),
        completed=completed,
        incomplete=[_brief(row, scale) for row in ungraded],
    )
