"""A registrar's enrollments: through the engine, overrides with a reason, every one audited."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from registrar.auth.actor import actor_of
from registrar.auth.principal import Principal
from registrar.enrollment import engine
from registrar.enrollment.outcomes import EnrollmentRecord
from registrar.enrollment.schemas import (
    CheckAnswer,
    DryRunAnswer,
    EnrollmentBrief,
    RegistrarDropRequest,
    RegistrarDropResponse,
    RegistrarEnrollRequest,
    RegistrarEnrollResponse,
)


def brief(record: EnrollmentRecord) -> EnrollmentBrief:
    """An enrollment record as a registrar's answer shows it."""
    return EnrollmentBrief(
        id=record.id,
        student_id=record.student_id,
        section_id=record.section_id,
        status=record.status,
        enrollment_type=record.enrollment_type,
        waitlist_position=record.waitlist_position,
    )


def _asked(principal: Principal, request: RegistrarEnrollRequest) -> dict[str, Any]:
    """The engine's arguments for a registrar's enrollment (real or dry run)."""
    return {
        "institution_id": principal.institution.id,
        "student_id": request.student_id,
        "section_id": request.course_section_id,
        "actor": actor_of(principal),
        "enrollment_type": request.enrollment_type,
        "overrides": frozenset(request.overrides),
        "override_reason": request.reason,
        "linked_section_ids": request.linked_section_ids,
    }


def enroll(
    session: Session, principal: Principal, request: RegistrarEnrollRequest
) -> RegistrarEnrollResponse:
    """Enroll (or waitlist) the student; the engine refuses what the rules forbid unless the
    rule is overridden, and records each override with the reason."""
    outcome = engine.enroll(session, **_asked(principal, request))
    return RegistrarEnrollResponse(
        enrollment=brief(outcome.enrollment),
        overrides=list(outcome.overridden),
        warnings=[
            {"code": w.code.value, "message": w.message, "details": w.details}
            for w in outcome.warnings
        ],
        linked=[brief(part.enrollment) for part in outcome.linked],
    )


def drop(
    session: Session, principal: Principal, enrollment_id: uuid.UUID, request: RegistrarDropRequest
) -> RegistrarDropResponse:
    """Drop (or, after the deadline, withdraw) the enrollment; the seat goes to the waitlist."""
    outcome = engine.drop(
        session,
        institution_id=principal.institution.id,
        enrollment_id=enrollment_id,
        actor=actor_of(principal),
        reason=request.reason,
    )
    promoted = outcome.promoted
    return RegistrarDropResponse(
        enrollment=brief(outcome.enrollment),
        promoted=brief(promoted) if promoted is not None else None,
        linked_dropped=[brief(part.enrollment) for part in outcome.linked],
    )


def dry_run_answer(explanation: engine.Explanation) -> DryRunAnswer:
    """A dry run's answer: the outcome, and each rule passed or the message of its refusal."""
    return DryRunAnswer(
        outcome=explanation.outcome,
        checks=[
            CheckAnswer(
                rule=check.rule,
                passed=check.passed,
                overridden=check.overridden,
                message=check.violation.message if check.violation is not None else "OK",
                details=check.violation.details if check.violation is not None else {},
            )
            for check in explanation.checks
        ],
    )


def explain(
    session: Session, principal: Principal, request: RegistrarEnrollRequest
) -> DryRunAnswer:
    """The registrar's enrollment tried without writing: every rule's answer."""
    return dry_run_answer(engine.explain(session, **_asked(principal, request)))
